// The observability account (sinks, alarm topics, dashboards) and each team account's link to it,
// read from the synthesized Terraform JSON of the example organization.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  type Synthesized,
  type TfJson,
} from "./helpers";

const REGIONS = ["eu-west-1", "eu-central-1", "us-east-1"];
const ORG_ID = "${data.aws_organizations_organization.organization.id}";
const SHARED = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"];
const OBS = "observability";

let out: Synthesized;
beforeAll(() => {
  out = synthAccounts(
    undefined,
    "observability,log-archive,security,team-payments-dev,team-payments-prod",
  );
});
afterAll(() => removeDir(join(out.outdir, "..")));

const list = (type: string) => Object.entries(out.resources(OBS, type));
/** `${aws_x.key.attr}` → key */
const refKey = (ref: string) => /^\$\{[a-z_]+\.([^.]+)\.[a-z_]+\}$/.exec(ref)?.[1];
/** Construct path of a resource: observability/hub-<region>/... */
const regionOf = (r: TfJson) => /hub-([a-z0-9-]+)\//.exec(r["//"].metadata.path)![1];
const providerFor = (region: string) =>
  region === "eu-west-1" ? undefined : `aws.${region.replaceAll("-", "_")}`;

/** A value with every `${local.x}` replaced by the local's own expression. */
function withLocals(stack: TfJson, value: string): string {
  return value.replace(/\$\{local\.([A-Za-z0-9_-]+)\}/g, (_, name) => stack.locals[name]);
}

function statements(policy: string): TfJson[] {
  return JSON.parse(policy).Statement;
}

test("one sink per allowed region, each through that region's provider into the observability account", () => {
  const sinks = list("aws_oam_sink").map(([, s]) => s);
  expect(sinks.map(regionOf).sort()).toEqual([...REGIONS].sort());
  for (const s of sinks) {
    expect(s.name).toBe("lz-observability");
    expect(s.provider).toBe(providerFor(regionOf(s)));
  }
  const providers: TfJson[] = out.stack(OBS).provider.aws;
  for (const region of REGIONS.slice(1)) {
    const p = providers.find((x) => x.alias === region.replaceAll("-", "_"))!;
    expect(p.region).toBe(region);
    expect(p.assume_role[0].role_arn).toBe(
      providers.find((x) => x.alias === undefined)!.assume_role[0].role_arn,
    );
    expect(p.default_tags[0].tags["managed-by"]).toBe("landing-zone");
  }
});

test("the sink policy lets only this organization's accounts link metrics, log groups and traces", () => {
  const sinks = Object.fromEntries(list("aws_oam_sink"));
  const policies = list("aws_oam_sink_policy").map(([, p]) => p);
  expect(policies).toHaveLength(3);
  for (const p of policies) {
    const sink = sinks[refKey(p.sink_identifier)!];
    expect(regionOf(sink)).toBe(regionOf(p));
    expect(statements(p.policy)).toEqual([
      {
        Sid: "OrganizationAccountsLink",
        Effect: "Allow",
        Principal: "*",
        Action: ["oam:CreateLink", "oam:UpdateLink"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:PrincipalOrgID": ORG_ID },
          "ForAllValues:StringEquals": { "oam:ResourceTypes": SHARED },
        },
      },
    ]);
  }
  // The organization id is read through the management account at plan time.
  const org = out.stack(OBS).data.aws_organizations_organization.organization;
  expect(org.provider).toBe("aws.management");
});

test("alarm topics per severity and region, encrypted with a key only this organization's alarms may use", () => {
  const keys = Object.fromEntries(list("aws_kms_key"));
  const topics = list("aws_sns_topic").map(([, t]) => t);
  expect(topics.map((t) => `${regionOf(t)} ${t.name}`).sort()).toEqual(
    REGIONS.flatMap((r) => [`${r} lz-alarms-critical`, `${r} lz-alarms-warning`]).sort(),
  );
  for (const t of topics) {
    const key = keys[refKey(t.kms_master_key_id)!];
    expect(key).toBeDefined();
    expect(regionOf(key)).toBe(regionOf(t));
    expect(key.enable_key_rotation).toBe(true);
    const st = statements(key.policy);
    // The key carries the topic policy's conditions: this organization's lz- alarms of the region.
    expect(st.find((s) => s.Principal.Service === "cloudwatch.amazonaws.com")).toEqual({
      Sid: "CloudWatchAlarmsEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEquals: {
          "aws:SourceOrgID": "${data.aws_organizations_organization.organization.id}",
        },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${regionOf(key)}:*:alarm:lz-*` },
      },
    });
    // Least privilege: no wildcard action anywhere in the key policy.
    for (const s of st) for (const a of [s.Action].flat()) expect(a).not.toMatch(/\*/);
  }
});

test("topic policies let cloudwatch.amazonaws.com publish only for this organization's lz- alarms, over TLS", () => {
  const topics = Object.fromEntries(list("aws_sns_topic"));
  const policies = list("aws_sns_topic_policy").map(([, p]) => p);
  expect(policies).toHaveLength(6);
  for (const p of policies) {
    const topicKey = refKey(p.arn)!;
    const region = regionOf(topics[topicKey]);
    const arn = `\${aws_sns_topic.${topicKey}.arn}`;
    expect(p.provider).toBe(providerFor(region));
    const [allow, deny] = statements(p.policy);
    expect(allow).toEqual({
      Sid: "OrganizationAlarmsPublish",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: "sns:Publish",
      Resource: arn,
      Condition: {
        StringEquals: { "aws:SourceOrgID": ORG_ID },
        ArnLike: { "aws:SourceArn": `arn:aws:cloudwatch:${region}:*:alarm:lz-*` },
      },
    });
    // PrincipalOrgID is never set for a service principal: a condition on it would block every alarm.
    expect(p.policy).not.toContain("aws:PrincipalOrgID");
    expect(deny).toMatchObject({
      Effect: "Deny",
      Principal: "*",
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    });
  }
});

test("subscriptions from organization.yaml, in every region", () => {
  const topics = Object.fromEntries(list("aws_sns_topic"));
  const subs = list("aws_sns_topic_subscription").map(([, s]) => {
    const t = topics[refKey(s.topic_arn)!];
    return `${regionOf(t)} ${t.name} ${s.protocol} ${s.endpoint}`;
  });
  expect(subs.sort()).toEqual(
    REGIONS.flatMap((r) => [
      `${r} lz-alarms-critical email oncall@acme.example`,
      `${r} lz-alarms-critical https https://events.pagerduty.com/integration/acme-landing-zone/enqueue`,
      `${r} lz-alarms-warning email platform-team@acme.example`,
    ]).sort(),
  );
});

describe("dashboards", () => {
  const dashboards = () =>
    Object.fromEntries(
      list("aws_cloudwatch_dashboard").map(([, d]) => [d.dashboard_name, d.dashboard_body]),
    );

  test("one per team environment and one organization overview", () => {
    expect(Object.keys(dashboards()).sort()).toEqual([
      "lz-catalog-dev",
      "lz-catalog-prod",
      "lz-catalog-staging",
      "lz-notifications-dev",
      "lz-notifications-prod",
      "lz-organization-overview",
      "lz-payments-dev",
      "lz-payments-prod",
    ]);
  });

  test("a team dashboard reads every blueprint metric from the team's account", () => {
    const body = JSON.parse(dashboards()["lz-payments-prod"]);
    const rows: string[] = [];
    for (const w of body.widgets) {
      expect(w.properties.region).toBe("eu-west-1");
      for (const m of w.properties.metrics) {
        const options = m[m.length - 1];
        // payments prod has a recorded account id.
        expect(options.accountId).toBe("210987654321");
        rows.push(`${m.slice(0, -1).join(" ")} ${options.stat}`);
      }
    }
    expect(rows).toEqual(
      expect.arrayContaining([
        "AWS/ApiGateway Latency ApiName payments-prod-api Stage prod p90",
        "AWS/ApiGateway Latency ApiName payments-prod-api Stage prod p99",
        "AWS/ApiGateway 5XXError ApiName payments-prod-api Stage prod Sum",
        "AWS/Lambda Errors FunctionName payments-prod-api Sum",
        "AWS/Lambda Throttles FunctionName payments-prod-worker Sum",
        "AWS/Lambda ConcurrentExecutions FunctionName payments-prod-api Maximum",
        "AWS/SQS ApproximateAgeOfOldestMessage QueueName payments-prod-jobs Maximum",
        "AWS/SQS ApproximateNumberOfMessagesVisible QueueName payments-prod-jobs-dlq Maximum",
        "AWS/DynamoDB ReadThrottleEvents TableName payments-prod-items Sum",
        "AWS/DynamoDB WriteThrottleEvents TableName payments-prod-items Sum",
      ]),
    );
    const concurrency = body.widgets.find((w: TfJson) => /concurrency/.test(w.properties.title));
    expect(concurrency.properties.annotations.horizontal).toEqual([
      { label: "api reserved", value: 40 },
      { label: "worker reserved", value: 120 },
    ]);
  });

  test("an account without a recorded id is looked up once, through a local the JSON body can hold", () => {
    const body: string = dashboards()["lz-payments-dev"];
    expect(body).toContain('"accountId":"${local.account_id_team_payments_dev}"');
    expect(out.stack(OBS).locals.account_id_team_payments_dev).toBe(
      '${one([for a in data.aws_organizations_organization.organization.accounts : a.id if lower(a.email) == "aws+payments-dev@acme.example"])}',
    );
  });

  test("the overview ranks accounts with Metrics Insights, so its size does not grow with the teams", () => {
    const body: string = dashboards()["lz-organization-overview"];
    const widgets = JSON.parse(body).widgets;
    expect(widgets).toHaveLength(5 * REGIONS.length);
    for (const w of widgets) {
      expect(w.properties.metrics[0][0].expression).toMatch(/ GROUP BY AWS\.AccountId ORDER BY /);
    }
    expect(body).not.toMatch(/payments|catalog|notifications/);
  });
});

test("no JSON policy or dashboard body hides quotes inside a ${...} Terraform could not parse", () => {
  const bodies = [
    ...list("aws_kms_key").map(([, r]) => r.policy),
    ...list("aws_sns_topic_policy").map(([, r]) => r.policy),
    ...list("aws_oam_sink_policy").map(([, r]) => r.policy),
    ...list("aws_cloudwatch_dashboard").map(([, r]) => r.dashboard_body),
  ];
  expect(bodies.length).toBe(3 + 6 + 3 + 8);
  // Every JSON document held in a string, in every stack synthesized here (looked-up account ids
  // carry quotes; inside a JSON string they arrive escaped and break the plan).
  const walk = (v: unknown): string[] =>
    typeof v === "string"
      ? v.trimStart().startsWith("{")
        ? [v]
        : []
      : v && typeof v === "object"
        ? Object.values(v).flatMap(walk)
        : [];
  for (const id of out.stackIds) bodies.push(...walk(out.stack(id).resource));
  for (const body of bodies) expect(body).not.toMatch(/\$\{[^}]*"/);
});

test("the team stack links to its region's sink, found at plan time through the observability account", () => {
  const id = "team-payments-dev";
  const link = out.resource(id, "aws_oam_link");
  expect(link.resource_types).toEqual(SHARED);
  expect(link.label_template).toBe("$AccountName");
  expect(link.sink_identifier).toBe("${one(tolist(data.aws_oam_sinks.observability-sinks.arns))}");
  const data = out.stack(id).data.aws_oam_sinks["observability-sinks"];
  expect(data.provider).toBe("aws.observability");
  const provider = out.stack(id).provider.aws.find((p: TfJson) => p.alias === "observability");
  expect(provider.region).toBe("eu-west-1");
  expect(withLocals(out.stack(id), provider.assume_role[0].role_arn)).toContain(
    'lower(a.email) == "aws-observability@acme.example"',
  );
  expect(provider.assume_role[0].role_arn).toMatch(/:role\/\$\{var\.landing_zone_role_name\}$/);
  // No remote state: the team stack plans on its own.
  expect(JSON.stringify(out.stack(id))).not.toContain("terraform_remote_state");
});

test("an adopted organization's id is written into the policies; a team in another region links there", () => {
  const dir = copyExampleAccounts();
  const org = join(dir, "organization.yaml");
  writeFileSync(
    org,
    readFileSync(org, "utf8").replace(
      "# existingOrganization:\n#   organizationId: o-a1b2c3d4e5\n",
      "existingOrganization:\n  organizationId: o-a1b2c3d4e5\n",
    ),
  );
  const payments = join(dir, "teams", "payments.yaml");
  writeFileSync(
    payments,
    readFileSync(payments, "utf8").replace(
      "  dev:\n    serverless-api:\n",
      // No price table covers us-east-1, so the budget's limit is declared.
      "  dev:\n    region: us-east-1\n    budget:\n      monthlyLimit: 500\n    serverless-api:\n",
    ),
  );
  const adopted = synthAccounts(dir, "observability,team-payments-dev");
  try {
    const policies = Object.values(adopted.resources(OBS, "aws_sns_topic_policy"));
    expect(policies).toHaveLength(6);
    for (const p of policies) {
      expect(statements(p.policy)[0].Condition.StringEquals).toEqual({
        "aws:SourceOrgID": "o-a1b2c3d4e5",
      });
    }
    const id = "team-payments-dev";
    const provider = adopted
      .stack(id)
      .provider.aws.find((p: TfJson) => p.alias === "observability");
    expect(provider.region).toBe("us-east-1");
    const alarm = Object.values(adopted.resources(id, "aws_cloudwatch_metric_alarm"))[0];
    expect(withLocals(adopted.stack(id), alarm.alarm_actions[0])).toMatch(
      /^arn:aws:sns:us-east-1:\$\{one\(.*"aws-observability@acme\.example".*\)\}:lz-alarms-warning$/,
    );
  } finally {
    removeDir(dir);
    removeDir(join(adopted.outdir, ".."));
  }
});

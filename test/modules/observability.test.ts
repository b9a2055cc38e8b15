// The observability modules alone: a region's hub (sink, encrypted alarm topics, subscriptions), a
// source account's link, and the dashboards, from explicit props.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  Dashboards,
  ObservabilityHub,
  ObservabilityLink,
  overviewDashboardBody,
  teamDashboardBody,
  type ObservabilityHubProps,
  type TeamDashboardInput,
} from "../../modules/observability";
import { statementsOf, synthModule, type ModuleJson, type TfJson } from "../helpers";

const SHARED = ["AWS::CloudWatch::Metric", "AWS::Logs::LogGroup", "AWS::XRay::Trace"];
const HUB: ObservabilityHubProps = {
  region: "eu-central-1",
  organizationId: "o-a1b2c3d4e5",
  accountId: "444444444444",
  subscriptions: {
    critical: [
      { protocol: "email", endpoint: "oncall@acme.example" },
      { protocol: "https", endpoint: "https://pager.example/hook" },
    ],
    warning: [{ protocol: "email", endpoint: "team@acme.example" }],
  },
  findingsPublisher: { accountId: "333333333333", roleName: "lz-security-findings-to-critical" },
};

describe("hub", () => {
  let m: ModuleJson;
  let hub: ObservabilityHub;
  beforeAll(() => {
    m = synthModule((s) => {
      const provider = new AwsProvider(s, "aws-eu-central-1", {
        alias: "eu_central_1",
        region: "eu-central-1",
      });
      hub = new ObservabilityHub(s, "hub", { ...HUB, provider });
    });
  });
  const key = (type: string, match: (r: TfJson) => boolean) =>
    Object.entries(m.resources(type)).find(([, r]) => match(r))![0];

  test("every resource goes through the region's provider; sink and topics are typed fields", () => {
    for (const byName of Object.values(m.json.resource as Record<string, TfJson>)) {
      for (const r of Object.values(byName)) expect(r.provider).toBe("aws.eu_central_1");
    }
    const topics = m.resources("aws_sns_topic");
    expect(topics[hub.topics.critical.friendlyUniqueId].name).toBe("lz-alarms-critical");
    expect(topics[hub.topics.warning.friendlyUniqueId].name).toBe("lz-alarms-warning");
    expect(m.resources("aws_oam_sink")[hub.sink.friendlyUniqueId]).toBeDefined();
    expect(m.violations()).toEqual([]);
  });

  test("the sink lets only this organization's accounts link metrics, log groups and traces", () => {
    expect(m.resource("aws_oam_sink").name).toBe("lz-observability");
    const policy = m.resource("aws_oam_sink_policy");
    expect(policy.sink_identifier).toBe(`\${aws_oam_sink.${key("aws_oam_sink", () => true)}.arn}`);
    expect(statementsOf(policy.policy)).toEqual([
      {
        Sid: "OrganizationAccountsLink",
        Effect: "Allow",
        Principal: "*",
        Action: ["oam:CreateLink", "oam:UpdateLink"],
        Resource: "*",
        Condition: {
          StringEquals: { "aws:PrincipalOrgID": "o-a1b2c3d4e5" },
          "ForAllValues:StringEquals": { "oam:ResourceTypes": SHARED },
        },
      },
    ]);
  });

  test("the topic key: rotating, administered by the account without kms:*, usable by this organization's CloudWatch alarms", () => {
    const k = m.resource("aws_kms_key");
    expect(k).toMatchObject({ enable_key_rotation: true, deletion_window_in_days: 30 });
    expect(k.description).toContain("eu-central-1");
    const [admin, cloudwatch] = statementsOf(k.policy);
    expect(admin).toMatchObject({
      Sid: "AccountAdministersAndUses",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::444444444444:root" },
      Resource: "*",
    });
    expect(admin.Action).toEqual(expect.arrayContaining(["kms:Decrypt", "kms:GenerateDataKey"]));
    for (const a of admin.Action) expect(a).not.toMatch(/\*/);
    // Held to the topic policy's conditions: alarms of this organization, lz- alarms of the region.
    expect(cloudwatch).toEqual({
      Sid: "CloudWatchAlarmsEncrypt",
      Effect: "Allow",
      Principal: { Service: "cloudwatch.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: {
        StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" },
        ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-central-1:*:alarm:lz-*" },
      },
    });
    expect(m.resource("aws_kms_alias").name).toBe("alias/lz-alarm-topics");
  });

  test("one encrypted topic per severity; only this organization's lz- alarms of the region publish, over TLS; the security account's findings role reaches the critical topic", () => {
    const keyArn = `\${aws_kms_key.${key("aws_kms_key", () => true)}.arn}`;
    const topicList = Object.entries(m.resources("aws_sns_topic"));
    expect(topicList.map(([, t]) => t.name).sort()).toEqual([
      "lz-alarms-critical",
      "lz-alarms-warning",
    ]);
    for (const [topicKey, t] of topicList) {
      expect(t.kms_master_key_id).toBe(keyArn);
      const arn = `\${aws_sns_topic.${topicKey}.arn}`;
      const policy = Object.values(m.resources("aws_sns_topic_policy")).find((p) => p.arn === arn)!;
      expect(statementsOf(policy.policy)).toEqual([
        {
          Sid: "OrganizationAlarmsPublish",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: "sns:Publish",
          Resource: arn,
          Condition: {
            StringEquals: { "aws:SourceOrgID": "o-a1b2c3d4e5" },
            ArnLike: { "aws:SourceArn": "arn:aws:cloudwatch:eu-central-1:*:alarm:lz-*" },
          },
        },
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sns:Publish",
          Resource: arn,
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
        // Only the critical topic hears the security account's findings, and only from its role.
        ...(t.name === "lz-alarms-critical"
          ? [
              {
                Sid: "SecurityFindingsPublish",
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::333333333333:root" },
                Action: "sns:Publish",
                Resource: arn,
                Condition: {
                  ArnEquals: {
                    "aws:PrincipalArn":
                      "arn:aws:iam::333333333333:role/lz-security-findings-to-critical",
                  },
                },
              },
            ]
          : []),
      ]);
    }
  });

  test("subscriptions per severity, as given", () => {
    const names = Object.fromEntries(
      Object.entries(m.resources("aws_sns_topic")).map(([k, t]) => [
        `\${aws_sns_topic.${k}.arn}`,
        t.name,
      ]),
    );
    expect(
      Object.values(m.resources("aws_sns_topic_subscription"))
        .map((s) => `${names[s.topic_arn]} ${s.protocol} ${s.endpoint}`)
        .sort(),
    ).toEqual([
      "lz-alarms-critical email oncall@acme.example",
      "lz-alarms-critical https https://pager.example/hook",
      "lz-alarms-warning email team@acme.example",
    ]);
  });
});

test("link: to the given sink, sharing metrics, log groups and traces, labelled by account name", () => {
  const m = synthModule((s) => new ObservabilityLink(s, "link", { sinkArn: "arn:sink" }));
  expect(m.resource("aws_oam_link")).toEqual({
    sink_identifier: "arn:sink",
    label_template: "$AccountName",
    resource_types: SHARED,
  });
});

describe("dashboards", () => {
  const team: TeamDashboardInput = {
    name: "lz-a-prod",
    names: {
      restApi: "a-prod-api",
      stage: "prod",
      apiFunction: "a-prod-api",
      workerFunction: "a-prod-worker",
      queue: "a-prod-jobs",
      deadLetterQueue: "a-prod-jobs-dlq",
      table: "a-prod-items",
    },
    region: "eu-central-1",
    accountId: "${local.account_id_team_a_prod}",
    apiReservedConcurrency: 40,
    workerReservedConcurrency: 120,
    apiLatencyP90Ms: 1500,
    queueAgeSeconds: 180,
  };

  test("one overview and one per team, bodies from the body functions", () => {
    const m = synthModule(
      (s) => new Dashboards(s, "dashboards", { teams: [team], regions: ["eu-west-1"] }),
    );
    const byName = Object.fromEntries(
      Object.values(m.resources("aws_cloudwatch_dashboard")).map((d) => [
        d.dashboard_name,
        d.dashboard_body,
      ]),
    );
    expect(byName).toEqual({
      "lz-organization-overview": overviewDashboardBody(["eu-west-1"]),
      "lz-a-prod": teamDashboardBody(team),
    });
  });

  test("a team dashboard reads every blueprint metric from the team's account, with the alarm lines", () => {
    const body = JSON.parse(teamDashboardBody(team));
    const rows: string[] = [];
    for (const w of body.widgets) {
      expect(w.properties.region).toBe("eu-central-1");
      for (const metric of w.properties.metrics) {
        const options = metric[metric.length - 1];
        expect(options.accountId).toBe("${local.account_id_team_a_prod}");
        rows.push(`${metric.slice(0, -1).join(" ")} ${options.stat}`);
      }
    }
    expect(rows).toEqual([
      "AWS/ApiGateway Latency ApiName a-prod-api Stage prod p90",
      "AWS/ApiGateway Latency ApiName a-prod-api Stage prod p99",
      "AWS/ApiGateway 5XXError ApiName a-prod-api Stage prod Sum",
      "AWS/ApiGateway 4XXError ApiName a-prod-api Stage prod Sum",
      "AWS/Lambda Errors FunctionName a-prod-api Sum",
      "AWS/Lambda Throttles FunctionName a-prod-api Sum",
      "AWS/Lambda Errors FunctionName a-prod-worker Sum",
      "AWS/Lambda Throttles FunctionName a-prod-worker Sum",
      "AWS/Lambda ConcurrentExecutions FunctionName a-prod-api Maximum",
      "AWS/Lambda ConcurrentExecutions FunctionName a-prod-worker Maximum",
      "AWS/SQS ApproximateAgeOfOldestMessage QueueName a-prod-jobs Maximum",
      "AWS/SQS ApproximateNumberOfMessagesVisible QueueName a-prod-jobs-dlq Maximum",
      "AWS/DynamoDB ReadThrottleEvents TableName a-prod-items Sum",
      "AWS/DynamoDB WriteThrottleEvents TableName a-prod-items Sum",
    ]);
    const lines = body.widgets.flatMap((w: TfJson) => w.properties.annotations?.horizontal ?? []);
    expect(lines).toEqual([
      { label: "p90 alarm", value: 1500 },
      { label: "api reserved", value: 40 },
      { label: "worker reserved", value: 120 },
      { label: "age alarm", value: 180 },
    ]);
    // Two widgets a row, 12 wide and 6 high.
    expect(body.widgets.map((w: TfJson) => [w.x, w.y])).toEqual([
      [0, 0],
      [12, 0],
      [0, 6],
      [12, 6],
      [0, 12],
      [12, 12],
    ]);
  });

  test("the overview ranks accounts per region with Metrics Insights, naming no team", () => {
    const body = overviewDashboardBody(["eu-west-1", "us-east-1"]);
    const widgets = JSON.parse(body).widgets;
    expect(widgets).toHaveLength(10);
    expect(widgets[0].properties.metrics[0][0].expression).toBe(
      'SELECT MAX(ConcurrentExecutions) FROM SCHEMA("AWS/Lambda") GROUP BY AWS.AccountId ORDER BY MAX() DESC LIMIT 20',
    );
    expect(widgets.map((w: TfJson) => w.properties.region)).toEqual([
      ...Array(5).fill("eu-west-1"),
      ...Array(5).fill("us-east-1"),
    ]);
    // The second region's widgets start below the first region's three rows.
    expect(widgets[5].y).toBe(18);
  });
});

// The perimeter, read from the synthesized example as AWS would apply it: the SCPs that reach each
// account deny an administrator who is not the platform role every way of silencing the logs and the
// pages, and leave the platform role and a team's own resources alone; the RCPs keep the
// organization's data to its own principals and still let the landing zone's own flows through; the
// per-target and size limits hold. The offline evaluator is config/validators/scp-safety.ts.
import { landingZoneFlows, SYMBOLIC_ORGANIZATION_ID } from "../config/flows";
import { RCP_SERVICES } from "../config/policies";
import {
  policiesDeny,
  type ContextValue,
  type PolicyRequest,
} from "../config/validators/scp-safety";
import { synthAccounts, type Synthesized, type TfJson } from "./helpers";
import { deployedPolicies, policiesReaching, type DeployedPolicy } from "./org-policies";

const ROLE = "OrganizationAccountAccessRole";
const ORG = SYMBOLIC_ORGANIZATION_ID;
const BUCKET = "acme-cloudtrail-111111111111";
const CORE = ["log-archive", "security", "observability"];
const STACKS = ["organization", ...CORE, "team-payments-prod"];

let out: Synthesized;
let policies: DeployedPolicy[];
beforeAll(() => {
  out = synthAccounts(undefined, STACKS.join(","));
  policies = deployedPolicies(out);
});

/** An account id per stack, for the ARNs of the requests (the evaluator compares patterns). */
const ACCOUNT_IDS: Record<string, string> = {
  "log-archive": "200000000001",
  security: "200000000002",
  observability: "200000000003",
  "team-payments-prod": "210987654321",
};

type Who = "admin" | "platform";
/** A person with AdministratorAccess through Identity Center, or the landing zone's own role. */
function principal(who: Who, stackId: string): Record<string, ContextValue> {
  const id = ACCOUNT_IDS[stackId];
  return {
    "aws:PrincipalArn":
      who === "platform"
        ? `arn:aws:iam::${id}:role/${ROLE}`
        : `arn:aws:iam::${id}:role/aws-reserved/sso.amazonaws.com/eu-west-1/AWSReservedSSO_PlatformAdmin_0123456789abcdef`,
    "aws:PrincipalAccount": id,
    "aws:PrincipalOrgID": ORG,
    "aws:PrincipalIsAWSService": false,
    "aws:RequestedRegion": "eu-west-1",
    "aws:SecureTransport": true,
  };
}

/** Whether the SCPs reaching `stackId` deny `who` the request; "unknown" fails the tests too. */
function scpVerdict(
  who: Who,
  stackId: string,
  action: string,
  resource: string,
  extra: Record<string, ContextValue> = {},
) {
  const scps = policiesReaching(out, policies, "SERVICE_CONTROL_POLICY", stackId);
  const req: PolicyRequest = {
    action,
    resource,
    context: { ...principal(who, stackId), ...extra },
  };
  return policiesDeny(scps, req).denied;
}

interface Tamper {
  what: string;
  account: string;
  action: string;
  resource: string;
  context?: Record<string, ContextValue>;
}

const trailKey = { "kms:ResourceAliases": ["alias/lz-cloudtrail"] };
const topicKey = { "kms:ResourceAliases": ["alias/lz-alarm-topics"] };
const key = (account: string, region = "eu-west-1") =>
  `arn:aws:kms:${region}:${ACCOUNT_IDS[account]}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const topic = (name: string, region = "eu-west-1") =>
  `arn:aws:sns:${region}:${ACCOUNT_IDS.observability}:${name}`;

const TAMPERING: Tamper[] = [
  // The trail bucket, its logs, Config's prefix and the trail key, in the log archive account.
  ...[
    "s3:DeleteBucketPolicy",
    "s3:PutBucketPolicy",
    "s3:PutLifecycleConfiguration",
    "s3:PutBucketVersioning",
    "s3:PutBucketPublicAccessBlock",
    "s3:PutEncryptionConfiguration",
    "s3:DeleteBucket",
  ].map((action) => ({
    what: "the trail bucket",
    account: "log-archive",
    action,
    resource: `arn:aws:s3:::${BUCKET}`,
  })),
  ...["s3:DeleteObjectVersion", "s3:DeleteObject", "s3:PutObject"].flatMap((action) => [
    {
      what: "trail logs",
      account: "log-archive",
      action,
      resource: `arn:aws:s3:::${BUCKET}/AWSLogs/o-thisorganization/111111111111/CloudTrail/eu-west-1/x.json.gz`,
    },
    {
      what: "Config's delivery prefix",
      account: "log-archive",
      action,
      resource: `arn:aws:s3:::${BUCKET}/config/AWSLogs/200000000002/Config/eu-west-1/x.json.gz`,
    },
  ]),
  ...[
    "kms:ScheduleKeyDeletion",
    "kms:DisableKey",
    "kms:PutKeyPolicy",
    "kms:CreateGrant",
    "kms:DisableKeyRotation",
  ].map((action) => ({
    what: "the trail key",
    account: "log-archive",
    action,
    resource: key("log-archive"),
    context: trailKey,
  })),
  ...["kms:DeleteAlias", "kms:UpdateAlias"].map((action) => ({
    what: "the trail key's alias",
    account: "log-archive",
    action,
    resource: "arn:aws:kms:eu-west-1:200000000001:alias/lz-cloudtrail",
  })),
  // The central alarm topics, their subscriptions and their key, in every region.
  ...["eu-west-1", "us-east-1"].flatMap((region) => [
    ...["sns:DeleteTopic", "sns:SetTopicAttributes", "sns:RemovePermission"].map((action) => ({
      what: `the critical topic in ${region}`,
      account: "observability",
      action,
      resource: topic("lz-alarms-critical", region),
    })),
    {
      what: `a subscription of the warning topic in ${region}`,
      account: "observability",
      action: "sns:Unsubscribe",
      resource: `${topic("lz-alarms-warning", region)}:0d1c2b3a-aaaa-bbbb-cccc-1234567890ab`,
    },
    ...["kms:ScheduleKeyDeletion", "kms:DisableKey", "kms:PutKeyPolicy"].map((action) => ({
      what: `the topics' key in ${region}`,
      account: "observability",
      action,
      resource: key("observability", region),
      context: topicKey,
    })),
  ]),
  // The administrator's side of the security services, in the security account.
  ...[
    "guardduty:UpdateOrganizationConfiguration",
    "guardduty:DeleteMembers",
    "securityhub:UpdateConfigurationPolicy",
    "securityhub:DeleteConfigurationPolicy",
    "securityhub:StartConfigurationPolicyDisassociation",
    "inspector2:UpdateOrganizationConfiguration",
    "config:DeleteConfigurationAggregator",
  ].map((action) => ({
    what: "security administration",
    account: "security",
    action,
    resource: "*",
  })),
  ...["lz-organization-access", "lz-organization-unused-access"].map((name) => ({
    what: `the analyzer ${name}`,
    account: "security",
    action: "access-analyzer:DeleteAnalyzer",
    resource: `arn:aws:access-analyzer:eu-west-1:200000000002:analyzer/${name}`,
  })),
  // The settings the landing zone sets in every account, here in a team account and a core one.
  ...["team-payments-prod", "security"].flatMap((account) =>
    [
      "ec2:DisableEbsEncryptionByDefault",
      "s3:PutAccountPublicAccessBlock",
      "guardduty:UpdateDetector",
      "guardduty:DeleteDetector",
      "securityhub:DisableSecurityHub",
      "inspector2:Disable",
      "config:StopConfigurationRecorder",
      "cloudtrail:StopLogging",
    ].map((action) => ({ what: "account settings", account, action, resource: "*" })),
  ),
];

describe("tamper protection", () => {
  test.each(TAMPERING.map((t) => [t.account, t.action, t.what, t] as const))(
    "%s: %s on %s is denied to an administrator and left to the platform role",
    (account, action, _what, t) => {
      expect(scpVerdict("admin", account, action, t.resource, t.context)).toBe("yes");
      expect(scpVerdict("platform", account, action, t.resource, t.context)).toBe("no");
    },
  );

  const OWN: Tamper[] = [
    {
      what: "a team's bucket",
      account: "team-payments-prod",
      action: "s3:PutBucketPolicy",
      resource: "arn:aws:s3:::payments-prod-uploads",
    },
    {
      what: "a team's object versions",
      account: "team-payments-prod",
      action: "s3:DeleteObjectVersion",
      resource: "arn:aws:s3:::payments-prod-uploads/receipts/1.pdf",
    },
    {
      what: "a team's key",
      account: "team-payments-prod",
      action: "kms:ScheduleKeyDeletion",
      resource: key("team-payments-prod"),
      context: { "kms:ResourceAliases": ["alias/payments-data"] },
    },
    {
      what: "a team's topic",
      account: "team-payments-prod",
      action: "sns:DeleteTopic",
      resource: "arn:aws:sns:eu-west-1:210987654321:payments-events",
    },
    {
      what: "a scratch bucket next to the trail bucket",
      account: "log-archive",
      action: "s3:DeleteBucketPolicy",
      resource: "arn:aws:s3:::acme-log-archive-scratch",
    },
    {
      what: "another key of the observability account",
      account: "observability",
      action: "kms:ScheduleKeyDeletion",
      resource: key("observability"),
      context: { "kms:ResourceAliases": ["alias/dashboards-export"] },
    },
    {
      what: "a topic of the observability team's own",
      account: "observability",
      action: "sns:DeleteTopic",
      resource: topic("dashboards-digest"),
    },
  ];
  test.each(OWN.map((t) => [t.what, t.action, t] as const))(
    "%s stays its owner's: %s is not denied",
    (_what, _action, t) => {
      expect(scpVerdict("admin", t.account, t.action, t.resource, t.context)).toBe("no");
    },
  );

  test("an administrator cannot take a landing-zone alias for a key of their own, or move one", () => {
    for (const account of ["log-archive", "observability"]) {
      const alias = `arn:aws:kms:eu-west-1:${ACCOUNT_IDS[account]}:alias/lz-mine`;
      expect(scpVerdict("admin", account, "kms:CreateAlias", alias)).toBe("yes");
    }
  });

  test("each account-level policy is attached only to the account that holds what it protects", () => {
    const where = Object.fromEntries(
      policies.filter((p) => p.name.startsWith("protect-")).map((p) => [p.name, p.targets]),
    );
    expect(where).toEqual({
      "protect-landing-zone": ["Root"],
      "protect-log-archive": ["account:log-archive"],
      "protect-observability": ["account:observability"],
      "protect-security-tooling": ["account:security"],
    });
  });
});

/** Every resource of `type` in `stack`, with its synthesized arguments. */
const resourcesOf = (stack: string, type: string): TfJson[] =>
  Object.values(out.resources(stack, type));

describe("derived, not listed: every resource the core stacks create of a protected kind is protected", () => {
  test.each(CORE)("%s: every KMS key has an lz- alias that protects it", (stack) => {
    const keys = Object.keys(out.resources(stack, "aws_kms_key"));
    const aliases = resourcesOf(stack, "aws_kms_alias");
    for (const k of keys) {
      const alias = aliases.find((a) => a.target_key_id === `\${aws_kms_key.${k}.key_id}`);
      expect(alias?.name).toMatch(/^alias\/lz-/);
      expect(
        scpVerdict("admin", stack, "kms:ScheduleKeyDeletion", key(stack), {
          "kms:ResourceAliases": [alias!.name],
        }),
      ).toBe("yes");
    }
  });

  test.each(CORE)("%s: every bucket, topic, analyzer, rule, role and alarm", (stack) => {
    const id = ACCOUNT_IDS[stack];
    const cases: [string, string][] = [
      ...resourcesOf(stack, "aws_s3_bucket").map(
        (b) => ["s3:PutBucketPolicy", `arn:aws:s3:::${b.bucket}`] as [string, string],
      ),
      ...resourcesOf(stack, "aws_sns_topic").map(
        (t) => ["sns:DeleteTopic", `arn:aws:sns:us-east-1:${id}:${t.name}`] as [string, string],
      ),
      ...resourcesOf(stack, "aws_accessanalyzer_analyzer").map(
        (a) =>
          [
            "access-analyzer:DeleteAnalyzer",
            `arn:aws:access-analyzer:eu-west-1:${id}:analyzer/${a.analyzer_name}`,
          ] as [string, string],
      ),
      ...resourcesOf(stack, "aws_cloudwatch_event_rule").map(
        (r) =>
          ["events:DeleteRule", `arn:aws:events:eu-west-1:${id}:rule/${r.name}`] as [
            string,
            string,
          ],
      ),
      ...resourcesOf(stack, "aws_iam_role").map(
        (r) => ["iam:DeleteRole", `arn:aws:iam::${id}:role/${r.name}`] as [string, string],
      ),
      ...resourcesOf(stack, "aws_cloudwatch_metric_alarm").map(
        (a) =>
          [
            "cloudwatch:DeleteAlarms",
            `arn:aws:cloudwatch:eu-west-1:${id}:alarm:${a.alarm_name}`,
          ] as [string, string],
      ),
    ];
    expect(cases.length).toBeGreaterThan(0);
    for (const [action, resource] of cases) {
      expect([resource, scpVerdict("admin", stack, action, resource)]).toEqual([resource, "yes"]);
    }
  });

  test("a team account's alarms are the landing zone's too", () => {
    for (const a of resourcesOf("team-payments-prod", "aws_cloudwatch_metric_alarm")) {
      const arn = `arn:aws:cloudwatch:eu-west-1:210987654321:alarm:${a.alarm_name}`;
      expect([
        arn,
        scpVerdict("admin", "team-payments-prod", "cloudwatch:DeleteAlarms", arn),
      ]).toEqual([arn, "yes"]);
    }
  });
});

describe("the data perimeter", () => {
  const rcpsOf = (stackId: string) =>
    policiesReaching(out, policies, "RESOURCE_CONTROL_POLICY", stackId);

  test("RCPs cover S3, STS, KMS, SQS and Secrets Manager at the root", () => {
    const [rcp] = policies.filter((p) => p.type === "RESOURCE_CONTROL_POLICY");
    expect(rcp.targets).toEqual(["Root"]);
    const actions = rcp.document.Statement.flatMap((s) => ([] as string[]).concat(s.Action ?? []));
    for (const service of ["s3", "sts", "kms", "sqs", "secretsmanager"]) {
      expect(actions.some((a) => a.startsWith(`${service}:`))).toBe(true);
    }
    for (const s of rcp.document.Statement) {
      expect(s).toMatchObject({ Effect: "Deny", Principal: "*" });
    }
    // Terraform reads ${...} as its own interpolation: the policy variable is escaped for it.
    const resource = Object.values(out.resources("organization", "aws_organizations_policy")).find(
      (p) => p.type === "RESOURCE_CONTROL_POLICY",
    )!;
    expect(resource.content).toContain('"aws:PrincipalOrgID":"$${aws:ResourceOrgID}"');
  });

  test("the landing zone's own cross-account flows pass every RCP that reaches their resources", () => {
    const flows = landingZoneFlows(out.lz);
    const kinds = new Set(flows.map((f) => f.kind));
    for (const kind of [
      "CloudTrail writes the trail to the log archive bucket",
      "AWS Config delivers to the log archive bucket",
      "CloudWatch alarms publish to the central topics",
      "CloudWatch alarms encrypt with the topics' key",
      "Security findings encrypt with the topics' key",
      "Team accounts link to the observability sink",
      "Team budgets are kept in the team account",
      "Terraform assumes the platform role",
    ]) {
      expect(kinds).toContain(kind);
    }
    const byStack = new Map(
      out.lz.teams
        .flatMap((t) => t.environments.map((e) => e.account))
        .concat(Object.values(out.lz.coreAccounts))
        .map((a) => [`account:${a.stackId}`, a.stackId]),
    );
    let evaluated = 0;
    for (const flow of flows) {
      const stackId = flow.resourceTargets.map((t) => byStack.get(t)).find(Boolean);
      if (!stackId || !RCP_SERVICES.includes(flow.request.action.split(":")[0])) continue;
      evaluated++;
      const verdict = policiesDeny(rcpsOf(stackId), flow.request);
      expect([flow.kind, flow.detail, verdict.denied]).toEqual([flow.kind, flow.detail, "no"]);
    }
    expect(evaluated).toBeGreaterThan(40);
  });

  const outsider = (extra: Record<string, ContextValue> = {}): Record<string, ContextValue> => ({
    "aws:PrincipalArn": "arn:aws:iam::999999999999:role/exfiltrator",
    "aws:PrincipalAccount": "999999999999",
    "aws:PrincipalOrgID": "o-someoneelse",
    "aws:PrincipalIsAWSService": false,
    "aws:ResourceOrgID": ORG,
    "aws:SecureTransport": true,
    ...extra,
  });

  test.each([
    ["s3:GetObject", "arn:aws:s3:::payments-prod-uploads/receipts/1.pdf"],
    ["kms:Decrypt", key("team-payments-prod")],
    ["sqs:SendMessage", "arn:aws:sqs:eu-west-1:210987654321:payments-prod-jobs"],
    ["secretsmanager:GetSecretValue", "arn:aws:secretsmanager:eu-west-1:210987654321:secret:db"],
    ["sts:AssumeRole", "arn:aws:iam::210987654321:role/payments-prod-api"],
  ])(
    "a principal outside the organization is denied %s, whatever the resource's policy says",
    (action, resource) => {
      const verdict = policiesDeny(rcpsOf("team-payments-prod"), {
        action,
        resource,
        context: outsider(),
      });
      expect(verdict).toMatchObject({ denied: "yes", by: { sid: "EnforceOrgIdentities" } });
    },
  );

  test("an AWS service acting for another organization is denied; over plain HTTP, so is everyone", () => {
    const rcps = rcpsOf("team-payments-prod");
    expect(
      policiesDeny(rcps, {
        action: "s3:PutObject",
        resource: "arn:aws:s3:::payments-prod-uploads/x",
        context: {
          "aws:PrincipalIsAWSService": true,
          "aws:SourceAccount": "999999999999",
          "aws:SourceOrgID": "o-someoneelse",
          "aws:ResourceOrgID": ORG,
          "aws:SecureTransport": true,
        },
      }),
    ).toMatchObject({ denied: "yes", by: { sid: "EnforceConfusedDeputyProtection" } });
    expect(
      policiesDeny(rcps, {
        action: "s3:GetObject",
        resource: "arn:aws:s3:::payments-prod-uploads/x",
        context: {
          ...principal("platform", "team-payments-prod"),
          "aws:ResourceOrgID": ORG,
          "aws:SecureTransport": false,
        },
      }),
    ).toMatchObject({ denied: "yes", by: { sid: "EnforceSecureTransport" } });
  });
});

describe("limits", () => {
  /** Every target any policy of `type` attaches to, with how many. */
  const perTarget = (type: string) => {
    const counts = new Map<string, number>();
    for (const p of policies.filter((x) => x.type === type)) {
      for (const t of p.targets) counts.set(t, (counts.get(t) ?? 0) + 1);
    }
    return Object.fromEntries([...counts].sort());
  };

  test("SCPs per target, FullAWSAccess counted, stay within 5; the root keeps room for 2 more", () => {
    const counts = perTarget("SERVICE_CONTROL_POLICY");
    expect(counts).toEqual({
      Root: 2,
      Suspended: 1,
      Workloads: 1,
      "account:log-archive": 1,
      "account:observability": 1,
      "account:security": 1,
    });
    for (const n of Object.values(counts)) expect(n + 1).toBeLessThanOrEqual(5);
  });

  test("RCPs per target, RCPFullAWSAccess counted, stay within 5", () => {
    expect(perTarget("RESOURCE_CONTROL_POLICY")).toEqual({ Root: 1 });
  });

  test("every document is within its type's size limit", () => {
    const max: Record<string, number> = {
      SERVICE_CONTROL_POLICY: 5120,
      RESOURCE_CONTROL_POLICY: 5120,
      DECLARATIVE_POLICY_EC2: 10_000,
      AISERVICES_OPT_OUT_POLICY: 2500,
      TAG_POLICY: 10_000,
    };
    const sizes = Object.fromEntries(policies.map((p) => [p.name, p.content.length]));
    for (const p of policies)
      expect([p.name, p.content.length <= max[p.type]]).toEqual([p.name, true]);
    // The largest, protect-landing-zone, keeps a third of its limit free.
    expect(sizes["protect-landing-zone"]).toBeLessThan(3500);
  });
});

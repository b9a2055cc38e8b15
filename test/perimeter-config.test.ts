// The perimeter's configuration: the RCPs' grammar, sizes and per-target limit, the landing zone's
// own flows held against every RCP at validate, a per-OU exception for a partner, the new fields'
// validation, and each control switched off leaving no resource and no policy type behind.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { policiesDeny } from "../config/validators/scp-safety";
import { copyExampleAccounts, removeDir, synthAccounts, type TfJson } from "./helpers";
import { deployedPolicies, policiesReaching } from "./org-policies";

/** Loads a copy of the example with `change` applied; the ConfigError's lines ([] if valid). */
function problems(change: (dir: string) => void): string[] {
  const dir = copyExampleAccounts();
  try {
    change(dir);
    loadLandingZone({ accountsDir: dir, cwd: dir });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  } finally {
    removeDir(dir);
  }
}

const ORG_FILE = "organization.yaml";
const PERIMETER = "policies/data-perimeter.json";

function edit(dir: string, file: string, from: string, to: string): void {
  const path = join(dir, file);
  const text = readFileSync(path, "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  writeFileSync(path, text.replace(from, to));
}

const perimeter = (dir: string) =>
  JSON.parse(readFileSync(join(dir, PERIMETER), "utf8")) as { Statement: TfJson[] };
const writePerimeter = (dir: string, doc: object) =>
  writeFileSync(join(dir, PERIMETER), JSON.stringify(doc, null, 2));

/** Adds an RCP file `name` attached to `targets`, after the example's. */
function addRcp(dir: string, name: string, targets: string[], statements: object[]): void {
  writeFileSync(
    join(dir, "policies", `${name}.json`),
    JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  );
  edit(
    dir,
    ORG_FILE,
    "      file: policies/data-perimeter.json\n      targets: [Root]\n",
    `      file: policies/data-perimeter.json\n      targets: [Root]\n    - name: ${name}\n      file: policies/${name}.json\n      targets: [${targets.join(", ")}]\n`,
  );
}

const TLS_ONLY = {
  Effect: "Deny",
  Principal: "*",
  Action: "s3:*",
  Resource: "*",
  Condition: { BoolIfExists: { "aws:SecureTransport": "false" } },
};

test("the example's RCP is valid", () => {
  expect(problems(() => {})).toEqual([]);
});

describe("RCP grammar", () => {
  test("Allow, a Principal other than *, NotAction and a service RCPs do not cover are refused, each named", () => {
    const got = problems((d) =>
      addRcp(
        d,
        "bad-grammar",
        ["Sandbox"],
        [
          { ...TLS_ONLY, Effect: "Allow" },
          { ...TLS_ONLY, Principal: { AWS: "arn:aws:iam::999999999999:root" } },
          { ...TLS_ONLY, Action: undefined, NotAction: "s3:GetObject" },
          { ...TLS_ONLY, Action: ["sns:Publish", "s3:*"] },
        ],
      ),
    );
    expect(got).toEqual([
      'policies/bad-grammar.json: Statement[0].Effect: must be Deny: an RCP only denies (Allow is reserved for the AWS-managed RCPFullAWSAccess) (got "Allow")',
      'policies/bad-grammar.json: Statement[1].Principal: must be "*" in an RCP; narrow who is denied with conditions (aws:PrincipalOrgID, aws:PrincipalAccount) (got {"AWS":"arn:aws:iam::999999999999:root"})',
      "policies/bad-grammar.json: Statement[2].NotAction: not allowed in an RCP statement (RCPs support Principal, Action, Resource/NotResource and Condition; no NotAction or NotPrincipal)",
      "policies/bad-grammar.json: Statement[2]: needs Action",
      'policies/bad-grammar.json: Statement[3].Action[0]: RCPs apply only to the resources of aoss, cognito-identity, cognito-idp, dynamodb, ecr, kms, logs, s3, secretsmanager, sqs, sts (got "sns:Publish")',
    ]);
  });

  test("a Principal-less statement and NotPrincipal are refused", () => {
    const { Principal: _omit, ...withoutPrincipal } = TLS_ONLY;
    const got = problems((d) =>
      addRcp(
        d,
        "no-principal",
        ["Sandbox"],
        [withoutPrincipal, { ...TLS_ONLY, NotPrincipal: "*" }],
      ),
    );
    expect(got).toContain(
      'policies/no-principal.json: Statement[0].Principal: must be "*" in an RCP; narrow who is denied with conditions (aws:PrincipalOrgID, aws:PrincipalAccount)',
    );
    expect(got).toContain(
      "policies/no-principal.json: Statement[1].NotPrincipal: not allowed in an RCP statement (RCPs support Principal, Action, Resource/NotResource and Condition; no NotAction or NotPrincipal)",
    );
  });

  test("an RCP over 5,120 characters minified is refused", () => {
    const actions = Array.from({ length: 300 }, (_, i) => `s3:GetSomething${i}`);
    const got = problems((d) => addRcp(d, "huge", ["Sandbox"], [{ ...TLS_ONLY, Action: actions }]));
    expect(got).toEqual([
      expect.stringMatching(
        /^policies\/huge\.json: \(document\): policy is \d+ characters minified; AWS allows 5120$/,
      ),
    ]);
  });

  test("RCPFullAWSAccess counts against the per-target limit, and the quota to raise is named", () => {
    const got = problems((d) => {
      for (const name of ["more-a", "more-b", "more-c", "more-d"])
        addRcp(d, name, ["Root"], [TLS_ONLY]);
    });
    expect(got).toEqual([
      expect.stringMatching(
        /^organization\.yaml: resourceControlPolicies\.policies: Root would have 6 RCPs attached \(data-perimeter, more-\w, more-\w, more-\w, more-\w and RCPFullAWSAccess\); the limit is 5\. .*quota of RCPs per root, OU or account \(Service Quotas, AWS Organizations\), set resourceControlPolicies\.maxPerTarget to it$/,
      ),
    ]);
  });

  test("an RCP target must exist, and a file must be read", () => {
    const got = problems((d) => {
      addRcp(d, "somewhere", ["Nowhere", "account:team-payments-qa"], [TLS_ONLY]);
      writeFileSync(join(d, PERIMETER), "{ nope");
    });
    expect(got).toContain(
      'organization.yaml: resourceControlPolicies.policies[1].targets[0]: unknown OU; known OUs: Security, Infrastructure, Workloads, Workloads/Prod, Workloads/NonProd, Sandbox, Suspended (got "Nowhere")',
    );
    expect(got).toContain(
      'organization.yaml: resourceControlPolicies.policies[1].targets[1]: unknown account; name an account by its stack id: account:log-archive, account:security, account:observability or account:team-<team>-<env> (got "account:team-payments-qa")',
    );
    expect(got.find((l) => l.startsWith(`${PERIMETER}: (document): not valid JSON`))).toBeDefined();
  });
});

describe("every RCP must let the landing zone's own flows through", () => {
  test("a perimeter without the AWS-service exemption would cut CloudTrail and Config off: refused, once per flow", () => {
    const got = problems((d) => {
      const doc = perimeter(d);
      delete doc.Statement[0].Condition.BoolIfExists;
      writePerimeter(d, doc);
    });
    expect(got).toEqual([
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: CloudTrail checks the log archive bucket's ACL (organization trail: s3:GetBucketAcl on arn:aws:s3:::acme-cloudtrail-111111111111); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: CloudTrail writes the trail to the log archive bucket (organization trail: s3:PutObject on arn:aws:s3:::acme-cloudtrail-111111111111/AWSLogs/o-thisorganization/111111111111/CloudTrail/eu-west-1/log.json.gz); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: CloudTrail encrypts the trail with the log archive key (organization trail: kms:GenerateDataKey on arn:aws:kms:eu-west-1:100000000001:key/trail); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: AWS Config delivers to the log archive bucket (organization-trail (management account): s3:GetBucketAcl on arn:aws:s3:::acme-cloudtrail-111111111111); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: CloudWatch alarms encrypt with the topics' key (log-archive: kms:GenerateDataKey on arn:aws:kms:eu-west-1:100000000003:key/topics); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: EventBridge assumes the findings role (security: sts:AssumeRole on arn:aws:iam::100000000002:role/lz-security-findings-to-critical); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
      "policies/data-perimeter.json: Statement[0]: would deny the landing zone's own flow: AWS Config assumes the aggregator role (security: sts:AssumeRole on arn:aws:iam::100000000002:role/lz-config-aggregator); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
    ]);
  });

  test("a perimeter that hard-codes another organization id locks Terraform out of every account", () => {
    const got = problems((d) => {
      const doc = perimeter(d);
      doc.Statement[0].Condition.StringNotEqualsIfExists["aws:PrincipalOrgID"] = "o-0000000000";
      writePerimeter(d, doc);
    });
    expect(got).toContainEqual(
      expect.stringMatching(
        /^policies\/data-perimeter\.json: Statement\[0\]: would deny the landing zone's own flow: Terraform assumes the platform role \(log-archive: sts:AssumeRole on /,
      ),
    );
  });

  test("an operator the check cannot read is reported, not passed", () => {
    const got = problems((d) =>
      addRcp(
        d,
        "ip-perimeter",
        ["Security"],
        [
          {
            ...TLS_ONLY,
            Condition: { NotIpAddress: { "aws:SourceIp": "192.0.2.0/24" }, "aws:Unknown": {} },
          },
        ],
      ),
    );
    expect(got[0]).toMatch(
      /^policies\/ip-perimeter\.json: Statement\[0\]: cannot be shown to allow the landing zone's own flow: CloudTrail checks the log archive bucket's ACL .*the offline check reads String, Arn, Bool and Null conditions/,
    );
  });
});

describe("an RCP that denies everything: only above suspended accounts, wherever the OU", () => {
  // Like the deny-all SCP, an RCP attached only to the Suspended OU may deny the landing zone
  // everything; the lock-out check (config/validators/lockout.ts) then follows where the accounts
  // really are, with the landing zone's own flows as what "locks out" means for an RCP.
  const QUARANTINE = {
    Effect: "Deny",
    Principal: "*",
    Action: ["kms:*", "s3:*", "secretsmanager:*", "sqs:*", "sts:*"],
    Resource: "*",
  };

  test("attached to the Suspended OU with no active account there, it is valid", () => {
    expect(problems((d) => addRcp(d, "quarantine", ["Suspended"], [QUARANTINE]))).toEqual([]);
  });

  test("an active core account placed there is refused at its ou, naming the flows it would cut", () => {
    const got = problems((d) => {
      addRcp(d, "quarantine", ["Suspended"], [QUARANTINE]);
      edit(
        d,
        ORG_FILE,
        "    email: aws-log-archive@acme.example\n    ou: Security",
        "    email: aws-log-archive@acme.example\n    ou: Suspended",
      );
    });
    expect(got).toContain(
      "organization.yaml: coreAccounts.logArchive.ou: the active account log-archive would sit in Suspended, where RCP quarantine (attached to Suspended) denies the landing zone's own requests to it (Statement[0]: CloudTrail checks the log archive bucket's ACL; CloudTrail writes the trail to the log archive bucket; CloudTrail encrypts the trail with the log archive key; AWS Config delivers to the log archive bucket; Terraform assumes the platform role; The platform role manages the log archive bucket) and the landing zone would lose access to it; only accounts ledger.yaml records as suspended or closed may sit under a policy that denies the platform role (got \"Suspended\")",
    );
    // Reported where the account was placed, not again on the policy's file.
    expect(got.filter((l) => l.startsWith("policies/quarantine.json"))).toEqual([]);
  });

  test("an active team account below it, through its environment, is refused there", () => {
    const got = problems((d) => {
      addRcp(d, "quarantine", ["Suspended"], [QUARANTINE]);
      edit(
        d,
        ORG_FILE,
        "  - name: Suspended\n",
        "  - name: Suspended\n    children:\n      - name: Hold\n",
      );
      edit(
        d,
        "teams/payments.yaml",
        "  dev:\n    serverless-api:",
        "  dev:\n    ou: Suspended/Hold\n    serverless-api:",
      );
    });
    expect(got).toContainEqual(
      expect.stringMatching(
        /^teams\/payments\.yaml: environments\.dev\.ou: the active account team-payments-dev would sit in Suspended\/Hold, where RCP quarantine \(attached to Suspended\) denies the landing zone's own requests to it \(Statement\[0\]: Terraform assumes the platform role\)/,
      ),
    );
  });

  test("attached anywhere else, it is refused on its statements, by the flows it would cut", () => {
    const got = problems((d) =>
      addRcp(d, "quarantine", ["account:team-payments-dev"], [QUARANTINE]),
    );
    expect(got).toEqual([
      "policies/quarantine.json: Statement[0]: would deny the landing zone's own flow: Terraform assumes the platform role (team-payments-dev: sts:AssumeRole on arn:aws:iam::100000000009:role/OrganizationAccountAccessRole); exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to ${aws:ResourceOrgID}",
    ]);
  });
});

describe("a documented exception: a partner account trusted in one OU only", () => {
  // The recipe in docs/security.md: the baseline moves from the root to every top-level OU but
  // Workloads; Workloads gets a copy that also trusts the partner.
  const PARTNER = "123456789012";
  let out: ReturnType<typeof synthAccounts>;
  let dir: string;
  beforeAll(() => {
    dir = copyExampleAccounts();
    const doc = perimeter(dir);
    doc.Statement[0].Condition.StringNotEqualsIfExists["aws:PrincipalAccount"] = [PARTNER];
    writeFileSync(join(dir, "policies", "data-perimeter-workloads.json"), JSON.stringify(doc));
    edit(
      dir,
      ORG_FILE,
      "      file: policies/data-perimeter.json\n      targets: [Root]\n",
      "      file: policies/data-perimeter.json\n      targets: [Security, Infrastructure, Sandbox, Suspended]\n    - name: data-perimeter-workloads\n      description: The perimeter, and the payment processor's account for the workloads.\n      file: policies/data-perimeter-workloads.json\n      targets: [Workloads]\n",
    );
    out = synthAccounts(dir, "organization");
  });
  afterAll(() => removeDir(dir));

  const partnerReads = (stackId: string) => {
    const rcps = policiesReaching(out, deployedPolicies(out), "RESOURCE_CONTROL_POLICY", stackId);
    return policiesDeny(rcps, {
      action: "s3:GetObject",
      resource: "arn:aws:s3:::some-bucket/x",
      context: {
        "aws:PrincipalArn": `arn:aws:iam::${PARTNER}:role/settlement`,
        "aws:PrincipalAccount": PARTNER,
        "aws:PrincipalOrgID": "o-partnerorg",
        "aws:PrincipalIsAWSService": false,
        "aws:ResourceOrgID": "o-thisorganization",
        "aws:SecureTransport": true,
      },
    }).denied;
  };

  test("the partner reaches a workload account's resources, not a core account's", () => {
    expect(partnerReads("team-payments-prod")).toBe("no");
    expect(partnerReads("team-catalog-dev")).toBe("no");
    expect(partnerReads("log-archive")).toBe("yes");
    expect(partnerReads("observability")).toBe("yes");
  });
});

describe("the new fields are validated, all problems at once", () => {
  test("bad values in every new section are each reported with file, field and value", () => {
    const got = problems((d) => {
      edit(d, ORG_FILE, "  rootSessions: true", "  rootSessions: sometimes");
      edit(d, ORG_FILE, "  httpTokens: required", "  httpTokens: v1");
      edit(d, ORG_FILE, "  httpPutResponseHopLimit: 2", "  httpPutResponseHopLimit: 65");
      edit(d, ORG_FILE, "  serialConsoleAccess: disabled", "  serialConsoleAccess: off");
      edit(
        d,
        ORG_FILE,
        "aiServicesOptOut:\n  enabled: true\n  targets: [Root]",
        "aiServicesOptOut:\n  enabled: true\n  targets: [Root, Root]",
      );
      edit(d, ORG_FILE, "    unusedAccessAgeDays: 90", "    unusedAccessAgeDays: 400");
      edit(
        d,
        ORG_FILE,
        "resourceControlPolicies:\n  maxPerTarget: 5",
        "resourceControlPolicies:\n  maxPerTarget: 0",
      );
    });
    expect(got).toEqual([
      "organization.yaml: resourceControlPolicies.maxPerTarget: Too small: expected number to be >0 (got 0)",
      'organization.yaml: centralizedRootAccess.rootSessions: Invalid input: expected boolean, received string (got "sometimes")',
      'organization.yaml: ec2DeclarativePolicy.httpTokens: Invalid option: expected one of "required"|"optional"|"no_preference" (got "v1")',
      "organization.yaml: ec2DeclarativePolicy.httpPutResponseHopLimit: Too big: expected number to be <=64 (got 65)",
      'organization.yaml: ec2DeclarativePolicy.serialConsoleAccess: Invalid option: expected one of "disabled"|"enabled" (got "off")',
      "organization.yaml: securityServices.unusedAccessAnalyzer.unusedAccessAgeDays: Too big: expected number to be <=365 (got 400)",
    ]);
    const targets = problems((d) => {
      edit(
        d,
        ORG_FILE,
        "aiServicesOptOut:\n  enabled: true\n  targets: [Root]",
        "aiServicesOptOut:\n  enabled: true\n  targets: [Root, Root]",
      );
      edit(
        d,
        ORG_FILE,
        "ec2DeclarativePolicy:\n  enabled: true\n  targets: [Root]",
        "ec2DeclarativePolicy:\n  enabled: true\n  targets: [Workloads/Dev]",
      );
    });
    expect(targets).toEqual([
      'organization.yaml: aiServicesOptOut.targets[1]: listed twice (first at aiServicesOptOut.targets[0]); write each entry once (got "Root")',
      'organization.yaml: ec2DeclarativePolicy.targets[0]: unknown OU; known OUs: Security, Infrastructure, Workloads, Workloads/Prod, Workloads/NonProd, Sandbox, Suspended (got "Workloads/Dev")',
    ]);
  });
});

describe("each control is on by default and leaves nothing behind when off", () => {
  let off: ReturnType<typeof synthAccounts>;
  let dir: string;
  beforeAll(() => {
    dir = copyExampleAccounts();
    edit(
      dir,
      ORG_FILE,
      "  rootCredentialsManagement: true\n  rootSessions: true",
      "  rootCredentialsManagement: false\n  rootSessions: false",
    );
    edit(
      dir,
      ORG_FILE,
      "ec2DeclarativePolicy:\n  enabled: true",
      "ec2DeclarativePolicy:\n  enabled: false",
    );
    edit(
      dir,
      ORG_FILE,
      "aiServicesOptOut:\n  enabled: true",
      "aiServicesOptOut:\n  enabled: false",
    );
    edit(dir, ORG_FILE, "  inspector:\n    enabled: true", "  inspector:\n    enabled: false");
    edit(
      dir,
      ORG_FILE,
      "    enabled: true\n    unusedAccessAgeDays: 90",
      "    enabled: false\n    unusedAccessAgeDays: 90",
    );
    edit(
      dir,
      ORG_FILE,
      "    - name: data-perimeter\n",
      "    - name: data-perimeter\n      # off\n",
    );
    const text = readFileSync(join(dir, ORG_FILE), "utf8");
    writeFileSync(
      join(dir, ORG_FILE),
      text.replace(
        /resourceControlPolicies:\n {2}maxPerTarget: 5\n {2}policies:\n(?: {4}.*\n| {6}.*\n)+/,
        "resourceControlPolicies:\n  policies: []\n",
      ),
    );
    off = synthAccounts(dir, "organization,security");
  });
  afterAll(() => removeDir(dir));

  test("no RCP, declarative or AI policy type, no IAM or Inspector trusted access, no root features", () => {
    const org = off.resource("organization", "aws_organizations_organization");
    expect(org.enabled_policy_types).toEqual(["SERVICE_CONTROL_POLICY", "TAG_POLICY"]);
    expect(org.aws_service_access_principals).not.toContain("iam.amazonaws.com");
    expect(org.aws_service_access_principals).not.toContain("inspector2.amazonaws.com");
    expect(off.resources("organization", "aws_iam_organizations_features")).toEqual({});
    const types = Object.values(off.resources("organization", "aws_organizations_policy")).map(
      (p) => p.type,
    );
    expect([...new Set(types)].sort()).toEqual(["SERVICE_CONTROL_POLICY", "TAG_POLICY"]);
  });

  test("no Inspector, no unused-access analyzer, no Inspector rule", () => {
    const types = Object.keys(off.stack("security").resource);
    expect(types.filter((t) => t.startsWith("aws_inspector2_"))).toEqual([]);
    const analyzers = Object.values(off.resources("security", "aws_accessanalyzer_analyzer"));
    expect(analyzers.map((a) => a.type)).not.toContain("ORGANIZATION_UNUSED_ACCESS");
    const sources = Object.values(off.resources("security", "aws_cloudwatch_event_rule")).map(
      (r) => JSON.parse(r.event_pattern).source[0],
    );
    expect(sources).not.toContain("aws.inspector2");
  });
});

describe("the controls as synthesized", () => {
  let out: ReturnType<typeof synthAccounts>;
  beforeAll(() => {
    out = synthAccounts(undefined, "organization,observability,team-payments-dev");
  });
  const policy = (type: string) =>
    Object.values(out.resources("organization", "aws_organizations_policy")).find(
      (p) => p.type === type,
    )!;

  test("centralized root access: IAM's trusted access and both features", () => {
    expect(
      out.resource("organization", "aws_organizations_organization").aws_service_access_principals,
    ).toContain("iam.amazonaws.com");
    expect(out.resource("organization", "aws_iam_organizations_features").enabled_features).toEqual(
      ["RootCredentialsManagement", "RootSessions"],
    );
  });

  test("the EC2 declarative policy: IMDSv2, no public AMI or snapshot sharing, serial console off", () => {
    expect(JSON.parse(policy("DECLARATIVE_POLICY_EC2").content)).toEqual({
      ec2_attributes: {
        instance_metadata_defaults: {
          http_tokens: { "@@assign": "required" },
          http_put_response_hop_limit: { "@@assign": "2" },
          http_endpoint: { "@@assign": "no_preference" },
          instance_metadata_tags: { "@@assign": "no_preference" },
        },
        image_block_public_access: { state: { "@@assign": "block_new_sharing" } },
        snapshot_block_public_access: { state: { "@@assign": "block_all_sharing" } },
        serial_console_access: { status: { "@@assign": "disabled" } },
      },
    });
  });

  test("the AI-services opt-out policy opts every service out, and no account may opt back in", () => {
    expect(JSON.parse(policy("AISERVICES_OPT_OUT_POLICY").content)).toEqual({
      services: {
        "@@operators_allowed_for_child_policies": ["@@none"],
        default: {
          "@@operators_allowed_for_child_policies": ["@@none"],
          opt_out_policy: {
            "@@operators_allowed_for_child_policies": ["@@none"],
            "@@assign": "optOut",
          },
        },
      },
    });
  });

  test("the monitoring account's API Gateway quota alarms count only its own account; a team's need not", () => {
    const queries = (stack: string) =>
      Object.values(out.resources(stack, "aws_cloudwatch_metric_alarm"))
        .filter((a) => a.alarm_name.includes("quota-apigateway-rate"))
        .flatMap((a) => a.metric_query.map((q: TfJson) => q.expression).filter(Boolean));
    const observability = queries("observability");
    expect(observability).toHaveLength(2);
    for (const q of observability) {
      expect(q).toBe(
        'SELECT SUM(Count) FROM SCHEMA("AWS/ApiGateway", ApiName) WHERE AWS.AccountId = CURRENT_ACCOUNT_ID()',
      );
    }
    for (const q of queries("team-payments-dev")) {
      expect(q).toBe('SELECT SUM(Count) FROM SCHEMA("AWS/ApiGateway", ApiName)');
    }
  });
});

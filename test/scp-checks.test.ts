// Organization policy checks, offline: IAM grammar, the 5,120-character limit, the per-target limit
// counting FullAWSAccess, region denies that leave the global services alone, and no Deny that could
// lock the platform role (and with it the landing zone) out of its accounts.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import {
  GLOBAL_SERVICE_ACTIONS,
  checkPolicyDocument,
  renderBuiltinPolicy,
} from "../config/policies";
import {
  checkPolicySafety,
  deniedGlobalActions,
  sparesPlatformRole,
} from "../config/validators/scp-safety";
import type { PolicyStatement } from "../config/model";
import { BUILTIN_POLICIES } from "../config/schema";
import { copyExampleAccounts, removeDir } from "./helpers";

const ROLE = "OrganizationAccountAccessRole";

/** Loads a copy of the example with `change` applied; returns the ConfigError text ("" if valid). */
function loadWith(change: (dir: string) => void): string {
  const dir = copyExampleAccounts();
  try {
    change(dir);
    loadLandingZone({ accountsDir: dir, cwd: dir });
    return "";
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message;
  } finally {
    removeDir(dir);
  }
}

function editOrg(dir: string, edit: (text: string) => string): void {
  const file = join(dir, "organization.yaml");
  writeFileSync(file, edit(readFileSync(file, "utf8")));
}

/** Adds a file policy `name` with `statements`, attached to `targets`. */
function addFilePolicy(dir: string, name: string, targets: string[], statements: object[]): void {
  writeFileSync(
    join(dir, "policies", `${name}.json`),
    JSON.stringify({ Version: "2012-10-17", Statement: statements }),
  );
  // After the last SCP of the example, which the RCPs' comment follows.
  editOrg(dir, (t) =>
    t.replace(
      "\n# The data perimeter",
      `    - name: ${name}\n      file: policies/${name}.json\n      targets: [${targets.join(", ")}]\n\n# The data perimeter`,
    ),
  );
}

const spare = { ArnNotLike: { "aws:PrincipalArn": [`arn:aws:iam::*:role/${ROLE}`] } };

it("accepts the example's policies", () => {
  expect(loadWith(() => {})).toBe("");
});

describe("grammar, size and per-target limit", () => {
  it("rejects a statement with Principal, naming the policy file and the statement", () => {
    const msg = loadWith((d) =>
      addFilePolicy(
        d,
        "bad-grammar",
        ["Sandbox"],
        [{ Effect: "Deny", Principal: "*", Action: "s3:*", Resource: "*", Condition: spare }],
      ),
    );
    expect(msg).toMatch(/^policies\/bad-grammar\.json: Statement\[0\]\.Principal: not allowed/m);
  });

  it("rejects a policy over 5,120 characters minified", () => {
    const actions = Array.from({ length: 300 }, (_, i) => `ec2:DescribeSomething${i}`);
    const msg = loadWith((d) =>
      addFilePolicy(
        d,
        "huge",
        ["Sandbox"],
        [{ Effect: "Deny", Action: actions, Resource: "*", Condition: spare }],
      ),
    );
    expect(msg).toMatch(
      /^policies\/huge\.json: \(document\): policy is \d+ characters minified; AWS allows 5120/m,
    );
  });

  it("counts FullAWSAccess against the per-target limit, and names the quota to raise", () => {
    // Root carries 2 policies; 3 more plus FullAWSAccess make 6 > 5.
    const msg = loadWith((d) => {
      for (const name of ["more-a", "more-b", "more-c"]) {
        addFilePolicy(
          d,
          name,
          ["Root"],
          [{ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*", Condition: spare }],
        );
      }
    });
    expect(msg).toMatch(
      /^organization\.yaml: serviceControlPolicies\.policies: Root would have 6 SCPs attached \(deny-outside-allowed-regions, protect-landing-zone, more-a, more-b, more-c and FullAWSAccess\); the limit is 5\. Merge policies or attach some to a parent OU; if AWS has raised your organization's quota of SCPs per root, OU or account \(Service Quotas, AWS Organizations\), set serviceControlPolicies\.maxPerTarget to it$/m,
    );
  });

  it("counts an account's own policies and FullAWSAccess against the same limit", () => {
    const msg = loadWith((d) => {
      for (const name of ["la-a", "la-b", "la-c", "la-d"]) {
        addFilePolicy(
          d,
          name,
          ["account:log-archive"],
          [{ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*", Condition: spare }],
        );
      }
    });
    expect(msg).toMatch(
      /^organization\.yaml: serviceControlPolicies\.policies: account:log-archive would have 6 SCPs attached \(protect-log-archive, la-a, la-b, la-c, la-d and FullAWSAccess\)/m,
    );
  });

  it("refuses an account target that is no account of the landing zone, and a target listed twice", () => {
    const msg = loadWith((d) =>
      addFilePolicy(
        d,
        "targets",
        ["account:log-archiv", "Sandbox", "Sandbox"],
        [{ Effect: "Deny", Action: "s3:DeleteBucket", Resource: "*", Condition: spare }],
      ),
    );
    expect(msg).toContain(
      'organization.yaml: serviceControlPolicies.policies[7].targets[0]: unknown account; name an account by its stack id: account:log-archive, account:security, account:observability or account:team-<team>-<env> (got "account:log-archiv")',
    );
    expect(msg).toContain(
      'organization.yaml: serviceControlPolicies.policies[7].targets[2]: listed twice (first at serviceControlPolicies.policies[7].targets[1]); write each entry once (got "Sandbox")',
    );
  });
});

describe("region denies exempt the global services", () => {
  it("rejects a region deny written with Action *", () => {
    const msg = loadWith((d) =>
      addFilePolicy(
        d,
        "region-action",
        ["Sandbox"],
        [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] }, ...spare },
          },
        ],
      ),
    );
    expect(msg).toMatch(
      new RegExp(
        `^policies/region-action\\.json: Statement\\[0\\]: a region deny must exempt the global services with NotAction; it would deny ${GLOBAL_SERVICE_ACTIONS.length} of them`,
        "m",
      ),
    );
  });

  it("rejects a NotAction list that forgets IAM and STS", () => {
    const notAction = GLOBAL_SERVICE_ACTIONS.filter((a) => a !== "iam:*" && a !== "sts:*");
    const msg = loadWith((d) =>
      addFilePolicy(
        d,
        "region-partial",
        ["Sandbox"],
        [
          {
            Effect: "Deny",
            NotAction: notAction,
            Resource: "*",
            Condition: { StringNotLike: { "aws:RequestedRegion": ["eu-*"] }, ...spare },
          },
        ],
      ),
    );
    expect(msg).toMatch(
      /region-partial\.json: Statement\[0\]: .*deny 2 of them \(iam:\*, sts:\*\)/,
    );
  });

  it("accepts the builtin region deny and a region deny of regional services only", () => {
    const builtin = renderBuiltinPolicy("deny-outside-allowed-regions", {
      allowedRegions: ["eu-west-1"],
      platformRoleName: ROLE,
    });
    expect(deniedGlobalActions(builtin.Statement[0])).toEqual([]);
    const regional: PolicyStatement = {
      Effect: "Deny",
      Action: ["ec2:RunInstances", "lambda:*"],
      Resource: "*",
      Condition: { StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] } },
    };
    expect(deniedGlobalActions(regional)).toEqual([]);
    expect(deniedGlobalActions({ ...regional, Action: ["iam:CreateUser"] })).toEqual(["iam:*"]);
  });
});

describe("no Deny locks the platform role out", () => {
  const denyS3 = { Effect: "Deny", Action: ["s3:PutBucketPolicy"], Resource: "*" };

  it("rejects a Deny without the platform role exemption", () => {
    const msg = loadWith((d) => addFilePolicy(d, "lockout", ["Workloads"], [denyS3]));
    expect(msg).toMatch(
      /^policies\/lockout\.json: Statement\[0\]: a Deny must spare the platform role, or the landing zone can lock itself out: add Condition ArnNotLike aws:PrincipalArn arn:aws:iam::\*:role\/OrganizationAccountAccessRole/m,
    );
  });

  it("rejects an exemption for some other role", () => {
    const msg = loadWith((d) =>
      addFilePolicy(
        d,
        "wrong-role",
        ["Workloads"],
        [
          {
            ...denyS3,
            Condition: { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Other" } },
          },
        ],
      ),
    );
    expect(msg).toMatch(/^policies\/wrong-role\.json: Statement\[0\]: a Deny must spare/m);
  });

  it("accepts the exemption, and a deny-all attached only to the Suspended OU", () => {
    expect(
      loadWith((d) => addFilePolicy(d, "spared", ["Workloads"], [{ ...denyS3, Condition: spare }])),
    ).toBe("");
    expect(loadWith((d) => addFilePolicy(d, "lock-suspended", ["Suspended"], [denyS3]))).toBe("");
  });

  it("rejects the builtin deny-all anywhere but the Suspended OU", () => {
    const msg = loadWith((d) =>
      editOrg(d, (t) =>
        t.replace(
          "builtin: deny-all\n      targets: [Suspended]",
          "builtin: deny-all\n      targets: [Sandbox]",
        ),
      ),
    );
    expect(msg).toMatch(
      /^organization\.yaml: serviceControlPolicies\.policies\[5\]\.Statement\[0\]: a Deny must spare the platform role/m,
    );
  });

  it("catches a renamed platform role that a hand-written policy still names the old way", () => {
    const msg = loadWith((d) =>
      editOrg(d, (t) =>
        t.replace(
          "platformRoleName: OrganizationAccountAccessRole",
          "platformRoleName: LandingZoneDeployer",
        ),
      ),
    );
    // The builtins follow the new name; the policy file in accounts/policies/ does not.
    expect(msg.split("\n").filter((l) => l.includes("must spare the platform role"))).toEqual([
      expect.stringMatching(/^policies\/deny-iam-users\.json: Statement\[0\]: /),
    ]);
  });

  it("treats statements scoped to other principals, and leaving the organization, as safe", () => {
    const rootOnly = renderBuiltinPolicy("deny-root-user", {
      allowedRegions: ["eu-west-1"],
      platformRoleName: ROLE,
    });
    expect(sparesPlatformRole(rootOnly.Statement[0], ROLE)).toBe(true);
    const leave = renderBuiltinPolicy("deny-leave-organization", {
      allowedRegions: ["eu-west-1"],
      platformRoleName: ROLE,
    });
    expect(sparesPlatformRole(leave.Statement[0], ROLE)).toBe(true);
    // A scope that includes the platform role is no exemption.
    const everyRole: PolicyStatement = {
      Effect: "Deny",
      Action: "s3:*",
      Resource: "*",
      Condition: { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } },
    };
    expect(sparesPlatformRole(everyRole, ROLE)).toBe(false);
    expect(
      checkPolicySafety(
        { Version: "2012-10-17", Statement: [everyRole] },
        { platformRoleName: ROLE, suspendedOnly: false },
      ),
    ).toHaveLength(1);
  });
});

describe("condition operators are read as IAM reads them, and fail closed", () => {
  const P = `arn:aws:iam::*:role/${ROLE}`;
  const deny = (Condition: object) => ({
    Effect: "Deny",
    Action: ["s3:PutBucketPolicy"],
    Resource: "*",
    Condition,
  });
  const verdict = (Condition: object) => {
    const msg = loadWith((d) => addFilePolicy(d, "cond", ["Workloads"], [deny(Condition)]));
    if (msg === "") return "spares the role";
    expect(msg).toMatch(
      /^policies\/cond\.json: Statement\[0\]: a Deny must spare the platform role, or the landing zone can lock itself out/m,
    );
    return "may deny the role";
  };

  const SPARED: [string, object][] = [
    ["ArnNotLike with the role pattern", { ArnNotLike: { "aws:PrincipalArn": P } }],
    [
      "ArnNotLikeIfExists (the key is always present)",
      { ArnNotLikeIfExists: { "aws:PrincipalArn": P } },
    ],
    ["ForAnyValue:ArnNotLike", { "ForAnyValue:ArnNotLike": { "aws:PrincipalArn": [P] } }],
    ["ForAllValues:ArnNotLike", { "ForAllValues:ArnNotLike": { "aws:PrincipalArn": [P] } }],
    ["StringNotLike with the role pattern", { StringNotLike: { "aws:PrincipalArn": P } }],
    ["StringNotLikeIfExists", { StringNotLikeIfExists: { "aws:PrincipalArn": P } }],
    [
      "ArnNotLike where one of several values is the role (values are OR)",
      { ArnNotLike: { "aws:PrincipalArn": ["arn:aws:iam::*:role/Other", P] } },
    ],
    [
      "StringLike scoped to the root user",
      { StringLike: { "aws:PrincipalArn": "arn:aws:iam::*:root" } },
    ],
    ["ArnLike scoped to IAM users", { ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:user/*" } }],
    [
      "ArnEquals scoped to the root user",
      { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*:root" } },
    ],
    [
      "StringEquals scoped to one literal root ARN",
      { StringEquals: { "aws:PrincipalArn": "arn:aws:iam::222222222222:root" } },
    ],
    [
      "StringEqualsIgnoreCase scoped to one literal user",
      { StringEqualsIgnoreCase: { "aws:PrincipalArn": "ARN:AWS:IAM::222222222222:USER/BOB" } },
    ],
    ["a condition key written in another case", { ArnNotLike: { "AWS:PrincipalARN": P } }],
    [
      "a region condition AND the role exemption (blocks are AND)",
      {
        StringNotEquals: { "aws:RequestedRegion": ["eu-west-1"] },
        ArnNotLike: { "aws:PrincipalArn": P },
      },
    ],
  ];

  const NOT_SPARED: [string, object][] = [
    [
      "StringNotEquals with a wildcard it compares literally",
      { StringNotEquals: { "aws:PrincipalArn": P } },
    ],
    [
      "StringNotEqualsIfExists with a wildcard",
      { StringNotEqualsIfExists: { "aws:PrincipalArn": P } },
    ],
    [
      "StringNotEqualsIgnoreCase with a wildcard",
      { StringNotEqualsIgnoreCase: { "aws:PrincipalArn": P.toLowerCase() } },
    ],
    [
      "ForAnyValue:StringNotEquals with a wildcard",
      { "ForAnyValue:StringNotEquals": { "aws:PrincipalArn": [P] } },
    ],
    [
      "ArnNotEquals with a wildcard (read literally, it spares no one)",
      { ArnNotEquals: { "aws:PrincipalArn": P } },
    ],
    [
      "StringNotLike with the role name in the wrong case",
      { StringNotLike: { "aws:PrincipalArn": P.toLowerCase() } },
    ],
    [
      "StringNotEqualsIgnoreCase naming the role in one account only",
      {
        StringNotEqualsIgnoreCase: { "aws:PrincipalArn": `arn:aws:iam::123456789012:role/${ROLE}` },
      },
    ],
    [
      "ArnNotLike naming the role in one account only",
      { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::123456789012:role/${ROLE}` } },
    ],
    [
      "ArnNotLike with a wildcard across ARN components",
      { ArnNotLike: { "aws:PrincipalArn": `arn:aws:iam::*role/${ROLE}` } },
    ],
    [
      "ArnEquals over every role (ambiguous reading)",
      { ArnEquals: { "aws:PrincipalArn": "arn:aws:iam::*:role/*" } },
    ],
    [
      "StringLike whose values include the role (values are OR)",
      { StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root", P] } },
    ],
    ["an operator the checker does not know", { Bool: { "aws:PrincipalArn": "true" } }],
    ["an operator name in the wrong case", { arnNotLike: { "aws:PrincipalArn": P } }],
    [
      "a policy variable in the value",
      { ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::${aws:PrincipalAccount}:role/" + ROLE } },
    ],
    [
      "a condition on another key only",
      { StringNotEquals: { "aws:PrincipalTag/team": "platform" } },
    ],
    ["an empty list of values", { ArnNotLike: { "aws:PrincipalArn": [] } }],
  ];

  test.each(SPARED)("accepts %s", (_name, condition) => {
    expect(verdict(condition)).toBe("spares the role");
  });

  test.each(NOT_SPARED)("refuses %s", (_name, condition) => {
    expect(verdict(condition)).toBe("may deny the role");
  });

  it("matches wildcards in linear time (no backtracking on a hostile pattern)", () => {
    const hostile = `${"*a".repeat(200)}b`;
    expect(
      sparesPlatformRole(
        {
          Effect: "Deny",
          Action: "s3:*",
          Resource: "*",
          Condition: { ArnNotLike: { "aws:PrincipalArn": hostile } },
        },
        ROLE,
      ),
    ).toBe(false);
  });
});

describe("a spare must hold in every account, not in the accounts a policy happens to list", () => {
  const deny = (condition: object): PolicyStatement =>
    ({ Effect: "Deny", Action: "*", Resource: "*", Condition: condition }) as PolicyStatement;
  const arnNotLike = (...values: string[]) => deny({ ArnNotLike: { "aws:PrincipalArn": values } });

  test.each([
    ["two listed accounts", ["123456789012", "987654321098"]],
    ["account prefixes", ["1*", "9*"]],
    ["account suffixes", ["*2", "*8"]],
    ["one real account", ["210987654321"]],
  ])("ArnNotLike sparing %s does not spare the role elsewhere", (_, accounts) => {
    const values = accounts.map((a) => `arn:aws:iam::${a}:role/${ROLE}`);
    expect(sparesPlatformRole(arnNotLike(...values), ROLE)).toBe(false);
  });

  test.each([
    ["any account", "*"],
    ["twelve single-character wildcards", "????????????"],
  ])("ArnNotLike with %s spares the role everywhere", (_, account) => {
    expect(sparesPlatformRole(arnNotLike(`arn:aws:iam::${account}:role/${ROLE}`), ROLE)).toBe(true);
  });

  test("a Deny that names the role in one account applies there: not spared", () => {
    const s = deny({
      ArnLike: { "aws:PrincipalArn": `arn:aws:iam::210987654321:role/${ROLE}` },
    });
    expect(sparesPlatformRole(s, ROLE)).toBe(false);
    const prefix = deny({ ArnLike: { "aws:PrincipalArn": `arn:aws:iam::2*:role/${ROLE}` } });
    expect(sparesPlatformRole(prefix, ROLE)).toBe(false);
  });

  test("a Deny for another role only spares the platform role", () => {
    const s = deny({ ArnLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/Break-Glass" } });
    expect(sparesPlatformRole(s, ROLE)).toBe(true);
  });

  test("a value carrying the symbolic account's character is undecidable: not spared", () => {
    expect(
      sparesPlatformRole(arnNotLike(`arn:aws:iam::${"\u0000".repeat(12)}:role/${ROLE}`), ROLE),
    ).toBe(false);
  });

  test("an empty Action list never counts as sparing", () => {
    expect(
      sparesPlatformRole({ Effect: "Deny", Action: [], Resource: "*" } as PolicyStatement, ROLE),
    ).toBe(false);
  });
});

describe("a region deny by any operator must exempt the global services when it reaches us-east-1", () => {
  const regionDeny = (condition: object) =>
    checkPolicySafety(
      {
        Version: "2012-10-17",
        Statement: [
          {
            Effect: "Deny",
            Action: "*",
            Resource: "*",
            // Operator by operator, so the spare's ArnNotLike does not replace the region's.
            Condition: Object.fromEntries(
              [...new Set([...Object.keys(condition), ...Object.keys(spare)])].map((op) => [
                op,
                {
                  ...(condition as Record<string, object>)[op],
                  ...(spare as Record<string, object>)[op],
                },
              ]),
            ),
          } as PolicyStatement,
        ],
      },
      { platformRoleName: ROLE, suspendedOnly: false },
    ).map((p) => p.message);

  test.each([
    ["StringEquals us-east-1", { StringEquals: { "aws:RequestedRegion": ["us-east-1"] } }],
    ["StringLike us-*", { StringLike: { "aws:RequestedRegion": "us-*" } }],
    ["ArnNotLike on a region", { ArnNotLike: { "aws:RequestedRegion": "eu-west-1" } }],
  ])("%s is refused without NotAction", (_, condition) => {
    expect(regionDeny(condition)).toEqual([
      expect.stringMatching(/^a region deny must exempt the global services with NotAction/),
    ]);
  });

  test("StringEquals ap-south-1 never reaches us-east-1: no exemption needed", () => {
    expect(regionDeny({ StringEquals: { "aws:RequestedRegion": "ap-south-1" } })).toEqual([]);
  });
});

test.each(BUILTIN_POLICIES)(
  "the builtin %s is grammatical (the loader renders builtins without the grammar check)",
  (kind) => {
    const doc = renderBuiltinPolicy(kind, {
      allowedRegions: ["eu-west-1", "us-east-1"],
      platformRoleName: ROLE,
      trailBucketName: "acme-cloudtrail-111111111111",
    });
    expect(checkPolicyDocument(doc)).toEqual([]);
  },
);

test("an empty Action list is refused by the grammar check: AWS would reject it at apply", () => {
  expect(
    checkPolicyDocument({
      Version: "2012-10-17",
      Statement: [{ Effect: "Deny", Action: [], Resource: "*" }],
    }),
  ).toContainEqual({ path: "Statement[0].Action", message: "must not be empty", got: [] });
});

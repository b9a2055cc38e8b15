// The bad configuration corpus: each case breaks a copy of the example in one way a person could, and
// the loader must reject it with a `<file>: <field path>: <message>` line that names the problem.
// Every line of every error must have that shape. A few cases run the real synth command and check it
// exits non-zero and leaves an existing cdktf.out exactly as it was.
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, cpSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { REPO, copyExampleAccounts, removeDir } from "./helpers";

const ORG = "organization.yaml";
const PAYMENTS = "teams/payments.yaml";
const CATALOG = "teams/catalog.yaml";

type Change =
  | { replace: [file: string, from: string, to: string] }
  | { write: [file: string, content: string | Buffer] }
  | { remove: string };

interface Case {
  name: string;
  changes: Change[];
  /** A line of the error: file and field path as written, then part of the message. */
  expect: [file: string, path: string, message: RegExp];
}

const replace = (file: string, from: string, to: string): Change => ({
  replace: [file, from, to],
});
const write = (file: string, content: string | Buffer): Change => ({ write: [file, content] });

const TEAM = (body: string) =>
  `name: payments\nowners:\n  - name: Dana\n    email: dana@acme.example\ncostCenter: CC-1\n${body}`;
const ENV =
  "environments:\n  dev:\n    traffic:\n      sync: { requestsPerSecond: 5, averageDurationMs: 100, p99DurationMs: 500 }\n";
const rps = (value: string) =>
  replace(PAYMENTS, "sync: { requestsPerSecond: 5,", `sync: { requestsPerSecond: ${value},`);

const CASES: Case[] = [
  // --- wrong types ----------------------------------------------------------------------------
  {
    name: "a number where a region is expected",
    changes: [replace(ORG, "homeRegion: eu-west-1", "homeRegion: 42")],
    expect: [ORG, "homeRegion", /expected string/],
  },
  {
    name: "an unquoted account id (YAML reads a number)",
    changes: [
      replace(ORG, 'managementAccountId: "111111111111"', "managementAccountId: 111111111111"),
    ],
    expect: [ORG, "managementAccountId", /expected string/],
  },
  {
    name: "yes/no instead of a boolean",
    changes: [replace(ORG, "production: true", "production: yes")],
    expect: [ORG, "environments.prod.production", /expected boolean/],
  },
  {
    name: "a string where a list is expected",
    changes: [
      replace(
        ORG,
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1]",
        "allowedRegions: eu-west-1",
      ),
    ],
    expect: [ORG, "allowedRegions", /expected array/],
  },
  {
    name: "traffic written as words",
    changes: [rps('"lots"')],
    expect: [PAYMENTS, "environments.dev.traffic.sync.requestsPerSecond", /expected number/],
  },
  {
    name: "a fractional duration",
    changes: [
      replace(
        PAYMENTS,
        "averageDurationMs: 120, p99DurationMs: 900 }\n      async",
        "averageDurationMs: 120.5, p99DurationMs: 900 }\n      async",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.traffic.sync.averageDurationMs",
      /expected int.*\(got 120\.5\)/,
    ],
  },
  {
    name: "a log retention CloudWatch does not accept",
    changes: [replace(ORG, "logRetentionDays: 14", "logRetentionDays: 13")],
    expect: [ORG, "environments.dev.logRetentionDays", /./],
  },
  // --- unknown keys ---------------------------------------------------------------------------
  {
    name: "a misspelt top-level key",
    changes: [replace(ORG, "homeRegion:", "homeRegoin: eu-west-1\nhomeRegion:")],
    expect: [ORG, "homeRegoin", /unknown field/],
  },
  {
    name: "an unknown key deep in an environment",
    changes: [replace(ORG, "logRetentionDays: 14", "logRetentionDays: 14\n    retention: 5")],
    expect: [ORG, "environments.dev.retention", /unknown field/],
  },
  {
    name: "an unknown key in a team file",
    changes: [replace(PAYMENTS, "costCenter: CC-2040", "costCenter: CC-2040\nownerz: []")],
    expect: [PAYMENTS, "ownerz", /unknown field/],
  },
  {
    name: "an unknown blueprint setting",
    changes: [replace(PAYMENTS, "  headroom: 1.2", "  headroom: 1.2\n  turbo: true")],
    expect: [PAYMENTS, "blueprint.turbo", /unknown field/],
  },
  // --- missing required fields ----------------------------------------------------------------
  {
    name: "no home region",
    changes: [replace(ORG, "homeRegion: eu-west-1\n", "")],
    expect: [ORG, "homeRegion", /required field is missing/],
  },
  {
    name: "a core account without an email",
    changes: [replace(ORG, "    email: aws-security@acme.example\n", "")],
    expect: [ORG, "coreAccounts.security.email", /required field is missing/],
  },
  {
    name: "a team without owners",
    changes: [write(PAYMENTS, `name: payments\ncostCenter: CC-1\n${ENV}`)],
    expect: [PAYMENTS, "owners", /required field is missing/],
  },
  {
    name: "a team with an empty owner list",
    changes: [write(PAYMENTS, `name: payments\nowners: []\ncostCenter: CC-1\n${ENV}`)],
    expect: [PAYMENTS, "owners", /./],
  },
  {
    name: "an environment without traffic",
    changes: [write(PAYMENTS, TEAM("environments:\n  dev:\n    region: eu-west-1\n"))],
    expect: [PAYMENTS, "environments.dev.traffic", /required field is missing/],
  },
  {
    name: "a team with no environments",
    changes: [write(PAYMENTS, TEAM("environments: {}\n"))],
    expect: [PAYMENTS, "environments", /at least one environment/],
  },
  // --- emails ---------------------------------------------------------------------------------
  {
    name: "an email without a domain",
    changes: [replace(ORG, "aws-security@acme.example", "aws-security@acme")],
    expect: [ORG, "coreAccounts.security.email", /email address/],
  },
  {
    name: "an email with a space",
    changes: [replace(ORG, "aws-security@acme.example", '"aws security@acme.example"')],
    expect: [ORG, "coreAccounts.security.email", /email address/],
  },
  {
    name: "an email over 64 characters",
    changes: [replace(ORG, "aws-security@acme.example", `${"a".repeat(60)}@acme.example`)],
    expect: [ORG, "coreAccounts.security.email", /64/],
  },
  {
    name: "two core accounts with one email",
    changes: [replace(ORG, "aws-security@acme.example", "aws-log-archive@acme.example")],
    expect: [
      ORG,
      "coreAccounts.security.email",
      /already used by organization\.yaml: coreAccounts\.logArchive\.email/,
    ],
  },
  {
    name: "the same email in another case",
    changes: [replace(ORG, "aws-security@acme.example", "AWS-Log-Archive@acme.example")],
    expect: [ORG, "coreAccounts.security.email", /case-insensitively/],
  },
  {
    name: "a team account reusing a core account's email",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    email: aws-observability@acme.example\n")],
    expect: [PAYMENTS, "environments.dev.email", /already used by organization\.yaml/],
  },
  {
    name: "a malformed owner email",
    changes: [replace(PAYMENTS, "dana.whitfield@acme.example", "dana.whitfield.acme.example")],
    expect: [PAYMENTS, "owners[0].email", /email address/],
  },
  // --- names ----------------------------------------------------------------------------------
  {
    name: "an organization name with capitals",
    changes: [replace(ORG, "name: acme\n", "name: Acme\n")],
    expect: [ORG, "name", /lowercase/],
  },
  {
    name: "an organization name with a space",
    changes: [replace(ORG, "name: acme\n", "name: acme corp\n")],
    expect: [ORG, "name", /lowercase/],
  },
  {
    name: "an organization name with non-ASCII letters",
    changes: [replace(ORG, "name: acme\n", "name: acmé\n")],
    expect: [ORG, "name", /lowercase ASCII/],
  },
  {
    name: "a team name with capitals",
    changes: [replace(PAYMENTS, "name: payments\n", "name: Payments\n")],
    expect: [PAYMENTS, "name", /lowercase/],
  },
  {
    name: "a team name with a space",
    changes: [replace(PAYMENTS, "name: payments\n", "name: pay ments\n")],
    expect: [PAYMENTS, "name", /lowercase/],
  },
  {
    name: "a team name with non-ASCII letters",
    changes: [replace(PAYMENTS, "name: payments\n", "name: paiemënts\n")],
    expect: [PAYMENTS, "name", /lowercase ASCII/],
  },
  {
    name: "a team name that differs from its file name",
    changes: [replace(PAYMENTS, "name: payments\n", "name: billing\n")],
    expect: [PAYMENTS, "name", /must match the file name/],
  },
  {
    name: "an environment name with capitals",
    changes: [replace(PAYMENTS, "  dev:\n", "  Dev:\n")],
    expect: [PAYMENTS, "environments.Dev", /an environment name must be lowercase.*\(got "Dev"\)/],
  },
  {
    name: "an OU name with a space",
    changes: [replace(ORG, "  - name: Sandbox\n", "  - name: Sand box\n")],
    expect: [ORG, "organizationalUnits[3].name", /letters and digits/],
  },
  {
    name: "a cost center with spaces",
    changes: [replace(PAYMENTS, "costCenter: CC-2040", "costCenter: CC 2040")],
    expect: [PAYMENTS, "costCenter", /tag-safe/],
  },
  {
    name: "a mandatory tag key with capitals",
    changes: [replace(ORG, "mandatory: [team,", "mandatory: [Team,")],
    expect: [ORG, "tags.mandatory[0]", /lowercase/],
  },
  // --- references -----------------------------------------------------------------------------
  {
    name: "a core account in an unknown OU",
    changes: [replace(ORG, "    ou: Infrastructure\n", "    ou: Infra\n")],
    expect: [
      ORG,
      "coreAccounts.observability.ou",
      /unknown OU; known OUs: Security, Infrastructure/,
    ],
  },
  {
    name: "an environment in an unknown OU",
    changes: [replace(ORG, "ou: Workloads/Prod", "ou: Workloads/Production")],
    expect: [ORG, "environments.prod.ou", /unknown OU/],
  },
  {
    name: "a team environment in an unknown OU",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    ou: Nowhere\n")],
    expect: [PAYMENTS, "environments.dev.ou", /unknown OU/],
  },
  {
    name: "an environment the organization does not define",
    changes: [replace(PAYMENTS, "  dev:\n", "  qa:\n")],
    expect: [
      PAYMENTS,
      "environments.qa",
      /unknown environment; the organization defines: dev, staging, prod/,
    ],
  },
  {
    name: "an SCP attached to an unknown OU",
    changes: [replace(ORG, "targets: [Workloads]", "targets: [Workload]")],
    expect: [ORG, "serviceControlPolicies.policies[5].targets[0]", /unknown OU/],
  },
  {
    name: "a region outside allowedRegions",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    region: ap-south-1\n")],
    expect: [PAYMENTS, "environments.dev.region", /allowedRegions/],
  },
  {
    name: "a malformed region",
    changes: [replace(ORG, "homeRegion: eu-west-1", "homeRegion: eu-west")],
    expect: [ORG, "homeRegion", /region name/],
  },
  {
    name: "no Suspended OU",
    changes: [replace(ORG, "  - name: Suspended\n", "")],
    expect: [ORG, "organizationalUnits", /Suspended OU is required/],
  },
  {
    name: "an unknown account status",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    status: deleted\n")],
    expect: [PAYMENTS, "environments.dev.status", /active|suspended|closed/],
  },
  {
    name: "an account id that is not 12 digits",
    changes: [replace(PAYMENTS, 'accountId: "210987654321"', 'accountId: "21098765432"')],
    expect: [PAYMENTS, "environments.prod.accountId", /12-digit/],
  },
  // --- traffic --------------------------------------------------------------------------------
  {
    name: "negative traffic",
    changes: [rps("-5")],
    expect: [PAYMENTS, "environments.dev.traffic.sync.requestsPerSecond", /too small|positive|>0/i],
  },
  {
    name: "zero traffic",
    changes: [rps("0")],
    expect: [PAYMENTS, "environments.dev.traffic.sync.requestsPerSecond", /too small|positive|>0/i],
  },
  {
    name: "absurdly large traffic",
    changes: [rps("1e12")],
    expect: [PAYMENTS, "environments.dev.traffic.sync.requestsPerSecond", /too big|<=100000/i],
  },
  {
    name: "traffic above the account's API Gateway quota",
    changes: [rps("20000")],
    expect: [PAYMENTS, "environments.dev.traffic.sync.requestsPerSecond", /API Gateway quota/],
  },
  {
    name: "traffic that needs more Lambda concurrency than the account has",
    changes: [
      replace(
        PAYMENTS,
        "async: { messagesPerSecond: 1, averageDurationMs: 20000 }",
        "async: { messagesPerSecond: 100, averageDurationMs: 20000 }",
      ),
    ],
    expect: [PAYMENTS, "environments.dev.traffic", /concurrent Lambda executions/],
  },
  {
    name: "a p99 below the average",
    changes: [
      replace(
        PAYMENTS,
        "averageDurationMs: 120, p99DurationMs: 900 }\n      async",
        "averageDurationMs: 120, p99DurationMs: 100 }\n      async",
      ),
    ],
    expect: [PAYMENTS, "environments.dev.traffic.sync.p99DurationMs", /at least averageDurationMs/],
  },
  {
    name: "an API function timeout beyond API Gateway's 29 s",
    changes: [replace(PAYMENTS, "      timeoutSeconds: 10", "      timeoutSeconds: 40")],
    expect: [PAYMENTS, "blueprint.functions.api.timeoutSeconds", /29 s/],
  },
  // --- file shape -----------------------------------------------------------------------------
  {
    name: "an empty organization file",
    changes: [write(ORG, "")],
    expect: [ORG, "(document)", /file is empty/],
  },
  {
    name: "an organization file of comments only",
    changes: [write(ORG, "# nothing here yet\n# really\n")],
    expect: [ORG, "(document)", /file is empty/],
  },
  {
    name: "an empty team file",
    changes: [write(PAYMENTS, "\n\n")],
    expect: [PAYMENTS, "(document)", /file is empty/],
  },
  {
    name: "a team file that is a list",
    changes: [write(PAYMENTS, "- name: payments\n- costCenter: CC-1\n")],
    expect: [PAYMENTS, "(document)", /mapping/],
  },
  {
    name: "a team file that is a single word",
    changes: [write(PAYMENTS, "payments\n")],
    expect: [PAYMENTS, "(document)", /mapping/],
  },
  {
    name: "two YAML documents in one file",
    changes: [write(PAYMENTS, `${TEAM(ENV)}---\nname: other\n`)],
    expect: [PAYMENTS, "(document)", /invalid YAML/],
  },
  {
    name: "a duplicated key",
    changes: [write(PAYMENTS, `${TEAM(ENV)}costCenter: CC-2\n`)],
    expect: [PAYMENTS, "(document)", /invalid YAML.*[Uu]nique|invalid YAML/],
  },
  {
    name: "a YAML anchor and alias",
    changes: [
      write(
        PAYMENTS,
        TEAM(
          "environments:\n  dev: &d\n    traffic:\n      sync: { requestsPerSecond: 5, averageDurationMs: 100, p99DurationMs: 500 }\n  prod: *d\n",
        ),
      ),
    ],
    expect: [PAYMENTS, "(document)", /anchors are not allowed/],
  },
  {
    name: "a YAML merge key",
    changes: [
      replace(
        ORG,
        "  dev:\n    ou: Workloads/NonProd",
        "  base: &b\n    ou: Workloads/NonProd\n  dev:\n    <<: *b\n    ou: Workloads/NonProd",
      ),
    ],
    expect: [ORG, "(document)", /anchors are not allowed|aliases are not allowed/],
  },
  {
    name: "a custom YAML tag",
    changes: [replace(ORG, "homeRegion: eu-west-1", "homeRegion: !Ref Region")],
    expect: [ORG, "(document)", /custom YAML tag !Ref is not allowed \(line \d+\)/],
  },
  {
    name: "invalid UTF-8 in a team file",
    changes: [
      write(
        PAYMENTS,
        Buffer.concat([
          Buffer.from("name: pay"),
          Buffer.from([0xff, 0xfe]),
          Buffer.from("ments\n"),
        ]),
      ),
    ],
    expect: [PAYMENTS, "(document)", /not valid UTF-8/],
  },
  {
    name: "a tab-indented file",
    changes: [write(PAYMENTS, "name: payments\nowners:\n\t- name: x\n")],
    expect: [PAYMENTS, "(document)", /invalid YAML/],
  },
  {
    name: "a team file with the .yml extension",
    changes: [write("teams/search.yml", TEAM(ENV).replace("name: payments", "name: search"))],
    expect: ["teams/search.yml", "(document)", /\.yaml, not \.yml/],
  },
  {
    name: "a missing organization file",
    changes: [{ remove: ORG }],
    expect: [ORG, "(document)", /file not found/],
  },
  // --- organization settings ------------------------------------------------------------------
  {
    name: "a team email template without {env}",
    changes: [
      replace(
        ORG,
        'emailTemplate: "aws+{team}-{env}@acme.example"',
        'emailTemplate: "aws+{team}@acme.example"',
      ),
    ],
    expect: [ORG, "teamAccounts.emailTemplate", /\{env\}/],
  },
  {
    name: "a mandatory tag nobody fills in",
    changes: [replace(ORG, "mandatory: [team,", "mandatory: [project, team,")],
    expect: [ORG, "tags.defaults", /mandatory tag project needs a value/],
  },
  {
    name: "an unknown state backend",
    changes: [replace(ORG, "  type: local\n", "  type: gcs\n")],
    expect: [ORG, "stateBackend.type", /./],
  },
  {
    name: "less than 100 unreserved Lambda concurrency",
    changes: [replace(ORG, "lambdaUnreservedMinimum: 100", "lambdaUnreservedMinimum: 50")],
    expect: [ORG, "quotas.lambdaUnreservedMinimum", /100/],
  },
  {
    name: "an SCP with both builtin and file",
    changes: [
      replace(
        ORG,
        "builtin: deny-all\n",
        "builtin: deny-all\n      file: policies/protect-s3-account-public-access-block.json\n",
      ),
    ],
    expect: [ORG, "serviceControlPolicies.policies[4]", /exactly one of builtin or file/],
  },
  {
    name: "an SCP file that does not exist",
    changes: [{ remove: "policies/protect-s3-account-public-access-block.json" }],
    expect: [
      "policies/protect-s3-account-public-access-block.json",
      "(document)",
      /file not found/,
    ],
  },
  {
    name: "an SCP file outside the accounts folder",
    changes: [
      replace(
        ORG,
        "file: policies/protect-s3-account-public-access-block.json",
        "file: ../secrets.json",
      ),
    ],
    expect: [ORG, "serviceControlPolicies.policies[5].file", /inside the accounts folder/],
  },
  {
    name: "an SCP file that is not JSON",
    changes: [write("policies/protect-s3-account-public-access-block.json", "{ Version: 2012 }")],
    expect: [
      "policies/protect-s3-account-public-access-block.json",
      "(document)",
      /not valid JSON/,
    ],
  },
  {
    name: "a guardrail waiver for a rule that does not exist",
    changes: [
      replace(
        ORG,
        "\ncloudTrail:",
        "\nguardrails:\n  waivers:\n    - { rule: be-careful, resource: security/x, reason: We are careful people }\n\ncloudTrail:",
      ),
    ],
    expect: [ORG, "guardrails.waivers[0].rule", /./],
  },
];

function apply(dir: string, change: Change): void {
  if ("replace" in change) {
    const [file, from, to] = change.replace;
    const text = readFileSync(join(dir, file), "utf8");
    if (!text.includes(from))
      throw new Error(`corpus case is stale: ${file} has no ${JSON.stringify(from)}`);
    writeFileSync(join(dir, file), text.replace(from, to));
  } else if ("write" in change) {
    const [file, content] = change.write;
    mkdirSync(join(dir, file, ".."), { recursive: true });
    writeFileSync(join(dir, file), content);
  } else {
    rmSync(join(dir, change.remove));
  }
}

function problemsOf(changes: Change[]): string[] {
  const dir = copyExampleAccounts();
  try {
    for (const c of changes) apply(dir, c);
    loadLandingZone({ accountsDir: dir, cwd: dir });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  } finally {
    removeDir(dir);
  }
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

test(`the corpus is large (${CASES.length} malformed configurations)`, () => {
  expect(CASES.length).toBeGreaterThanOrEqual(70);
  expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
});

test.each(CASES)("rejects $name", ({ changes, expect: [file, path, message] }) => {
  const lines = problemsOf(changes);
  expect(lines.length).toBeGreaterThan(0);
  // Every problem names a file and a field path (or "(document)" for the whole file).
  for (const line of lines) expect(line).toMatch(/^[\w./-]+\.(yaml|yml|json): \S[^:]*: \S/);
  const prefix = new RegExp(`^${escape(file)}: ${escape(path)}: `);
  const matching = lines.filter((l) => prefix.test(l));
  expect({ lines, found: matching.some((l) => message.test(l.replace(prefix, ""))) }).toEqual({
    lines,
    found: true,
  });
});

describe("nothing is written", () => {
  const BROKEN: [string, Change[]][] = [
    ["invalid YAML", [write(PAYMENTS, "name: [payments\n")]],
    [
      "a duplicate email",
      [replace(CATALOG, "  dev:\n", "  dev:\n    email: aws-security@acme.example\n")],
    ],
    [
      "an SCP that locks the platform role out",
      [replace("policies/protect-s3-account-public-access-block.json", '"Condition"', '"Unused"')],
    ],
  ];

  test.each(BROKEN)("synth with %s exits 1 and leaves cdktf.out as it was", (_name, changes) => {
    const project = mkdtempSync(join(tmpdir(), "lz-corpus-"));
    try {
      cpSync(join(REPO, "accounts"), join(project, "accounts"), { recursive: true });
      for (const c of changes) apply(join(project, "accounts"), c);
      mkdirSync(join(project, "cdktf.out", "stacks", "organization"), { recursive: true });
      const previous = join(project, "cdktf.out", "stacks", "organization", "cdk.tf.json");
      writeFileSync(previous, '{"previous":true}');
      const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
        cwd: project,
        encoding: "utf8",
        env: Object.fromEntries(
          Object.entries(process.env).filter(([k]) => k !== "LZ_ACCOUNTS_DIR" && k !== "LZ_STACKS"),
        ),
      });
      expect(r.status).toBe(1);
      expect(r.stderr).toMatch(/nothing was written/);
      expect(r.stderr).toMatch(/^accounts\/[\w./-]+: \S+: /m);
      expect(readFileSync(previous, "utf8")).toBe('{"previous":true}');
      // No other file in cdktf.out, and no staging folder left next to it.
      const files = spawnSync(
        "find",
        [".", "-path", "./accounts", "-prune", "-o", "-type", "f", "-print"],
        {
          cwd: project,
          encoding: "utf8",
        },
      );
      expect(files.stdout.trim()).toBe("./cdktf.out/stacks/organization/cdk.tf.json");
    } finally {
      removeDir(project);
    }
  });
});

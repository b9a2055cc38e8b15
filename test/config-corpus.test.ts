// The bad configuration corpus: each case breaks a copy of the example in one way a person could, and
// the loader must reject it with a `<file>: <field path>: <message>` line that names the problem.
// Every line of every error must have that shape. A few cases run the real synth command and check it
// exits non-zero and leaves an existing cdktf.out exactly as it was.
import { spawnSync } from "node:child_process";
import {
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
  cpSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { REPO, copyExampleAccounts, removeDir, EXAMPLE_ACCOUNTS } from "./helpers";

const ORG = "organization.yaml";
const PAYMENTS = "teams/payments.yaml";
const CATALOG = "teams/catalog.yaml";
const REPORTING = "teams/reporting.yaml";

type Change =
  | { replace: [file: string, from: string, to: string] }
  | { write: [file: string, content: string | Buffer] }
  | { remove: string }
  | { symlink: [file: string, target: string] }
  | { fifo: string };

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
/** A symlink at `file`; a relative target is relative to the accounts folder's parent. */
const symlink = (file: string, target: string): Change => ({ symlink: [file, target] });
const fifo = (file: string): Change => ({ fifo: file });
const POLICY = "policies/deny-iam-users.json";
const MIB = 1024 * 1024;

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
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /expected number/,
    ],
  },
  {
    name: "a fractional duration",
    changes: [
      replace(
        PAYMENTS,
        "averageDurationMs: 120, p99DurationMs: 900 }\n        async",
        "averageDurationMs: 120.5, p99DurationMs: 900 }\n        async",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.averageDurationMs",
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
    expect: [PAYMENTS, "serverless-api.turbo", /unknown field/],
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
    // A file that writes no former-layout field is pointed to the blueprint's key.
    expect: [PAYMENTS, "environments.dev.serverless-api.traffic", /required field is missing/],
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
    name: "an existing Config recorder in an account that does not exist yet",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    configRecorder: existing\n")],
    expect: [PAYMENTS, "environments.dev.configRecorder", /needs its accountId/],
  },
  {
    name: "an unknown Config recorder owner",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    configRecorder: control-tower\n")],
    expect: [PAYMENTS, "environments.dev.configRecorder", /landing-zone|existing/],
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
    expect: [ORG, "serviceControlPolicies.policies[6].targets[0]", /unknown OU/],
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
  // --- team file layout (config/layout.ts) ----------------------------------------------------
  {
    name: "the former and the current layout at once on the team",
    changes: [replace(PAYMENTS, "environments:\n", "blueprint:\n  headroom: 1.5\nenvironments:\n")],
    expect: [
      PAYMENTS,
      "serverless-api",
      /^set either traffic\/blueprint \(the former layout\) or serverless-api, not both \(got "blueprint, serverless-api"\)$/,
    ],
  },
  {
    name: "the former and the current layout at once on an environment",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:\n",
        "  dev:\n    traffic:\n      sync: { requestsPerSecond: 5, averageDurationMs: 120, p99DurationMs: 900 }\n    serverless-api:\n",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api",
      /^set either traffic\/blueprint \(the former layout\) or serverless-api, not both \(got "traffic, serverless-api"\)$/,
    ],
  },
  {
    name: "traffic under a blueprint's key that is not sized from traffic",
    changes: [
      replace(
        REPORTING,
        "  dev: {}\n",
        "  dev:\n    scheduled-jobs:\n      traffic:\n        sync: { requestsPerSecond: 5, averageDurationMs: 100, p99DurationMs: 500 }\n",
      ),
    ],
    expect: [REPORTING, "environments.dev.scheduled-jobs.traffic", /unknown field/],
  },
  {
    name: "traffic under the serverless API's key on the team (traffic is an environment's)",
    changes: [
      replace(
        PAYMENTS,
        "serverless-api:\n  headroom: 1.2\n",
        "serverless-api:\n  traffic:\n    sync: { requestsPerSecond: 5, averageDurationMs: 100, p99DurationMs: 500 }\n  headroom: 1.2\n",
      ),
    ],
    expect: [PAYMENTS, "serverless-api.traffic", /unknown field/],
  },
  {
    name: "serverless-api settings on an environment that does not list serverless-api",
    changes: [
      replace(
        REPORTING,
        "    blueprints: [baseline]\n",
        "    blueprints: [baseline]\n    serverless-api:\n      headroom: 2\n",
      ),
    ],
    expect: [
      REPORTING,
      "environments.staging.serverless-api",
      /settings of a blueprint this environment does not list \(blueprints: baseline\)/,
    ],
  },
  {
    name: "former-layout traffic on an environment that does not list serverless-api",
    changes: [
      replace(
        REPORTING,
        "    blueprints: [baseline]\n",
        "    blueprints: [baseline]\n    traffic:\n      sync: { requestsPerSecond: 5, averageDurationMs: 100, p99DurationMs: 500 }\n",
      ),
    ],
    expect: [
      REPORTING,
      "environments.staging.traffic",
      /no blueprint of this environment uses traffic \(blueprints: baseline\)/,
    ],
  },
  // --- traffic --------------------------------------------------------------------------------
  {
    name: "traffic written as .nan",
    changes: [rps(".nan")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /\.nan is YAML's not a number, which no field takes/,
    ],
  },
  {
    name: "traffic written as .inf",
    changes: [rps(".inf")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /\.inf is YAML's infinity, which no field takes/,
    ],
  },
  {
    name: "a duration written as -.inf",
    changes: [
      replace(
        PAYMENTS,
        "averageDurationMs: 120, p99DurationMs: 900 }\n        async",
        "averageDurationMs: -.inf, p99DurationMs: 900 }\n        async",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.averageDurationMs",
      /-\.inf is YAML's infinity/,
    ],
  },
  {
    name: "a whole traffic block that is NaN inside a list",
    changes: [rps("[.nan, 1]")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond[0]",
      /\.nan is YAML's/,
    ],
  },
  {
    name: "negative traffic",
    changes: [rps("-5")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /too small|positive|>0/i,
    ],
  },
  {
    name: "zero traffic",
    changes: [rps("0")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /too small|positive|>0/i,
    ],
  },
  {
    name: "absurdly large traffic",
    changes: [rps("1e12")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /too big|<=100000/i,
    ],
  },
  {
    name: "traffic above the account's API Gateway quota",
    changes: [rps("20000")],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.requestsPerSecond",
      /API Gateway quota/,
    ],
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
    expect: [PAYMENTS, "environments.dev.serverless-api.traffic", /concurrent Lambda executions/],
  },
  {
    name: "a p99 below the average",
    changes: [
      replace(
        PAYMENTS,
        "averageDurationMs: 120, p99DurationMs: 900 }\n        async",
        "averageDurationMs: 120, p99DurationMs: 100 }\n        async",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.serverless-api.traffic.sync.p99DurationMs",
      /at least averageDurationMs/,
    ],
  },
  {
    name: "an API function timeout beyond API Gateway's 29 s",
    changes: [replace(PAYMENTS, "      timeoutSeconds: 10", "      timeoutSeconds: 40")],
    expect: [PAYMENTS, "serverless-api.functions.api.timeoutSeconds", /29 s/],
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
        "builtin: deny-all\n      file: policies/deny-iam-users.json\n",
      ),
    ],
    expect: [ORG, "serviceControlPolicies.policies[5]", /exactly one of builtin or file/],
  },
  {
    name: "an SCP file that does not exist",
    changes: [{ remove: POLICY }],
    expect: [POLICY, "(document)", /file not found/],
  },
  {
    name: "an SCP file outside the accounts folder",
    changes: [replace(ORG, "file: policies/deny-iam-users.json", "file: ../secrets.json")],
    expect: [ORG, "serviceControlPolicies.policies[6].file", /inside the accounts folder/],
  },
  {
    name: "an SCP file that is not JSON",
    changes: [write(POLICY, "{ Version: 2012 }")],
    expect: [POLICY, "(document)", /not valid JSON/],
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

  // --- derived values -------------------------------------------------------------------------
  {
    name: "a team email template that makes emails over 64 characters",
    changes: [
      replace(
        ORG,
        'emailTemplate: "aws+{team}-{env}@acme.example"',
        'emailTemplate: "aws+{team}-{env}-account-of-the-acme-landing-zone@acme.example"',
      ),
    ],
    expect: [
      CATALOG,
      "environments.staging.email",
      /emailTemplate is 65 characters; AWS allows 64.*\(got "aws\+catalog-staging-/,
    ],
  },
  {
    name: "a team email template that makes an address with a space",
    changes: [
      replace(
        ORG,
        'emailTemplate: "aws+{team}-{env}@acme.example"',
        'emailTemplate: "aws {team}-{env}@acme.example"',
      ),
    ],
    expect: [CATALOG, "environments.dev.email", /emailTemplate is not a valid AWS account email/],
  },
  {
    name: "a team email template without a top-level domain",
    changes: [
      replace(
        ORG,
        'emailTemplate: "aws+{team}-{env}@acme.example"',
        'emailTemplate: "aws+{team}-{env}@acme"',
      ),
    ],
    expect: [PAYMENTS, "environments.dev.email", /emailTemplate is not a valid AWS account email/],
  },
  {
    name: "a name template that makes account names over 50 characters",
    changes: [
      replace(
        ORG,
        'nameTemplate: "{team}-{env}"',
        'nameTemplate: "{team}-{env} account of the acme landing zone, managed"',
      ),
    ],
    expect: [PAYMENTS, "environments.dev", /nameTemplate is 5\d characters; AWS allows 1 to 50/],
  },
  {
    name: "a name template that makes non-ASCII account names",
    changes: [replace(ORG, 'nameTemplate: "{team}-{env}"', 'nameTemplate: "{team}–{env}"')],
    expect: [PAYMENTS, "environments.dev", /nameTemplate must be printable ASCII/],
  },
  {
    name: "an empty name template",
    changes: [replace(ORG, 'nameTemplate: "{team}-{env}"', 'nameTemplate: ""')],
    expect: [CATALOG, "environments.dev", /nameTemplate is 0 characters/],
  },
  {
    name: "two team accounts with one account id",
    changes: [replace(PAYMENTS, 'accountId: "210987654321"', 'accountId: "323456789012"')],
    expect: [
      PAYMENTS,
      "environments.prod.accountId",
      /already used by teams\/catalog\.yaml: environments\.prod\.accountId;.*\(got "323456789012"\)/,
    ],
  },
  {
    name: "a team account with the management account's id",
    changes: [replace(PAYMENTS, 'accountId: "210987654321"', 'accountId: "111111111111"')],
    expect: [PAYMENTS, "environments.prod.accountId", /management account's id/],
  },
  {
    name: "a core account with the management account's id",
    changes: [
      replace(
        ORG,
        "    email: aws-security@acme.example\n",
        '    email: aws-security@acme.example\n    accountId: "111111111111"\n',
      ),
    ],
    expect: [ORG, "coreAccounts.security.accountId", /management account's id/],
  },
  {
    name: "a core account and a team account with one account id",
    changes: [
      replace(
        ORG,
        "    email: aws-security@acme.example\n",
        '    email: aws-security@acme.example\n    accountId: "210987654321"\n',
      ),
    ],
    expect: [PAYMENTS, "environments.prod.accountId", /already used by organization\.yaml/],
  },
  {
    name: "OUs nested six levels deep",
    changes: [
      replace(
        ORG,
        "  - name: Sandbox\n",
        "  - name: Sandbox\n    children:\n      - name: A\n        children:\n          - name: B\n            children:\n              - name: C\n                children:\n                  - name: D\n                    children:\n                      - name: E\n",
      ),
    ],
    expect: [
      ORG,
      "organizationalUnits[3].children[0].children[0].children[0].children[0].children[0].name",
      /at most 5 levels.*level 6 \(got "Sandbox\/A\/B\/C\/D\/E"\)/,
    ],
  },
  {
    name: "an allowed region AWS does not have",
    changes: [replace(ORG, "us-east-1]", "us-east-1, eu-west-9]")],
    expect: [ORG, "allowedRegions[3]", /not an AWS region.*\(got "eu-west-9"\)/],
  },
  {
    name: "an allowed region listed twice",
    changes: [replace(ORG, "us-east-1]", "us-east-1, eu-west-1]")],
    expect: [ORG, "allowedRegions[3]", /region listed twice/],
  },
  {
    name: "a home region AWS does not have",
    changes: [
      replace(ORG, "homeRegion: eu-west-1", "homeRegion: eu-east-1"),
      replace(ORG, "[eu-west-1,", "[eu-east-1, eu-west-1,"),
    ],
    expect: [ORG, "homeRegion", /not an AWS region/],
  },
  {
    name: "a team region AWS does not have",
    changes: [replace(PAYMENTS, "  dev:\n", "  dev:\n    region: us-east-7\n")],
    expect: [PAYMENTS, "environments.dev.region", /not an AWS region/],
  },
  {
    name: "an adopted OU id for an OU the tree does not have",
    changes: [
      replace(
        ORG,
        "\norganizationalUnits:",
        "\nexistingOrganization:\n  organizationId: o-a1b2c3d4e5\n  organizationalUnitIds:\n    Workloads/Production: ou-ab12-cd34ef56\norganizationalUnits:",
      ),
    ],
    expect: [
      ORG,
      "existingOrganization.organizationalUnitIds.Workloads/Production",
      /unknown OU; known OUs/,
    ],
  },
  {
    name: "one adopted OU id for two OUs",
    changes: [
      replace(
        ORG,
        "\norganizationalUnits:",
        "\nexistingOrganization:\n  organizationId: o-a1b2c3d4e5\n  organizationalUnitIds:\n    Workloads: ou-ab12-cd34ef56\n    Sandbox: ou-ab12-cd34ef56\norganizationalUnits:",
      ),
    ],
    expect: [
      ORG,
      "existingOrganization.organizationalUnitIds.Sandbox",
      /already given to Workloads/,
    ],
  },
  {
    name: "a guardrail waiver for a stack that does not exist",
    changes: [
      replace(
        ORG,
        "\ncloudTrail:",
        "\nguardrails:\n  waivers:\n    - { rule: table-pitr, resource: team-payment-dev/service/table, reason: Rebuilt nightly from the ledger }\n\ncloudTrail:",
      ),
    ],
    expect: [ORG, "guardrails.waivers[0].resource", /names stack team-payment-dev, which/],
  },
  {
    name: "a guardrail waiver for the stack of a suspended account",
    changes: [
      replace(PAYMENTS, "  dev:\n", "  dev:\n    status: suspended\n"),
      replace(
        "ledger.yaml",
        "  payments:\n    dev: [active]",
        "  payments:\n    dev: [active, suspended]",
      ),
      replace(
        ORG,
        "\ncloudTrail:",
        "\nguardrails:\n  waivers:\n    - { rule: table-pitr, resource: team-payments-dev/service/table, reason: Rebuilt nightly from the ledger }\n\ncloudTrail:",
      ),
    ],
    expect: [ORG, "guardrails.waivers[0].resource", /suspended or closed and has no stack/],
  },
  {
    name: "the same guardrail waiver twice",
    changes: [
      replace(
        ORG,
        "\ncloudTrail:",
        "\nguardrails:\n  waivers:\n    - { rule: table-pitr, resource: team-payments-dev/service/table, reason: Rebuilt nightly from the ledger }\n    - { rule: table-pitr, resource: team-payments-dev/service/table, reason: Rebuilt every night from the ledger }\n\ncloudTrail:",
      ),
    ],
    expect: [ORG, "guardrails.waivers[1]", /a second time/],
  },
  {
    name: "own code outside the repository",
    changes: [
      replace(
        PAYMENTS,
        "      timeoutSeconds: 10\n",
        "      timeoutSeconds: 10\n      code: { path: ../../etc/api.zip }\n",
      ),
    ],
    expect: [PAYMENTS, "serverless-api.functions.api.code", /outside the repository/],
  },
  {
    name: "own code that does not exist at validate time",
    changes: [
      replace(
        PAYMENTS,
        "      timeoutSeconds: 120\n",
        "      timeoutSeconds: 120\n      code: { path: dist/worker.zip }\n",
      ),
    ],
    expect: [
      PAYMENTS,
      "serverless-api.functions.worker.code",
      /"dist\/worker\.zip" does not exist/,
    ],
  },
  // --- files found or refused -------------------------------------------------------------------
  {
    name: "a team file in a subfolder",
    changes: [
      write("teams/platform/search.yaml", TEAM(ENV).replace("name: payments", "name: search")),
    ],
    expect: [
      "teams/platform",
      "(document)",
      /is a folder; team files live directly in accounts\/teams/,
    ],
  },
  {
    name: "a team file with an upper-case extension",
    changes: [write("teams/search.YAML", TEAM(ENV).replace("name: payments", "name: search"))],
    expect: ["teams/search.YAML", "(document)", /is not a team file/],
  },
  {
    name: "a team file with an upper-case name",
    changes: [write("teams/Search.yaml", TEAM(ENV).replace("name: payments", "name: search"))],
    expect: ["teams/Search.yaml", "name", /must match the file name/],
  },
  {
    name: "a JSON team file",
    changes: [write("teams/search.json", '{"name": "search"}')],
    expect: ["teams/search.json", "(document)", /is not a team file/],
  },
  {
    name: "a README among the team files",
    changes: [write("teams/README.md", "# Teams\n")],
    expect: ["teams/README.md", "(document)", /is not a team file/],
  },
  {
    name: "a team file that is a symlink out of the accounts folder",
    changes: [symlink("teams/search.yaml", "/etc/hostname")],
    expect: [
      "teams/search.yaml",
      "(document)",
      /symlink to \/etc\/hostname, outside the accounts folder/,
    ],
  },
  {
    name: "a team file that is a dangling symlink",
    changes: [symlink("teams/search.yaml", "teams/nowhere.yaml")],
    expect: ["teams/search.yaml", "(document)", /symlink to nothing/],
  },
  {
    name: "a team file that is a FIFO",
    changes: [fifo("teams/search.yaml")],
    expect: ["teams/search.yaml", "(document)", /is a FIFO \(named pipe\), not a regular file/],
  },
  {
    name: "an organization file that is a FIFO",
    changes: [{ remove: ORG }, fifo(ORG)],
    expect: [ORG, "(document)", /FIFO/],
  },
  {
    name: "a ledger that is a FIFO",
    changes: [{ remove: "ledger.yaml" }, fifo("ledger.yaml")],
    expect: ["ledger.yaml", "(document)", /FIFO/],
  },
  {
    name: "a ledger that is a symlink to a device",
    changes: [{ remove: "ledger.yaml" }, symlink("ledger.yaml", "/dev/zero")],
    expect: ["ledger.yaml", "(document)", /outside the accounts folder/],
  },
  {
    name: "a team file that is a folder named like one",
    changes: [write("teams/search.yaml/x", "")],
    expect: ["teams/search.yaml", "(document)", /is a folder/],
  },
  {
    name: "an SCP file that is a symlink out of the accounts folder",
    changes: [{ remove: POLICY }, symlink(POLICY, "/etc/hostname")],
    expect: [POLICY, "(document)", /outside the accounts folder/],
  },
  {
    name: "an SCP file that is a FIFO",
    changes: [{ remove: POLICY }, fifo(POLICY)],
    expect: [POLICY, "(document)", /FIFO/],
  },
  {
    name: "an SCP file with a duplicate key",
    changes: [
      replace(
        POLICY,
        '"Effect": "Deny",',
        '"Effect": "Deny",\n      "Condition": { "StringLike": { "aws:PrincipalArn": "*" } },',
      ),
    ],
    expect: [POLICY, "(document)", /duplicate JSON key at line 10/],
  },
  {
    name: "an SCP file with two Effect keys",
    changes: [replace(POLICY, '"Effect": "Deny",', '"Effect": "Deny", "Effect": "Allow",')],
    expect: [POLICY, "(document)", /duplicate JSON key at line 6/],
  },
  {
    name: "an SCP file with invalid UTF-8",
    changes: [
      write(
        POLICY,
        Buffer.concat([
          Buffer.from('{"Version": "2012-10-17", "Id": "'),
          Buffer.from([0xc3, 0x28]),
          Buffer.from('"}'),
        ]),
      ),
    ],
    expect: [POLICY, "(document)", /not valid UTF-8/],
  },
  {
    name: "an SCP that spares the role with StringNotEquals and a wildcard",
    changes: [replace(POLICY, '"ArnNotLike"', '"StringNotEquals"')],
    expect: [POLICY, "Statement[0]", /a Deny must spare the platform role/],
  },
  {
    name: "an SCP that spares the role with ForAnyValue:StringNotEquals",
    changes: [replace(POLICY, '"ArnNotLike"', '"ForAnyValue:StringNotEquals"')],
    expect: [POLICY, "Statement[0]", /a Deny must spare the platform role/],
  },
  {
    name: "an SCP that spares the role in one account only",
    changes: [replace(POLICY, "arn:aws:iam::*:role/", "arn:aws:iam::210987654321:role/")],
    expect: [POLICY, "Statement[0]", /a Deny must spare the platform role/],
  },
  {
    name: "an SCP whose spare hides behind an unknown operator",
    changes: [replace(POLICY, '"ArnNotLike"', '"ArnNotLikeMaybe"')],
    expect: [POLICY, "Statement[0]", /a Deny must spare the platform role/],
  },
  // --- budgets (config/validators/budget.ts) ---------------------------------------------------
  {
    name: "a negative budget headroom",
    changes: [
      replace(
        ORG,
        "observability:\n  alarmTopics:\n",
        "budgets:\n  headroom: -0.5\nobservability:\n  alarmTopics:\n",
      ),
    ],
    expect: [ORG, "budgets.headroom", /Too small.*>=0.*\(got -0\.5\)/],
  },
  {
    name: "a team's budget headroom over 10",
    changes: [
      replace(PAYMENTS, "costCenter: CC-2040\n", "costCenter: CC-2040\nbudget:\n  headroom: 50\n"),
    ],
    expect: [PAYMENTS, "budget.headroom", /Too big.*<=10/],
  },
  {
    name: "a budget limit of zero",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:\n",
        "  dev:\n    budget:\n      monthlyLimit: 0\n    serverless-api:\n",
      ),
    ],
    expect: [PAYMENTS, "environments.dev.budget.monthlyLimit", /Too small.*>0/],
  },
  {
    name: "an environment in a region without a price table and no budget limit",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:\n",
        "  dev:\n    region: us-east-1\n    serverless-api:\n",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.budget.monthlyLimit",
      /required: no price table covers us-east-1.*add cli\/prices\/us-east-1\.json/,
    ],
  },
  {
    name: "a critical topic email subscription that is no email address",
    changes: [replace(ORG, "endpoint: oncall@acme.example", "endpoint: oncall-at-acme")],
    expect: [
      ORG,
      "observability.alarmTopics.critical[0].endpoint",
      /must be an email address .*\(got "oncall-at-acme"\)/,
    ],
  },
  {
    name: "more budget recipients than AWS Budgets allows",
    changes: [
      replace(
        PAYMENTS,
        "owners:\n",
        `owners:\n${Array.from({ length: 10 }, (_, i) => `  - name: Owner ${i}\n    email: owner${i}@acme.example\n`).join("")}`,
      ),
    ],
    expect: [PAYMENTS, "owners", /budget alerts would go to 12 addresses; AWS Budgets allows 10/],
  },
  // --- prototype names (every map: test/prototype-names.test.ts) --------------------------------
  {
    name: "an environment named constructor",
    changes: [replace(PAYMENTS, "  dev:\n", "  constructor:\n")],
    expect: [
      PAYMENTS,
      "environments.constructor",
      /JavaScript object property.*\(got "constructor"\)/,
    ],
  },
  {
    name: "a tag default named __proto__",
    changes: [replace(ORG, "  defaults:\n", "  defaults:\n    __proto__: polluted\n")],
    expect: [ORG, "tags.defaults.__proto__", /JavaScript object property/],
  },
  {
    name: "a ledger team named toString",
    changes: [replace("ledger.yaml", "teams:\n", "teams:\n  toString:\n    dev: [active]\n")],
    expect: ["ledger.yaml", "teams.toString", /JavaScript object property/],
  },
  // --- size and YAML features -------------------------------------------------------------------
  {
    name: "flow collections nested thousands deep",
    changes: [
      replace(
        ORG,
        "  - name: Sandbox\n",
        `  - name: Sandbox\n    children: ${"[{name: A, children: ".repeat(3000)}[]${"}]".repeat(3000)}\n`,
      ),
    ],
    expect: [ORG, "(document)", /nested too deeply to read/],
  },
  {
    name: "a team file over 1 MiB",
    changes: [write(PAYMENTS, `${TEAM(ENV)}description: "${"x".repeat(MIB)}"\n`)],
    expect: [PAYMENTS, "(document)", /configuration files are at most 1048576 bytes \(1 MiB\)/],
  },
  {
    name: "an SCP file over 1 MiB",
    changes: [write(POLICY, `{"Version": "2012-10-17", "Id": "${"x".repeat(MIB)}"}`)],
    expect: [POLICY, "(document)", /at most 1048576 bytes/],
  },
  {
    name: "an alias bomb (billion laughs)",
    changes: [
      write(
        PAYMENTS,
        `${TEAM(ENV)}x0: &x0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n${Array.from(
          { length: 20 },
          (_, i) => `x${i + 1}: &x${i + 1} [${Array(9).fill(`*x${i}`).join(", ")}]`,
        ).join("\n")}\n`,
      ),
    ],
    expect: [PAYMENTS, "(document)", /anchors are not allowed \(line 11\)/],
  },
  {
    name: "a merge key without anchors",
    changes: [replace(ORG, "  defaults:\n", "  defaults:\n    <<: { team: x }\n")],
    expect: [ORG, "(document)", /merge keys are not allowed \(line \d+\)/],
  },
  {
    name: "tags on every line of a large file",
    changes: [
      write(
        PAYMENTS,
        `${TEAM(ENV)}${Array.from({ length: 20000 }, (_, i) => `k${i}: !custom x`).join("\n")}\n`,
      ),
    ],
    expect: [PAYMENTS, "(document)", /more problems of this kind follow/],
  },
  {
    name: "thousands of keys and one duplicate in a file the fast path cannot read",
    changes: [
      write(
        PAYMENTS,
        `${TEAM(ENV)}note: "*"\n${Array.from({ length: 30000 }, (_, i) => `k${i}: v`).join("\n")}\nk7: again\n`,
      ),
    ],
    expect: [PAYMENTS, "(document)", /invalid YAML at line 30\d\d\d: Map keys must be unique/],
  },
  // --- access (IAM Identity Center) -----------------------------------------------------------
  {
    name: "a permission set name longer than AWS allows",
    changes: [
      replace(ORG, "    TeamReadOnly:\n", "    TeamReadOnlyForEveryoneInTheCompanyAtOnce:\n"),
    ],
    expect: [
      ORG,
      "access.permissionSets.TeamReadOnlyForEveryoneInTheCompanyAtOnce",
      /1 to 32 characters/,
    ],
  },
  {
    name: "a session longer than Identity Center allows",
    changes: [replace(ORG, "sessionDuration: PT4H", "sessionDuration: PT13H")],
    expect: [ORG, "access.permissionSets.PlatformAdmin.sessionDuration", /from PT1H to PT12H/],
  },
  {
    name: "a session duration that is not ISO 8601",
    changes: [replace(ORG, "sessionDuration: PT4H", "sessionDuration: 4 hours")],
    expect: [
      ORG,
      "access.permissionSets.PlatformAdmin.sessionDuration",
      /ISO 8601 duration like PT8H/,
    ],
  },
  {
    name: "a customer policy ARN where AWS managed policies are listed",
    changes: [
      replace(
        ORG,
        "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
        "arn:aws:iam::123456789012:policy/Mine",
      ),
    ],
    expect: [ORG, "access.permissionSets.TeamReadOnly.managedPolicies[0]", /AWS managed policy/],
  },
  {
    name: "a permission set that grants nothing",
    changes: [
      replace(
        ORG,
        [
          "      managedPolicies:",
          "        - arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
          "        - arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
          "        - arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess\n",
        ].join("\n"),
        "",
      ),
    ],
    expect: [ORG, "access.permissionSets.TeamReadOnly", /grants nothing/],
  },
  {
    name: "a permission set's inline policy with a Principal",
    changes: [
      write(
        "policies/team-developer.json",
        JSON.stringify({
          Version: "2012-10-17",
          Statement: [{ Effect: "Allow", Principal: "*", Action: "s3:GetObject", Resource: "*" }],
        }),
      ),
    ],
    expect: ["policies/team-developer.json", "Statement[0].Principal", /identity policy statement/],
  },
  {
    name: "a permission set's inline policy file that does not exist",
    changes: [{ remove: "policies/team-developer.json" }],
    expect: ["policies/team-developer.json", "(document)", /file not found/],
  },
  {
    name: "a permission set's inline policy outside the accounts folder",
    changes: [
      replace(ORG, "inlinePolicy: policies/team-developer.json", "inlinePolicy: ../package.json"),
    ],
    expect: [ORG, "access.permissionSets.TeamDeveloper.inlinePolicy", /inside the accounts folder/],
  },
  {
    name: "an assignment rule naming a permission set that does not exist",
    changes: [replace(ORG, "permissionSet: TeamDeveloper,", "permissionSet: TeamDev,")],
    expect: [
      ORG,
      "access.assignments[0].permissionSet",
      /no such permission set; access.permissionSets defines: PlatformAdmin, TeamDeveloper, TeamReadOnly/,
    ],
  },
  {
    name: "an assignment rule naming an environment that does not exist",
    changes: [
      replace(
        ORG,
        "permissionSet: TeamReadOnly, environments: production }",
        "permissionSet: TeamReadOnly, environments: [prod, qa] }",
      ),
    ],
    expect: [
      ORG,
      "access.assignments[1].environments[1]",
      /no such environment; organization.yaml defines: dev, staging, prod/,
    ],
  },
  {
    name: "an assignment rule whose environments is neither a keyword nor a list",
    changes: [replace(ORG, "environments: nonproduction }", "environments: nonprod }")],
    expect: [ORG, "access.assignments[0].environments", /./],
  },
  {
    name: "a platform group given a permission set that does not exist",
    changes: [replace(ORG, "permissionSets: [PlatformAdmin]", "permissionSets: [PlatformAdmins]")],
    expect: [ORG, "access.groups.admins.permissionSets[0]", /no such permission set/],
  },
  {
    name: "a platform group both created and named as existing",
    changes: [
      replace(
        ORG,
        "      permissionSets: [PlatformAdmin]",
        "      displayName: Platform\n      permissionSets: [PlatformAdmin]",
      ),
    ],
    expect: [ORG, "access.groups.admins", /exactly one of create, displayName or id/],
  },
  {
    name: "a team group template without the role",
    changes: [replace(ORG, 'displayName: "{team}-{role}"', 'displayName: "{team}-engineers"')],
    expect: [ORG, "access.teamGroups.displayName", /must contain \{role\}/],
  },
  {
    name: "a team file naming a group for a role no rule gives anything",
    changes: [replace("teams/notifications.yaml", "    developers:\n", "    engineers:\n")],
    expect: [
      "teams/notifications.yaml",
      "access.groups.engineers",
      /no assignment rule gives this role anything; organization.yaml access.assignments has roles: developers, readers/,
    ],
  },
  {
    name: "a team file creating a group whose name the platform group already has",
    changes: [
      replace(
        "teams/notifications.yaml",
        "displayName: notifications-engineers",
        "displayName: platform-admins",
      ),
    ],
    expect: [
      "teams/notifications.yaml",
      "access.groups.developers.create.displayName",
      /already created by organization.yaml: access.groups.admins.create.displayName/,
    ],
  },
  {
    name: "a team file naming an existing group by a malformed id",
    changes: [
      replace(
        "teams/notifications.yaml",
        "      create:\n        displayName: notifications-engineers\n        description: Engineers of the notifications team\n",
        "      id: notifications-engineers\n",
      ),
    ],
    expect: ["teams/notifications.yaml", "access.groups.developers.id", /identity store group id/],
  },
  // --- issue 22: the lock-out check follows where accounts really are ----------------------------
  {
    name: "an active core account placed in the Suspended OU",
    changes: [
      replace(
        ORG,
        "    email: aws-observability@acme.example\n    ou: Infrastructure",
        "    email: aws-observability@acme.example\n    ou: Suspended",
      ),
    ],
    expect: [
      ORG,
      "coreAccounts.observability.ou",
      /the active account observability would sit in Suspended, where SCP deny-all \(attached to Suspended\) denies the platform role/,
    ],
  },
  {
    name: "an active team account placed in the Suspended OU by its environment",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:",
        "  dev:\n    ou: Suspended\n    serverless-api:",
      ),
    ],
    expect: [PAYMENTS, "environments.dev.ou", /team-payments-dev would sit in Suspended.*deny-all/],
  },
  {
    name: "an active team account in an OU below the Suspended OU",
    changes: [
      replace(
        ORG,
        "  - name: Suspended\n",
        "  - name: Suspended\n    children:\n      - name: Hold\n",
      ),
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:",
        "  dev:\n    ou: Suspended/Hold\n    serverless-api:",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.ou",
      /would sit in Suspended\/Hold, where SCP deny-all \(attached to Suspended\)/,
    ],
  },
  {
    name: "active team accounts placed under the deny-all by an environment's default OU",
    changes: [
      replace(ORG, "  staging:\n    ou: Workloads/NonProd", "  staging:\n    ou: Suspended"),
    ],
    expect: [
      CATALOG,
      "environments.staging",
      /team-catalog-staging would sit in Suspended \(the default OU of environment staging, organization\.yaml: environments\.staging\.ou\)/,
    ],
  },
  {
    name: "a core account under a custom deny-everything SCP attached to a Suspended child",
    changes: [
      write(
        "policies/quarantine.json",
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*"}]}',
      ),
      replace(
        ORG,
        "  - name: Suspended\n",
        "  - name: Suspended\n    children:\n      - name: Hold\n",
      ),
      replace(
        ORG,
        "    - name: deny-iam-users\n",
        "    - name: quarantine\n      file: policies/quarantine.json\n      targets: [Suspended]\n    - name: deny-iam-users\n",
      ),
      replace(
        ORG,
        "    email: aws-security@acme.example\n    ou: Security",
        "    email: aws-security@acme.example\n    ou: Suspended/Hold",
      ),
    ],
    expect: [
      ORG,
      "coreAccounts.security.ou",
      /SCP quarantine \(attached to Suspended\) denies the platform role/,
    ],
  },
  {
    name: "a core account under an RCP that denies everything, attached to the Suspended OU",
    changes: [
      write(
        "policies/quarantine.json",
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": ["s3:*", "sts:*", "kms:*"], "Resource": "*"}]}',
      ),
      replace(
        ORG,
        "      file: policies/data-perimeter.json\n      targets: [Root]\n",
        "      file: policies/data-perimeter.json\n      targets: [Root]\n    - name: quarantine\n      file: policies/quarantine.json\n      targets: [Suspended]\n",
      ),
      replace(
        ORG,
        "    email: aws-observability@acme.example\n    ou: Infrastructure",
        "    email: aws-observability@acme.example\n    ou: Suspended",
      ),
    ],
    expect: [
      ORG,
      "coreAccounts.observability.ou",
      /RCP quarantine \(attached to Suspended\) denies the landing zone's own requests to it \(Statement\[0\]: .*Terraform assumes the platform role/,
    ],
  },
  {
    name: "an active team account under an RCP that denies everything, through its environment's default OU",
    changes: [
      write(
        "policies/quarantine.json",
        '{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "sts:*", "Resource": "*"}]}',
      ),
      replace(
        ORG,
        "      file: policies/data-perimeter.json\n      targets: [Root]\n",
        "      file: policies/data-perimeter.json\n      targets: [Root]\n    - name: quarantine\n      file: policies/quarantine.json\n      targets: [Suspended]\n",
      ),
      replace(ORG, "  staging:\n    ou: Workloads/NonProd", "  staging:\n    ou: Suspended"),
    ],
    expect: [
      CATALOG,
      "environments.staging",
      /team-catalog-staging would sit in Suspended \(the default OU of environment staging.*RCP quarantine \(attached to Suspended\)/,
    ],
  },
  // --- issue 22: one partition ------------------------------------------------------------------
  {
    name: "a GovCloud home region",
    changes: govCloud("us-gov-west-1"),
    expect: [
      ORG,
      "homeRegion",
      /is in the aws-us-gov partition \(AWS GovCloud \(US\)\).*only the aws partition/,
    ],
  },
  {
    name: "a China home region",
    changes: govCloud("cn-north-1"),
    expect: [ORG, "homeRegion", /is in the aws-cn partition \(AWS China\)/],
  },
  {
    name: "allowed regions of two partitions",
    changes: [
      replace(
        ORG,
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1]",
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1, cn-north-1]",
      ),
    ],
    expect: [
      ORG,
      "allowedRegions[3]",
      /aws-cn partition; every region must be in homeRegion's partition, aws/,
    ],
  },
  {
    name: "a state bucket in another partition",
    changes: [
      replace(
        ORG,
        "  type: local\n  directory: terraform-state\n",
        "  type: s3\n  bucket: acme-landing-zone-state\n  region: us-gov-west-1\n",
      ),
    ],
    expect: [ORG, "stateBackend.region", /aws-us-gov partition/],
  },
  {
    name: "a managed policy ARN of a made-up partition",
    changes: [
      replace(
        ORG,
        "managedPolicies: [arn:aws:iam::aws:policy/PowerUserAccess]",
        "managedPolicies: [arn:aws-foo:iam::aws:policy/PowerUserAccess]",
      ),
    ],
    expect: [ORG, "access.permissionSets.TeamDeveloper.managedPolicies[0]", /ARN/],
  },
  {
    name: "a managed policy ARN of another partition",
    changes: [
      replace(
        ORG,
        "managedPolicies: [arn:aws:iam::aws:policy/PowerUserAccess]",
        "managedPolicies: [arn:aws-us-gov:iam::aws:policy/PowerUserAccess]",
      ),
    ],
    expect: [
      ORG,
      "access.permissionSets.TeamDeveloper.managedPolicies[0]",
      /is an ARN of the aws-us-gov partition; this organization is in aws/,
    ],
  },
  {
    name: "a table key ARN of another partition",
    changes: [
      replace(
        PAYMENTS,
        "  queue:\n",
        "  table:\n    kmsKeyArn: arn:aws-cn:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\n  queue:\n",
      ),
    ],
    expect: [PAYMENTS, "serverless-api.table.kmsKeyArn", /aws-cn partition/],
  },
  {
    name: "a state role ARN of another partition",
    changes: [
      replace(
        ORG,
        "  type: local\n  directory: terraform-state\n",
        "  type: s3\n  bucket: acme-landing-zone-state\n  region: eu-west-1\n  roleArn: arn:aws-us-gov:iam::111111111111:role/state\n",
      ),
    ],
    expect: [ORG, "stateBackend.roleArn", /aws-us-gov partition/],
  },
  {
    name: "a permissions boundary ARN of another partition",
    changes: [
      replace(
        ORG,
        "      inlinePolicy: policies/team-developer.json\n",
        "      inlinePolicy: policies/team-developer.json\n      permissionsBoundary:\n        managedPolicyArn: arn:aws-cn:iam::aws:policy/PowerUserAccess\n",
      ),
    ],
    expect: [
      ORG,
      "access.permissionSets.TeamDeveloper.permissionsBoundary.managedPolicyArn",
      /aws-cn partition/,
    ],
  },
  // --- issue 22: one YAML meaning -----------------------------------------------------------------
  {
    name: "a number with underscores",
    changes: [replace(PAYMENTS, "maxReceiveCount: 5", "maxReceiveCount: 1_0")],
    expect: [PAYMENTS, "serverless-api.queue.maxReceiveCount", /1_0 .*underscores.*\(line 22\)/],
  },
  {
    name: "a binary number",
    changes: [replace(PAYMENTS, "batchSize: 10", "batchSize: 0b1010")],
    expect: [PAYMENTS, "serverless-api.queue.batchSize", /0b1010 .*binary.*write 10/],
  },
  {
    name: "a hexadecimal number",
    changes: [replace(PAYMENTS, "maxReceiveCount: 5", "maxReceiveCount: 0x5")],
    expect: [PAYMENTS, "serverless-api.queue.maxReceiveCount", /0x5 .*hexadecimal.*write 5/],
  },
  {
    name: "an octal number",
    changes: [replace(PAYMENTS, "maxReceiveCount: 5", "maxReceiveCount: 0o5")],
    expect: [PAYMENTS, "serverless-api.queue.maxReceiveCount", /0o5 .*octal/],
  },
  {
    name: "a number with a leading zero",
    changes: [replace(PAYMENTS, "maxReceiveCount: 5", "maxReceiveCount: 05")],
    expect: [
      PAYMENTS,
      "serverless-api.queue.maxReceiveCount",
      /05 .*leading zero.*YAML 1\.1 reads as octal/,
    ],
  },
  {
    name: "a not-a-number",
    changes: [replace(PAYMENTS, "costCenter: CC-2040", "costCenter: .nan")],
    expect: [PAYMENTS, "costCenter", /\.nan .*not a number.*quote it/],
  },
  {
    name: "an infinite number",
    changes: [replace(PAYMENTS, "  headroom: 1.2", "  headroom: -.Inf")],
    expect: [PAYMENTS, "serverless-api.headroom", /-\.Inf .*infinity/],
  },
  {
    name: "a number form refused the same whether or not the file has an anchor character",
    changes: [
      replace(PAYMENTS, "description: Card payments and settlement", 'description: "R&D payments"'),
      replace(PAYMENTS, "maxReceiveCount: 5", "maxReceiveCount: 1_0"),
    ],
    expect: [PAYMENTS, "serverless-api.queue.maxReceiveCount", /1_0 .*underscores/],
  },
  {
    name: "a number as a key",
    changes: [
      replace(ORG, "    organization: acme\n", "    organization: acme\n    0x10: sixteen\n"),
    ],
    expect: [ORG, "(document)", /0x10 .*hexadecimal.*\(line \d+\)/],
  },
  {
    name: 'keys that are equal as text: 2024 and "2024"',
    changes: [
      replace(
        ORG,
        "    organization: acme\n",
        '    organization: acme\n    2024: a\n    "2024": b\n',
      ),
    ],
    expect: [ORG, "(document)", /invalid YAML at line \d+: Map keys must be unique.*"2024"/],
  },
  {
    name: 'keys that are equal as text: null and "null"',
    changes: [
      replace(
        ORG,
        "    organization: acme\n",
        '    organization: acme\n    "null": a\n    null: b\n',
      ),
    ],
    expect: [ORG, "(document)", /Map keys must be unique/],
  },
  {
    name: 'keys that are equal as text: true and "true"',
    changes: [
      replace(
        ORG,
        "    organization: acme\n",
        '    organization: acme\n    true: a\n    "true": b\n',
      ),
    ],
    expect: [ORG, "(document)", /Map keys must be unique/],
  },
  {
    name: "a YAML 1.1 directive",
    changes: [
      replace(ORG, "# yaml-language-server", "%YAML 1.1\n---\n# yaml-language-server"),
      replace(ORG, "production: true", "production: yes"),
      replace(ORG, "Workload accounts get no IAM users", "R&D accounts get no IAM users"),
    ],
    expect: [ORG, "(document)", /YAML directives \(%YAML 1\.1\) are not allowed.*YAML 1\.2/],
  },
  {
    name: "an SCP file nested a hundred thousand levels deep",
    changes: [
      write(
        POLICY,
        `{"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Action": "*", "Resource": "*", "Condition": {"StringLike": {"aws:x": ${"[".repeat(100_000)}${"]".repeat(100_000)}}}}]}`,
      ),
    ],
    expect: [POLICY, "(document)", /nested more than 32 levels deep/],
  },
  {
    name: "a team file nested deeply in block style",
    changes: [
      write(
        PAYMENTS,
        `${TEAM(ENV)}x:\n${Array.from({ length: 200 }, (_, i) => `${" ".repeat(i)}- `).join("\n")}1\n`,
      ),
    ],
    expect: [PAYMENTS, "(document)", /nested too deeply to read/],
  },
  {
    name: "invalid UTF-8, shown with its bytes escaped",
    changes: [
      write(
        PAYMENTS,
        Buffer.concat([
          Buffer.from("name: pay"),
          Buffer.from([0xff, 0x1b]),
          Buffer.from("ments\n"),
        ]),
      ),
    ],
    expect: [
      PAYMENTS,
      "(document)",
      /not valid UTF-8: byte 9 \(line 1\) in "name: pay\\xff\\x1bments\\x0a"/,
    ],
  },
  // --- issue 22: refused at validate what AWS refuses at apply ------------------------------------
  {
    name: "a team group display name template with a leading space",
    changes: [replace(ORG, 'displayName: "{team}-{role}"', 'displayName: " {team}-{role}"')],
    expect: [ORG, "access.teamGroups.displayName", /must not start or end with a space/],
  },
  {
    name: "a team group display name template that makes names over 1,024 characters",
    changes: [
      replace(
        ORG,
        'displayName: "{team}-{role}"',
        `displayName: "{team}-{role}-${"x".repeat(1020)}"`,
      ),
    ],
    expect: [
      ORG,
      "access.teamGroups.displayName",
      /makes the display name of team catalog's developers group 10\d\d characters long; the identity store allows display names of at most 1,024 characters/,
    ],
  },
  {
    name: "a group description with a control character",
    changes: [
      replace(
        "teams/notifications.yaml",
        "description: Engineers of the notifications team",
        'description: "Engineers\\a of the notifications team"',
      ),
    ],
    expect: [
      "teams/notifications.yaml",
      "access.groups.developers.create.description",
      /letters, marks, symbols, digits, punctuation/,
    ],
  },
  {
    name: "an https alarm subscription that is http://",
    changes: [
      replace(
        ORG,
        "endpoint: https://events.pagerduty.com/integration/acme-landing-zone/enqueue",
        "endpoint: http://events.pagerduty.com/integration/acme-landing-zone/enqueue",
      ),
    ],
    expect: [ORG, "observability.alarmTopics.critical[1].endpoint", /https:\/\/ URL/],
  },
  {
    name: "an https alarm subscription that is an email address",
    changes: [
      replace(
        ORG,
        "endpoint: https://events.pagerduty.com/integration/acme-landing-zone/enqueue",
        "endpoint: pager@acme.example",
      ),
    ],
    expect: [ORG, "observability.alarmTopics.critical[1].endpoint", /https:\/\/ URL/],
  },
  {
    name: "a warning topic email subscription that is no email",
    changes: [replace(ORG, "endpoint: platform-team@acme.example", "endpoint: platform-team")],
    expect: [ORG, "observability.alarmTopics.warning[0].endpoint", /email address/],
  },
  {
    name: "the same subscription twice",
    changes: [
      replace(
        ORG,
        "      - protocol: email\n        endpoint: platform-team@acme.example\n",
        "      - protocol: email\n        endpoint: platform-team@acme.example\n      - protocol: email\n        endpoint: platform-team@acme.example\n",
      ),
    ],
    expect: [
      ORG,
      "observability.alarmTopics.warning[1]",
      /listed twice \(first at observability\.alarmTopics\.warning\[0\]\)/,
    ],
  },
  {
    name: "a table key in another region than the table",
    changes: [
      replace(
        PAYMENTS,
        "  queue:\n",
        "  table:\n    kmsKeyArn: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\n  queue:\n",
      ),
    ],
    expect: [
      PAYMENTS,
      "serverless-api.table.kmsKeyArn",
      /is in us-east-1; the table of environment dev is in eu-west-1/,
    ],
  },
  {
    name: "a state bucket name with two adjacent periods",
    changes: [
      replace(
        ORG,
        "  type: local\n  directory: terraform-state\n",
        "  type: s3\n  bucket: acme..state\n  region: eu-west-1\n",
      ),
    ],
    expect: [ORG, "stateBackend.bucket", /two adjacent periods/],
  },
  {
    name: "a trail bucket name formatted as an IP address",
    changes: [
      replace(
        ORG,
        "  name: organization-trail\n",
        "  name: organization-trail\n  bucketName: 192.168.10.20\n",
      ),
    ],
    expect: [ORG, "cloudTrail.bucketName", /IP address/],
  },
  {
    name: "a code bucket name with capitals and an underscore",
    changes: [
      replace(
        PAYMENTS,
        "      timeoutSeconds: 120\n",
        "      timeoutSeconds: 120\n      code:\n        s3: { bucket: Payments_Artifacts, key: worker.zip }\n        handler: index.handler\n",
      ),
    ],
    expect: [PAYMENTS, "serverless-api.functions.worker.code.s3.bucket", /S3 bucket name/],
  },
  {
    name: "a Lambda handler with a space",
    changes: [
      replace(
        PAYMENTS,
        "      timeoutSeconds: 120\n",
        "      timeoutSeconds: 120\n      code:\n        s3: { bucket: payments-artifacts, key: worker.zip }\n        handler: index handler\n",
      ),
    ],
    expect: [PAYMENTS, "serverless-api.functions.worker.code.handler", /handler/],
  },
  {
    name: "a Lambda handler over 128 characters",
    changes: [
      replace(
        PAYMENTS,
        "      timeoutSeconds: 120\n",
        `      timeoutSeconds: 120\n      code:\n        s3: { bucket: payments-artifacts, key: worker.zip }\n        handler: ${"a".repeat(130)}.handler\n`,
      ),
    ],
    expect: [PAYMENTS, "serverless-api.functions.worker.code.handler", /128/],
  },
  {
    name: "a managed policy listed twice",
    changes: [
      replace(
        ORG,
        "managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess]",
        "managedPolicies: [arn:aws:iam::aws:policy/AdministratorAccess, arn:aws:iam::aws:policy/AdministratorAccess]",
      ),
    ],
    expect: [
      ORG,
      "access.permissionSets.PlatformAdmin.managedPolicies[1]",
      /listed twice \(first at access\.permissionSets\.PlatformAdmin\.managedPolicies\[0\]\)/,
    ],
  },
  {
    name: "a permission set listed twice for a platform group",
    changes: [
      replace(
        ORG,
        "permissionSets: [PlatformAdmin]",
        "permissionSets: [PlatformAdmin, PlatformAdmin]",
      ),
    ],
    expect: [ORG, "access.groups.admins.permissionSets[1]", /listed twice/],
  },
  {
    name: "an SCP target listed twice",
    changes: [
      replace(ORG, "maxPerTarget: 5", "maxPerTarget: 10"),
      replace(
        ORG,
        "      builtin: deny-outside-allowed-regions\n      targets: [Root]",
        "      builtin: deny-outside-allowed-regions\n      targets: [Root, Root]",
      ),
    ],
    expect: [ORG, "serviceControlPolicies.policies[0].targets[1]", /listed twice/],
  },
  {
    name: "a trail name with two adjacent dashes",
    changes: [replace(ORG, "  name: organization-trail\n", "  name: organization--trail\n")],
    expect: [ORG, "cloudTrail.name", /adjacent/],
  },
  {
    name: "a tag key AWS reserves",
    changes: [
      replace(ORG, "    organization: acme\n", "    organization: acme\n    aws:owner: me\n"),
    ],
    expect: [ORG, 'tags.defaults["aws:owner"]', /must not start with aws:/],
  },
  {
    name: "a tag value with a character tags do not allow",
    changes: [replace(ORG, "    organization: acme\n", "    organization: acme;corp\n")],
    expect: [ORG, "tags.defaults.organization", /tag value/],
  },
  {
    name: "a first owner's email that is no tag value",
    changes: [replace(PAYMENTS, "dana.whitfield@acme.example", "dana%payments@acme.example")],
    expect: [
      PAYMENTS,
      "owners[0].email",
      /tags every resource of the team as its owner; a tag value is/,
    ],
  },
  {
    name: "a state key in another region than the state bucket",
    changes: [
      replace(
        ORG,
        "  type: local\n  directory: terraform-state\n",
        "  type: s3\n  bucket: acme-landing-zone-state\n  region: eu-west-1\n  kmsKeyId: arn:aws:kms:us-east-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab\n",
      ),
    ],
    expect: [ORG, "stateBackend.kmsKeyId", /is in us-east-1; the state bucket is in eu-west-1/],
  },
  {
    name: "a state key that is no KMS key",
    changes: [
      replace(
        ORG,
        "  type: local\n  directory: terraform-state\n",
        "  type: s3\n  bucket: acme-landing-zone-state\n  region: eu-west-1\n  kmsKeyId: my state key\n",
      ),
    ],
    expect: [ORG, "stateBackend.kmsKeyId", /KMS key/],
  },
  // --- issue 23: account settings (alternate contacts, aliases, opt-in regions) -------------------
  {
    name: "an alternate contact's phone number in national form",
    changes: [replace(ORG, 'phone: "+44 20 7946 0000"', 'phone: "020 7946 0000"')],
    expect: [ORG, "alternateContacts.security.phone", /international phone number like \+44/],
  },
  {
    name: "an alternate contact's phone number with too many digits",
    changes: [replace(ORG, 'phone: "+44 20 7946 0001"', 'phone: "+44 20 7946 0001 2345"')],
    expect: [ORG, "alternateContacts.operations.phone", /7 to 15 digits \(E\.164\)/],
  },
  {
    name: "an alternate contact's phone number YAML reads as a number",
    changes: [replace(ORG, 'phone: "+44 20 7946 0002"', "phone: +442079460002")],
    expect: [ORG, "alternateContacts.billing.phone", /expected string/],
  },
  {
    name: "an alternate contact's email AWS would refuse",
    changes: [replace(ORG, "email: security@acme.example", "email: security at acme.example")],
    expect: [ORG, "alternateContacts.security.email", /must be an email address/],
  },
  {
    name: "an alternate contact's name over AWS's 64 characters",
    changes: [replace(ORG, "name: Acme Platform Team", `name: ${"Platform ".repeat(8)}Team`)],
    expect: [ORG, "alternateContacts.operations.name", /at most 64 characters/],
  },
  {
    name: "an alternate contact's title over AWS's 50 characters",
    changes: [replace(ORG, "title: FinOps", `title: ${"FinOps ".repeat(8)}`)],
    expect: [ORG, "alternateContacts.billing.title", /at most 50 characters/],
  },
  {
    name: "a team's alternate contact without a phone number",
    changes: [replace(PAYMENTS, '    phone: "+44 20 7946 0100"\n', "")],
    expect: [PAYMENTS, "alternateContacts.operations.phone", /expected string/],
  },
  {
    name: "an alternate contact of an unknown type",
    changes: [
      replace(PAYMENTS, "alternateContacts:\n  operations:", "alternateContacts:\n  finance:"),
    ],
    expect: [PAYMENTS, "alternateContacts.finance", /unknown field/],
  },
  {
    name: "an account alias with two hyphens in a row",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:",
        "  dev:\n    accountAlias: acme--payments\n    serverless-api:",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.accountAlias",
      /3-63 lowercase letters, digits and single hyphens/,
    ],
  },
  {
    name: "an account alias in capitals",
    changes: [
      replace(
        ORG,
        "    ou: Infrastructure\n",
        "    ou: Infrastructure\n    accountAlias: Acme-Observability\n",
      ),
    ],
    expect: [ORG, "coreAccounts.observability.accountAlias", /lowercase/],
  },
  {
    name: "an account alias of digits only",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:",
        '  dev:\n    accountAlias: "123456789012"\n    serverless-api:',
      ),
    ],
    expect: [PAYMENTS, "environments.dev.accountAlias", /would read as an account id/],
  },
  {
    name: "an alias template that makes an alias IAM refuses",
    changes: [
      replace(ORG, 'teamTemplate: "{org}-{team}-{env}"', 'teamTemplate: "{org}_{team}_{env}"'),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.accountAlias",
      /the alias made by accountAliases\.teamTemplate .* is not one IAM accepts/,
    ],
  },
  {
    name: "an alias template that makes an alias over 63 characters",
    changes: [
      replace(
        ORG,
        'coreTemplate: "{org}-{account}"',
        `coreTemplate: "{org}-${"x".repeat(60)}-{account}"`,
      ),
    ],
    expect: [
      ORG,
      "coreAccounts.logArchive.accountAlias",
      /the alias made by accountAliases\.coreTemplate/,
    ],
  },
  {
    name: "a team alias template without {env}",
    changes: [replace(ORG, 'teamTemplate: "{org}-{team}-{env}"', 'teamTemplate: "{org}-{team}"')],
    expect: [ORG, "accountAliases.teamTemplate", /must contain \{env\}/],
  },
  {
    name: "two accounts with one alias",
    changes: [
      replace(
        PAYMENTS,
        "  dev:\n    serverless-api:",
        "  dev:\n    accountAlias: acme-log-archive\n    serverless-api:",
      ),
    ],
    expect: [
      PAYMENTS,
      "environments.dev.accountAlias",
      /already used by log-archive \(organization\.yaml: coreAccounts\.logArchive\.accountAlias\)/,
    ],
  },
  {
    name: "opt-in regions left to the platform team while the landing zone creates accounts",
    changes: [
      replace(
        ORG,
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1]",
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1, eu-south-2]\noptInRegions: existing",
      ),
    ],
    expect: [
      ORG,
      "optInRegions",
      /allowedRegions\[3\] \(eu-south-2\) is an opt-in region, and accounts the landing zone creates \(.*\) start with it disabled/,
    ],
  },
  {
    name: "opt-in regions managed by no one known",
    changes: [
      replace(
        ORG,
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1]",
        "allowedRegions: [eu-west-1, eu-central-1, us-east-1]\noptInRegions: manual",
      ),
    ],
    expect: [ORG, "optInRegions", /landing-zone|existing/],
  },
];

/** The example organization moved to `region` (a partition of its own), with budget limits set. */
function govCloud(region: string): Change[] {
  return [
    replace(
      ORG,
      "homeRegion: eu-west-1\nallowedRegions: [eu-west-1, eu-central-1, us-east-1]",
      `homeRegion: ${region}\nallowedRegions: [${region}]`,
    ),
    ...(
      [
        [PAYMENTS, "  dev:\n    serverless-api:"],
        [PAYMENTS, "  prod:\n    accountId"],
        [CATALOG, "  dev:\n    serverless-api:"],
        [CATALOG, "  staging:\n    serverless-api:"],
        [CATALOG, "  prod:\n    accountId"],
        ["teams/notifications.yaml", "  dev:\n    serverless-api:"],
        ["teams/notifications.yaml", "  prod:\n    serverless-api:"],
      ] as const
    ).map(([file, at]) =>
      replace(file, at, at.replace(/^( {2}\w+:\n)/, "$1    budget: { monthlyLimit: 100 }\n")),
    ),
  ];
}
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
  } else if ("symlink" in change) {
    const [file, target] = change.symlink;
    symlinkSync(target.startsWith("/") ? target : join(dir, target), join(dir, file));
  } else if ("fifo" in change) {
    const made = spawnSync("mkfifo", [join(dir, change.fifo)]);
    if (made.status !== 0) throw new Error(`mkfifo failed: ${made.stderr}`);
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
  for (const line of lines)
    expect(line).toMatch(/^[\w./-]+: (?:[^:"\s]|"[^"]*")(?:[^:"]|"[^"]*")*: \S/);
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
    ["a team file that is a FIFO", [fifo("teams/search.yaml")]],
    ["an SCP that locks the platform role out", [replace(POLICY, '"Condition"', '"Unused"')]],
    [
      "a team file in both layouts",
      [replace(PAYMENTS, "environments:\n", "blueprint:\n  headroom: 1.5\nenvironments:\n")],
    ],
  ];

  test.each(BROKEN)("synth with %s exits 1 and leaves cdktf.out as it was", (_name, changes) => {
    const project = mkdtempSync(join(tmpdir(), "lz-corpus-"));
    try {
      cpSync(EXAMPLE_ACCOUNTS, join(project, "accounts"), { recursive: true });
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

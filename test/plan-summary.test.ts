// `npm run plan-summary` on realistic `terraform show -json` plans (test/fixtures/plans): counts,
// what needs attention, policy statements compared as JSON, drift, several stacks, exit codes.
import {
  chmodSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { spawnSync } from "node:child_process";
import { statementsOf, diffStatements } from "../cli/plan-review/policy-diff";
import { buildCli } from "./cli";
import { removeDir, REPO, EXAMPLE_ACCOUNTS } from "./helpers";

const FIXTURES = join(REPO, "test/fixtures/plans");
const ORG = join(FIXTURES, "organization.json");
const TEAM = join(FIXTURES, "team-payments-prod.json");
const NOOP = join(FIXTURES, "team-catalog-dev.json");

let cli: ReturnType<typeof buildCli>;
beforeAll(() => {
  cli = buildCli("plan-summary");
});
afterAll(() => cli.cleanup());

const summary = (...args: string[]) => cli.run("cli/plan-summary.js", args);

/** The lines of one stack's section of the text output. */
function section(stdout: string, stack: string): string[] {
  const lines = stdout.split("\n");
  const start = lines.findIndex((l) => l.startsWith(`== ${stack}:`));
  expect(start).toBeGreaterThanOrEqual(0);
  const end = lines.findIndex((l, i) => i > start && l.startsWith("== "));
  return lines.slice(start, end < 0 ? undefined : end).filter((l) => l.trim() !== "");
}

test("a table replacement and an SCP change both need attention, and --fail-on replace fails", () => {
  const r = summary(ORG, TEAM, "--fail-on", "replace");
  expect(r.stderr).toBe(
    "--fail-on replace: tripped by team-payments-prod (1 to replace, 1 to delete)\n",
  );
  expect(r.code).toBe(3);
  expect(r.stdout).toContain(
    "-/+ replace aws_dynamodb_table.service_table_E2684971 [table]: forced by range_key\n",
  );
  expect(r.stdout).toContain(
    "~   update  aws_organizations_policy.org_scp-deny-outside-allowed-regions_3074F529 [SCP]: content\n",
  );
});

test("the team stack: counts, attention (destroy, replace, watched types), statements, the rest", () => {
  const r = summary(TEAM);
  expect(r.code).toBe(0);
  expect(section(r.stdout, "team-payments-prod")).toEqual([
    "== team-payments-prod: 1 to create, 3 to update, 1 to replace, 1 to delete, 1 unchanged",
    "  Needs attention:",
    "    -   delete  aws_s3_bucket.exports_bucket_3F8A21C9 [bucket]: removed from the configuration",
    "    -/+ replace aws_dynamodb_table.service_table_E2684971 [table]: forced by range_key",
    "    +   create  aws_cloudwatch_metric_alarm.alarms_api-p99-latency_5B1D0E77 [alarm]",
    "    ~   update  aws_iam_role_policy.service_api-function_policy_21022CD8 [IAM]: policy",
    "  Policy statements:",
    "    aws_iam_role_policy.service_api-function_policy_21022CD8 policy:",
    '      + {"Action":["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"],"Effect":"Allow","Resource":["arn:aws:dynamodb:eu-west-1:210987654321:table/payments-prod-items"],"Sid":"Table"}',
    '      + {"Action":["sqs:SendMessage"],"Effect":"Allow","Resource":["arn:aws:sqs:eu-west-1:210987654321:payments-prod-jobs"],"Sid":"Queue"}',
    '      - {"Action":["dynamodb:GetItem","dynamodb:PutItem"],"Effect":"Allow","Resource":["arn:aws:dynamodb:eu-west-1:210987654321:table/payments-prod-items"],"Sid":"Table"}',
    "  Other changes:",
    "    ~   aws_cloudwatch_log_group.service_api-function_logs_1402CF7C: retention_in_days",
    "    ~   aws_lambda_function.service_api-function_6E6E106F: memory_size, qualified_arn, reserved_concurrent_executions, version",
  ]);
});

test("the organization stack: a new account, SCP statements compared as JSON, drift", () => {
  const lines = section(summary(ORG).stdout, "organization");
  expect(lines[0]).toBe("== organization: 1 to create, 3 to update, 2 unchanged");
  expect(lines).toContain(
    "    +   create  aws_organizations_account.org_account-team-orders-dev_A41C7F02 [account]",
  );
  // deny-root-user's document only reordered keys and wrapped strings in lists: no statement lines.
  expect(lines).toContain(
    "    ~   update  aws_organizations_policy.org_scp-deny-root-user_2D7E1F90 [SCP]: content, description",
  );
  const statementHeaders = lines.filter((l) => / content:$/.test(l));
  expect(statementHeaders).toEqual([
    "    aws_organizations_policy.org_scp-deny-outside-allowed-regions_3074F529 content:",
  ]);
  const removed = lines.filter((l) => l.startsWith("      - "));
  const added = lines.filter((l) => l.startsWith("      + "));
  expect(removed).toHaveLength(1);
  expect(removed[0]).toContain('"aws:RequestedRegion":["eu-central-1","eu-west-1","us-east-1"]');
  expect(added).toHaveLength(2);
  expect(added[0]).toContain('"aws:RequestedRegion":["eu-west-1","us-east-1"]');
  expect(added[1]).toContain('"Sid":"DenyLeaveOrganization"');
  expect(lines.slice(-2)).toEqual([
    "  Changed outside Terraform (drift; the plan reverts or adopts it):",
    "    ~   aws_organizations_account.org_account-team-payments-prod_7E0B2C44 [account]: name",
  ]);
});

test("a plan with nothing to do", () => {
  const r = summary(NOOP, "--fail-on", "any");
  expect(r.code).toBe(0);
  expect(r.stdout).toBe(
    "Plan review: 1 stack(s); no changes (3 unchanged); 0 need(s) attention\n\n== team-catalog-dev: no changes (3 unchanged)\n",
  );
});

test("several stacks at once: grouped, organization first, totals across all", () => {
  const r = summary(TEAM, NOOP, ORG);
  const headers = r.stdout.split("\n").filter((l) => l.startsWith("== ") || l.startsWith("Plan"));
  expect(headers).toEqual([
    "Plan review: 3 stack(s); 2 to create, 6 to update, 1 to replace, 1 to delete, 6 unchanged; 8 need(s) attention",
    "== organization: 1 to create, 3 to update, 2 unchanged",
    "== team-catalog-dev: no changes (3 unchanged)",
    "== team-payments-prod: 1 to create, 3 to update, 1 to replace, 1 to delete, 1 unchanged",
  ]);
});

const BY_NAME: Record<string, string> = {
  organization: ORG,
  "team-payments-prod": TEAM,
  "team-catalog-dev": NOOP,
};
test.each([
  ["destroy", "organization", 0],
  ["destroy", "organization team-payments-prod", 3],
  ["replace", "organization", 0],
  ["replace", "team-payments-prod", 3],
  ["any", "team-catalog-dev", 0],
  ["any", "organization team-catalog-dev", 3],
])("--fail-on %s over %s exits %i", (failOn, names, code) => {
  const files = names.split(" ").map((n) => BY_NAME[n]);
  expect(summary(...files, "--fail-on", failOn).code).toBe(code);
});

test("--format markdown: the marker first, counts per phase, attention lines, diff blocks", () => {
  const r = summary(ORG, TEAM, "--format", "markdown");
  expect(r.code).toBe(0);
  expect(r.stdout.split("\n")[0]).toBe("<!-- landing-zone-plan -->");
  // Phases by kind of stack without --graph: the organization first, team stacks after.
  expect(r.stdout).toContain("| 1 | 1 | 1 | 1 | 3 | 0 | 0 | 1 |\n");
  expect(r.stdout).toContain("| 3 | 1 | 1 | 1 | 3 | 1 | 1 | 1 |\n");
  expect(r.stdout).toContain(
    "#### `team-payments-prod`: 1 to create, 3 to update, 1 to replace, 1 to delete; 4 need(s) attention\n",
  );
  expect(r.stdout).toContain(
    "- **replace** `aws_dynamodb_table.service_table_E2684971` (table): forced by range_key\n",
  );
  expect(r.stdout).toMatch(
    /```diff\n\+ \{"Action":\["dynamodb:GetItem","dynamodb:PutItem","dynamodb:Query"\]/,
  );
});

describe("which stack a plan belongs to", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lz-plans-"));
  });
  afterEach(() => removeDir(dir));

  test("<stack>/plan.json, as npm run plan writes it, and an explicit <stack>=<file>", () => {
    mkdirSync(join(dir, "team-payments-dev"));
    copyFileSync(TEAM, join(dir, "team-payments-dev", "plan.json"));
    const r = summary(join(dir, "team-payments-dev", "plan.json"), `log-archive=${NOOP}`);
    expect(r.stdout).toMatch(/^== log-archive: no changes/m);
    expect(r.stdout).toMatch(/^== team-payments-dev: 1 to create/m);
  });

  test("two plans for one stack are refused", () => {
    const r = summary(NOOP, `team-catalog-dev=${TEAM}`);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /a second plan for stack team-catalog-dev; label one as <stack>=<file>/,
    );
  });
});

describe("bad input names the file or flag and exits 2", () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), "lz-plans-bad-"));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    writeFileSync(
      join(dir, "state.json"),
      JSON.stringify({ format_version: "1.0", terraform_version: "1.11.4", values: {} }),
    );
    writeFileSync(
      join(dir, "future.json"),
      JSON.stringify({ format_version: "2.0", resource_changes: [] }),
    );
  });
  afterAll(() => removeDir(dir));

  test.each([
    [["missing.json"], /^missing\.json: file not found$/m],
    [["DIR/broken.json"], /broken\.json: not JSON/],
    [
      ["DIR/state.json"],
      /state\.json: not a Terraform JSON plan .*terraform show -json <planfile>/,
    ],
    [["DIR/future.json"], /future\.json: plan format_version 2\.0 is not supported/],
    [
      ["--format", "html", "NOOP"],
      /^--format: must be one of text, markdown, json \(got "html"\)$/m,
    ],
    [
      ["--fail-on", "update", "NOOP"],
      /^--fail-on: must be one of destroy, replace, any \(got "update"\)$/m,
    ],
    [[], /^no plan files given$/m],
  ])("%p", (args, message) => {
    const r = summary(...args.map((a) => a.replace("DIR", dir).replace(/^NOOP$/, NOOP)));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(message);
    expect(r.stdout).toBe("");
  });
});

describe("policy statements are compared as IAM reads them", () => {
  test("key order, a lone string versus a list, and list order do not matter", () => {
    const a = statementsOf(
      '{"Version":"2012-10-17","Statement":{"Effect":"Allow","Action":"s3:GetObject","Resource":["arn:aws:s3:::b/*"],"Condition":{"StringEquals":{"aws:PrincipalOrgID":"o-1"}}}}',
    )!;
    const b = statementsOf({
      Statement: [
        {
          Condition: { StringEquals: { "aws:PrincipalOrgID": ["o-1"] } },
          Resource: "arn:aws:s3:::b/*",
          Action: ["s3:GetObject"],
          Effect: "Allow",
        },
      ],
      Version: "2012-10-17",
    })!;
    expect(diffStatements(a, b)).toEqual({ added: [], removed: [] });
  });

  test("a changed condition value is one statement removed and one added", () => {
    const before = statementsOf({
      Statement: [
        { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { x: "true" } } },
      ],
    })!;
    const after = statementsOf({
      Statement: [
        { Effect: "Deny", Action: "*", Resource: "*", Condition: { Bool: { x: "false" } } },
      ],
    })!;
    const d = diffStatements(before, after);
    expect(d.added).toHaveLength(1);
    expect(d.removed).toHaveLength(1);
  });

  test("a string that is not a policy is not compared", () => {
    expect(statementsOf("not json")).toBeUndefined();
    expect(statementsOf('{"tags":{}}')).toBeUndefined();
  });
});

describe("npm run plan -- <stack-id>", () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), "lz-plan-"));
    cpSync(EXAMPLE_ACCOUNTS, join(root, "accounts"), { recursive: true });
    // A stand-in for terraform that records how it was called and shows a fixture as the plan.
    writeFileSync(
      join(root, "fake-terraform"),
      `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ cwd: process.cwd(), args }) + "\\n");
if (args[0] === "plan" && process.env.FAKE_FAIL && process.cwd().endsWith(process.env.FAKE_FAIL)) {
  process.stderr.write("Error: AccessDenied\\n");
  process.exit(1);
}
if (args[0] === "plan") fs.writeFileSync("tfplan", "binary plan");
if (args[0] === "show") process.stdout.write(fs.readFileSync(process.env.FAKE_PLAN, "utf8"));
`,
    );
    chmodSync(join(root, "fake-terraform"), 0o755);
  });
  afterEach(() => removeDir(root));

  const plan = (args: string[], env: Record<string, string>) =>
    cli.run("cli/plan.js", args, { cwd: root, env });

  test("synthesizes only that stack, runs init, plan -out and show -json there, prints the summary", () => {
    const log = join(root, "calls.log");
    const r = plan(["team-payments-prod", "--fail-on", "replace"], {
      TERRAFORM_BINARY_NAME: join(root, "fake-terraform"),
      FAKE_LOG: log,
      FAKE_PLAN: TEAM,
    });
    expect(r.code).toBe(3);
    expect(r.stderr).toMatch(
      /^--fail-on replace: tripped by team-payments-prod \(1 to replace, 1 to delete\)$/m,
    );
    const stackDir = join(root, "cdktf.out/stacks/team-payments-prod");
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { cwd: string; args: string[] });
    expect(calls.map((c) => c.args)).toEqual([
      ["version"],
      ["init", "-input=false", "-no-color"],
      ["plan", "-input=false", "-no-color", "-out=tfplan"],
      ["show", "-json", "tfplan"],
    ]);
    expect(calls.slice(1).every((c) => realpathSync(c.cwd) === realpathSync(stackDir))).toBe(true);
    expect(readdirSync(join(root, "cdktf.out/stacks"))).toEqual(["team-payments-prod"]);
    // plan.json is the plan redacted: nothing here is sensitive, so only the configuration is gone.
    const { configuration, ...shown } = JSON.parse(readFileSync(TEAM, "utf8"));
    expect(configuration).toBeDefined();
    expect(JSON.parse(readFileSync(join(stackDir, "plan.json"), "utf8"))).toEqual(shown);
    expect(r.stdout).toMatch(/^== team-payments-prod: 1 to create, 3 to update, 1 to replace/m);
    expect(r.stdout).toContain("-/+ replace aws_dynamodb_table.service_table_E2684971 [table]");
  });

  test("several stacks: synthesized once, planned one after another with --role plan, one summary", () => {
    const log = join(root, "calls.log");
    const r = plan(["team-payments-prod", "log-archive", "--role", "plan", "--detailed-exitcode"], {
      TERRAFORM_BINARY_NAME: join(root, "fake-terraform"),
      FAKE_LOG: log,
      FAKE_PLAN: TEAM,
    });
    const calls = readFileSync(log, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as { cwd: string; args: string[] });
    const plans = calls.filter((c) => c.args[0] === "plan");
    expect(plans.map((c) => c.cwd.split("/").at(-1))).toEqual([
      "team-payments-prod",
      "log-archive",
    ]);
    for (const c of plans) {
      expect(c.args).toEqual([
        "plan",
        "-input=false",
        "-no-color",
        "-out=tfplan",
        "-var=landing_zone_role_name=lz-plan",
        "-detailed-exitcode",
      ]);
    }
    expect(readdirSync(join(root, "cdktf.out/stacks")).sort()).toEqual([
      "log-archive",
      "team-payments-prod",
    ]);
    expect(r.stdout).toMatch(/^Plan review: 2 stack\(s\);/);
    expect(r.stdout).toMatch(/^== team-payments-prod: /m);
    expect(r.stdout).toMatch(/^== log-archive: /m);
    // The fake exits 0, so Terraform said "no changes": -detailed-exitcode follows it.
    expect(r.code).toBe(0);
  });

  test("--role apply passes no variable: the stack's default is the platform role", () => {
    const log = join(root, "calls.log");
    plan(["team-payments-prod", "--role", "apply"], {
      TERRAFORM_BINARY_NAME: join(root, "fake-terraform"),
      FAKE_LOG: log,
      FAKE_PLAN: TEAM,
    });
    expect(readFileSync(log, "utf8")).not.toContain("-var=");
  });

  test("a stack whose plan fails is named, the others are still planned, exit 4", () => {
    const r = plan(["team-payments-prod", "log-archive", "--format", "json"], {
      TERRAFORM_BINARY_NAME: join(root, "fake-terraform"),
      FAKE_LOG: join(root, "calls.log"),
      FAKE_PLAN: TEAM,
      FAKE_FAIL: "team-payments-prod",
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^team-payments-prod: the plan failed: .*fake-terraform plan .* failed with exit code 1/m,
    );
    expect(r.stderr).toMatch(/^The plan failed for 1 stack\(s\): team-payments-prod\.$/m);
    const json = JSON.parse(r.stdout);
    expect(json.failed).toEqual(["team-payments-prod"]);
    expect(json.stacks.map((s: { stack: string }) => s.stack)).toEqual(["log-archive"]);
  });

  test("--role takes plan or apply", () => {
    const r = plan(["log-archive", "--role", "admin"], {
      TERRAFORM_BINARY_NAME: join(root, "fake-terraform"),
    });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^--role: must be one of plan, apply \(got "admin"\)$/m);
  });

  test("without a Terraform binary it says so, exits non-zero and synthesizes nothing", () => {
    const r = plan(["team-payments-prod"], { TERRAFORM_BINARY_NAME: "no-such-terraform-binary" });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^no-such-terraform-binary was not found \(ENOENT\); install Terraform, or set TERRAFORM_BINARY_NAME/m,
    );
    expect(existsSync(join(root, "cdktf.out"))).toBe(false);
  });

  test("an unknown stack id lists the stacks", () => {
    const r = plan(["team-payments-qa"], { TERRAFORM_BINARY_NAME: join(root, "fake-terraform") });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^<stack-id>: no stack team-payments-qa; stacks are: organization, /m);
  });
});

describe("a plan the review does not fully know", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lz-plan-hostile-"));
  });
  afterEach(() => removeDir(dir));

  const change = (address: string, actions: string[], extra: object = {}) => ({
    address,
    mode: "managed",
    type: "aws_s3_bucket",
    name: "x",
    change: { actions, before: null, after: {}, ...extra },
  });
  const write = (name: string, changes: object[]) => {
    const file = join(dir, `${name}.json`);
    writeFileSync(file, JSON.stringify({ format_version: "1.2", resource_changes: changes }));
    return file;
  };

  test.each([
    ["a new action name", ["frobnicate"]],
    ["a known action next to an unknown one", ["update", "migrate"]],
    ["an empty action list", []],
  ])("%s needs attention and fails every gate", (_what, actions) => {
    const file = write("team-x-dev", [change("aws_s3_bucket.logs", actions)]);
    const plain = summary(file);
    expect(plain.code).toBe(0);
    expect(section(plain.stdout, "team-x-dev")).toEqual([
      "== team-x-dev: 1 to unknown",
      "  Needs attention:",
      expect.stringMatching(
        /^ {4}\? {3}unknown aws_s3_bucket\.logs \[bucket\]: Terraform action .* is unknown to this review; read the plan itself$/,
      ),
    ]);
    for (const gate of ["any", "replace", "destroy"])
      expect(summary(file, "--fail-on", gate).code).toBe(3);
  });

  test("never prints terminal control characters taken from a plan", () => {
    const file = write("team-x-dev", [
      change("aws_s3_bucket.a\u001b[2J\u001b]0;pwned\u0007", ["create"]),
      change("aws_s3_bucket.b\r\nfake line\u009b31m", ["delete"], { before: {}, after: null }),
      {
        ...change("aws_s3_bucket.c", ["update"], {
          before: { "t\u001bx": 1 },
          after: { "t\u001bx": 2 },
        }),
        action_reason: "\u001b[31mred\u202e",
      },
    ]);
    for (const format of ["text", "markdown"]) {
      const r = summary(file, "--format", format);
      expect(r.code).toBe(0);
      expect(r.stdout).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
      expect(r.stdout).toContain("aws_s3_bucket.a\\x1b[2J\\x1b]0;pwned\\x07");
      expect(r.stdout).toContain("aws_s3_bucket.b\\x0d\\x0afake line\\x9b31m");
      expect(r.stdout).not.toMatch(/^fake line/m);
    }
  });
});

describe("any file: its shape is checked and a problem is `<file>: <JSON path>: <problem>`, exit 2", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "lz-plan-any-"));
  });
  afterEach(() => removeDir(dir));

  const ok = {
    address: "aws_s3_bucket.a",
    mode: "managed",
    type: "aws_s3_bucket",
    name: "a",
    change: { actions: ["update"], before: {}, after: {} },
  };
  const planWith = (changes: unknown[], key = "resource_changes") =>
    JSON.stringify({ format_version: "1.2", resource_changes: [], [key]: changes });
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
  // Ran with a time limit: before, a FIFO or a device kept plan-summary reading forever.
  const run = (...args: string[]) => {
    const r = spawnSync(process.execPath, [join(cli.dir, "cli/plan-summary.js"), ...args], {
      encoding: "utf8",
      timeout: 20_000,
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test.each<[string, string | Buffer, RegExp]>([
    [
      "a change without an address",
      planWith([{ ...ok, address: undefined }]),
      /^x\.json: resource_changes\[0\]\.address: required field is missing$/m,
    ],
    [
      "an address of the wrong type",
      planWith([{ ...ok, address: 42 }]),
      /^x\.json: resource_changes\[0\]\.address: must be a string \(got 42\)$/m,
    ],
    [
      "replace_paths that is no list",
      planWith([
        { ...ok, change: { ...ok.change, actions: ["delete", "create"], replace_paths: "name" } },
      ]),
      /^x\.json: resource_changes\[0\]\.change\.replace_paths: must be an array \(got "name"\)$/m,
    ],
    [
      "a replace path of objects",
      planWith([
        { ...ok, change: { ...ok.change, actions: ["delete", "create"], replace_paths: [[{}]] } },
      ]),
      /^x\.json: resource_changes\[0\]\.change\.replace_paths\[0\]\[0\]: must be a string or a number \(got \{\}\)$/m,
    ],
    [
      "an action that is no string",
      planWith([{ ...ok, change: { ...ok.change, actions: ["update", 7] } }]),
      /^x\.json: resource_changes\[0\]\.change\.actions\[1\]: must be a string \(got 7\)$/m,
    ],
    [
      "a resource type that is no string",
      planWith([{ ...ok, type: ["aws_s3_bucket"] }]),
      /^x\.json: resource_changes\[0\]\.type: must be a string/m,
    ],
    [
      "importing that is no object",
      planWith([{ ...ok, change: { ...ok.change, importing: "yes" } }]),
      /^x\.json: resource_changes\[0\]\.change\.importing: must be an object \(got "yes"\)$/m,
    ],
    [
      "drift without a mode",
      planWith([{ ...ok, mode: undefined }], "resource_drift"),
      /^x\.json: resource_drift\[0\]\.mode: required field is missing$/m,
    ],
    [
      "values nested a hundred thousand levels deep",
      `{"format_version": "1.2", "resource_changes": [{"address": "a", "mode": "managed", "type": "t", "name": "a", "change": {"actions": ["update"], "before": {}, "after": {"a": ${deep(100_000)}}}}]}`,
      /^x\.json: resource_changes\[0\]\.change\.after\.a\[0\]\[0\]\[0\]\.\.\.: nested more than 256 levels deep/m,
    ],
    [
      "bytes that are not UTF-8",
      Buffer.concat([
        Buffer.from('{"format_version": "1.2", "resource_changes": [], "x": "a'),
        Buffer.from([0xff, 0x00, 0xfe]),
        Buffer.from('"}'),
      ]),
      /^x\.json: file is not valid UTF-8: byte 57 \(line 1\) in "\.\.\..*a\\xff\\x00\\xfe\\x22\}"$/m,
    ],
  ])("%s", (_what, content, message) => {
    writeFileSync(join(dir, "x.json"), content);
    const r = spawnSync(process.execPath, [join(cli.dir, "cli/plan-summary.js"), "x.json"], {
      cwd: dir,
      encoding: "utf8",
      timeout: 20_000,
    });
    expect({ code: r.status, stderr: r.stderr }).toEqual({
      code: 2,
      stderr: expect.stringMatching(message),
    });
    expect(r.stderr).not.toMatch(/^\s+at /m);
    expect(r.stdout).toBe("");
  });

  test("a policy inside a string nested a hundred thousand levels deep is listed, not compared", () => {
    const policy = `{"Statement": [{"Effect": "Allow", "Condition": ${deep(100_000)}}]}`;
    const file = join(dir, "team-x-dev.json");
    writeFileSync(
      file,
      planWith([{ ...ok, type: "aws_iam_policy", change: { ...ok.change, after: { policy } } }]),
    );
    const r = run(file);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/aws_s3_bucket\.a \[IAM\]: policy/);
  });

  test("a FIFO, a device and a folder are refused without reading", () => {
    expect(spawnSync("mkfifo", [join(dir, "pipe.json")]).status).toBe(0);
    for (const [file, kind] of [
      [join(dir, "pipe.json"), "a FIFO \\(named pipe\\)"],
      ["/dev/zero", "a device"],
      [dir, "a folder"],
    ]) {
      const r = run(`team-x-dev=${file}`);
      expect({ code: r.code, stderr: r.stderr }).toEqual({
        code: 2,
        stderr: expect.stringMatching(
          new RegExp(`: is ${kind}, not a regular file; nothing was read from it\\n`),
        ),
      });
    }
  });

  test("a file over the documented size is refused before it is read", () => {
    const file = join(dir, "huge.json");
    // Sparse: 300 MiB on paper, no disk used.
    expect(spawnSync("truncate", ["-s", "300M", file]).status).toBe(0);
    const r = run(file);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /huge\.json: file is 314572800 bytes; this file may be at most 268435456 bytes \(256 MiB\)/,
    );
  });
});

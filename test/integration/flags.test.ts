// Every command keeps the same promises: an unknown flag or a single-value flag given twice is a usage
// error (exit 2) refused before anything runs, --help/-h prints the usage and exits 0, and every
// failure exits with the code of the one table in cli/args.ts. The commands run in-process through
// their main(argv); a few real processes prove the code reaches the shell, and cover the scripts.
import { spawnSync } from "node:child_process";
import { chmodSync, cpSync, mkdirSync, mkdtempSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as synth } from "../../main";
import { EXIT_CODES, EXIT_CODES_HELP, failureOf, UsageError } from "../../cli/args";
import { main as applied } from "../../cli/applied";
import { main as capacity } from "../../cli/capacity";
import { main as changes } from "../../cli/changes";
import { main as diagram } from "../../cli/diagram";
import { main as docs } from "../../cli/docs";
import { main as loadtest } from "../../cli/loadtest";
import { main as onboard } from "../../cli/onboard";
import { main as plan } from "../../cli/plan";
import { main as planSummary } from "../../cli/plan-summary";
import { main as drift } from "../../cli/drift";
import { main as rehearse } from "../../cli/rehearse";
import { main as validate } from "../../cli/validate";
import { main as schema } from "../../cli/write-schemas";
import { runCommandAsync, type CommandMain } from "../cli";
import { EXAMPLE_ACCOUNTS, REPO, removeDir, writeFiles } from "../helpers";

/** Runs a command's main() in this process with `env` set (test/cli.ts), capturing what it prints. */
const call = (main: CommandMain, argv: string[], env: Record<string, string> = {}) =>
  runCommandAsync(main, argv, { env });

let root: string;
/** An organization that fails validation: a command that loads it before its flags exits 1. */
let invalid: string;
/** A copy of the example organization. */
let example: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "lz-flags-"));
  invalid = join(root, "invalid");
  cpSync(EXAMPLE_ACCOUNTS, invalid, { recursive: true });
  writeFiles(invalid, { "teams/payments.yaml": "name: payments\n" });
  example = join(root, "example");
  cpSync(EXAMPLE_ACCOUNTS, example, { recursive: true });
});
afterAll(() => removeDir(root));

const COMMANDS: [name: string, main: CommandMain, repeated: string[]][] = [
  ["synth", synth, []],
  ["validate", validate, ["--base", "HEAD", "--base", "HEAD"]],
  ["schema", schema, []],
  ["onboard", onboard, ["--team", "a", "--team", "b"]],
  ["plan", plan, ["--fail-on", "any", "--fail-on", "destroy"]],
  ["plan-summary", planSummary, ["--format", "text", "--format", "markdown"]],
  ["drift", drift, ["--role", "plan", "--role", "apply"]],
  ["rehearse", rehearse, ["--organization", "greenfield", "--organization", "adoption"]],
  ["capacity", capacity, ["--format", "csv", "--format", "json"]],
  ["loadtest", loadtest, ["--profile", "smoke", "--profile", "peak"]],
  ["diagram", diagram, ["--check", "--check"]],
  ["docs", docs, ["--check", "--check"]],
  ["changes", changes, ["--max-jobs", "1", "--max-jobs", "2"]],
  ["applied", applied, ["--record", "HEAD", "--record", "HEAD"]],
];

describe.each(COMMANDS)("npm run %s", (name, main, repeated) => {
  // The invalid organization proves the flags are read first: loading it would exit 1.
  const env = { LZ_ACCOUNTS_DIR: "/nonexistent/accounts", CDKTF_OUTDIR: "/nonexistent/out" };

  test("refuses an unknown flag with exit 2, before doing anything", async () => {
    const r = await call(main, ["--no-such-flag"], { ...env, LZ_ACCOUNTS_DIR: invalid });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--no-such-flag/);
    expect(r.stderr).toContain(`Usage: npm run ${name}`);
    expect(r.stdout).toBe("");
  });

  test("--help and -h print the usage and the exit codes on stdout and exit 0", async () => {
    for (const args of [["--help"], ["-h"], ["--no-such-flag", "--help"]]) {
      const r = await call(main, args, env);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: npm run ${name}\\b`));
      expect(r.stdout.trimEnd().endsWith(EXIT_CODES_HELP)).toBe(true);
      expect(r.stderr).toBe("");
    }
  });

  if (repeated.length > 0) {
    test("refuses a single-value flag given twice", async () => {
      const r = await call(main, repeated, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${repeated[0]}: given 2 times; give it once$`, "m"));
    });
  }
});

test("the exit-code table: five codes, the mapping of what was thrown, and --help's line", () => {
  expect(EXIT_CODES.map((c) => c.code)).toEqual([0, 1, 2, 3, 4]);
  expect(failureOf(new UsageError("--x: bad"))).toEqual({
    code: 2,
    stdout: "",
    stderr: "--x: bad\n",
  });
  const enoent = Object.assign(new Error("EACCES: permission denied, open 'x'"), {
    code: "EACCES",
    syscall: "open",
  });
  expect(failureOf(enoent).code).toBe(4);
  const bug = failureOf(new TypeError("x is undefined"));
  expect(bug.code).toBe(4);
  expect(bug.stderr).toMatch(/^TypeError: x is undefined\n {4}at /);
});

describe("exit codes, command by command", () => {
  test("synth: 1 invalid configuration, 2 a selection that matches nothing, 4 a failed write", async () => {
    expect((await call(synth, [], { LZ_ACCOUNTS_DIR: invalid })).code).toBe(1);
    const none = await call(synth, [], { LZ_ACCOUNTS_DIR: example, LZ_STACKS: "team-nobody-*" });
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/^LZ_STACKS: no stack matches team-nobody-\*/);
    const file = join(root, "a-file");
    writeFileSync(file, "");
    const write = await call(synth, [], {
      LZ_ACCOUNTS_DIR: example,
      LZ_STACKS: "organization",
      CDKTF_OUTDIR: join(file, "cdktf.out"),
    });
    expect(write.code).toBe(4);
    expect(write.stderr).toMatch(/^ENOTDIR: not a directory/);
  });

  test("validate: 1 invalid configuration (in JSON too), 2 a --base git does not know", async () => {
    const text = await call(validate, [], { LZ_ACCOUNTS_DIR: invalid });
    expect(text.code).toBe(1);
    expect(text.stderr).toMatch(
      /^Configuration is invalid \(\d+ problem\(s\)\); nothing was written:/,
    );
    const json = await call(validate, ["--format", "json"], { LZ_ACCOUNTS_DIR: invalid });
    expect(json.code).toBe(1);
    const doc = JSON.parse(json.stdout) as { valid: boolean; problems: { line: string }[] };
    expect(doc.valid).toBe(false);
    expect(json.stderr).toContain(doc.problems[0].line);
    const base = await call(validate, ["--base", "no-such-ref"], { LZ_ACCOUNTS_DIR: example });
    expect(base.code).toBe(2);
  });

  test("capacity and loadtest: 1 invalid configuration, 2 a bad flag value", async () => {
    expect((await call(capacity, [], { LZ_ACCOUNTS_DIR: invalid })).code).toBe(1);
    expect((await call(capacity, ["--write-percent", "101"])).code).toBe(2);
    expect((await call(loadtest, ["payments", "dev"], { LZ_ACCOUNTS_DIR: invalid })).code).toBe(1);
    expect((await call(loadtest, ["payments"])).code).toBe(2);
  });

  test("onboard: 1 the configuration with the team would be invalid, 2 a bad flag; nothing written", async () => {
    const flags = ["--team", "shop", "--owner-email", "lee@acme.example", "--cost-center", "CC-1"];
    const tooBig = await call(onboard, [...flags, "--envs", "prod", "--rps", "9000"], {
      LZ_ACCOUNTS_DIR: example,
    });
    expect(tooBig.code).toBe(1);
    expect(tooBig.stderr).toMatch(
      /^The configuration with this team would be invalid \(1 problem\(s\)\); nothing was written:\n.*needs \d+ concurrent Lambda executions/,
    );
    const bad = await call(onboard, [...flags, "--rps", "0"], { LZ_ACCOUNTS_DIR: example });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe(
      '--rps: must be a decimal number of requests per second above 0 to 100000 (got "0")\nNothing was written.\n',
    );
    expect(readdirSync(join(example, "teams"))).not.toContain("shop.yaml");
  });

  test("rehearse: 1 invalid configuration, 4 no Terraform to run; nothing started", async () => {
    expect((await call(rehearse, ["--config", invalid])).code).toBe(1);
    const r = await call(rehearse, ["--config", example, "--stacks", "organization"], {
      TERRAFORM_BINARY_NAME: "no-such-terraform",
    });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(/^no-such-terraform was not found \(ENOENT\)/);
  });

  describe("plan and plan-summary", () => {
    const plans = join(REPO, "test/fixtures/plans");
    let terraform: string;
    let outdir: string;
    beforeAll(() => {
      // A stand-in for terraform: plan exits $FAKE_PLAN_EXIT, show prints $FAKE_PLAN.
      terraform = join(root, "fake-terraform");
      writeFileSync(
        terraform,
        `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
if (args[0] === "plan") {
  fs.writeFileSync("tfplan", "binary plan");
  process.exit(args.includes("-detailed-exitcode") ? Number(process.env.FAKE_PLAN_EXIT) : 0);
}
if (args[0] === "show") process.stdout.write(fs.readFileSync(process.env.FAKE_PLAN, "utf8"));
`,
      );
      chmodSync(terraform, 0o755);
      outdir = join(root, "plan-out");
    });
    const run = (args: string[], env: Record<string, string> = {}) =>
      call(plan, ["team-payments-prod", ...args], {
        LZ_ACCOUNTS_DIR: example,
        CDKTF_OUTDIR: outdir,
        TERRAFORM_BINARY_NAME: terraform,
        FAKE_PLAN: join(plans, "team-payments-prod.json"),
        FAKE_PLAN_EXIT: "0",
        ...env,
      });

    test("plan --detailed-exitcode: 0 without changes, 2 with changes, as Terraform's", async () => {
      const none = await run(["--detailed-exitcode"], {
        FAKE_PLAN: join(plans, "team-catalog-dev.json"),
      });
      expect(none.code).toBe(0);
      expect(none.stdout).toContain("no changes");
      expect((await run(["--detailed-exitcode"], { FAKE_PLAN_EXIT: "2" })).code).toBe(2);
      // Without the flag, changes are a success like any other.
      expect((await run([])).code).toBe(0);
    });

    test("plan: 3 when --fail-on trips (before --detailed-exitcode's 2), with one line saying on what", async () => {
      const r = await run(["--fail-on", "destroy", "--detailed-exitcode"], { FAKE_PLAN_EXIT: "2" });
      expect(r.code).toBe(3);
      expect(r.stderr.trimEnd().split("\n").pop()).toBe(
        "--fail-on destroy: tripped by team-payments-prod (1 to delete)",
      );
    });

    test("plan: 1 invalid configuration, 4 a Terraform that fails", async () => {
      expect((await run([], { LZ_ACCOUNTS_DIR: invalid })).code).toBe(1);
      const r = await run([], { TERRAFORM_BINARY_NAME: "false" });
      expect(r.code).toBe(4);
      expect(r.stderr).toMatch(
        /^team-payments-prod: the plan failed: false init -input=false -no-color failed with exit code 1 in /m,
      );
    });

    test("plan-summary: 3 a tripped gate naming every stack that tripped it, 2 a malformed plan", async () => {
      const args = [join(plans, "organization.json"), join(plans, "team-payments-prod.json")];
      const r = await call(planSummary, [...args, "--fail-on", "any"]);
      expect(r.code).toBe(3);
      expect(r.stderr).toBe(
        "--fail-on any: tripped by organization (1 to create, 3 to update); team-payments-prod (1 to create, 3 to update, 1 to replace, 1 to delete)\n",
      );
      const broken = join(root, "broken.json");
      writeFileSync(broken, "{");
      expect((await call(planSummary, [broken])).code).toBe(2);
    });
  });
});

describe("--format json, for machines: stable keys, the same bytes every time", () => {
  test("validate", async () => {
    const run = () => call(validate, ["--format", "json"], { LZ_ACCOUNTS_DIR: example });
    const [a, b] = [await run(), await run()];
    expect(a.code).toBe(0);
    expect(a.stdout).toBe(b.stdout);
    const doc = JSON.parse(a.stdout) as Record<string, unknown> & {
      stacks: { id: string }[];
      teams: { name: string; environments: { stack: string }[] }[];
    };
    expect(Object.keys(doc)).toEqual([
      "formatVersion",
      "valid",
      "organization",
      "organizationalUnits",
      "accounts",
      "teams",
      "waivers",
      "stacks",
      "lifecycleGuard",
      "problems",
    ]);
    expect(doc.formatVersion).toBe(1);
    expect(doc.stacks).toHaveLength(19);
    expect(doc.stacks[0]).toEqual({ id: "organization", needs: [] });
    expect(doc.teams.map((t) => t.name)).toEqual([
      "catalog",
      "notifications",
      "payments",
      "reporting",
    ]);
    expect(doc.teams[2].environments[0]).toEqual({
      blueprints: ["serverless-api"],
      env: "dev",
      stack: "team-payments-dev",
      status: "active",
      production: false,
      region: "eu-west-1",
      requestsPerSecond: 5,
      requiredConcurrency: 29,
      reservableConcurrency: 900,
    });
  });

  test("plan-summary", async () => {
    const plans = join(REPO, "test/fixtures/plans");
    const args = [
      join(plans, "team-payments-prod.json"),
      "--format",
      "json",
      "--fail-on",
      "destroy",
    ];
    const r = await call(planSummary, args);
    expect(r.code).toBe(3);
    expect((await call(planSummary, args)).stdout).toBe(r.stdout);
    const doc = JSON.parse(r.stdout) as {
      gate: unknown;
      stacks: { counts: Record<string, number>; attention: unknown[] }[];
    };
    expect(Object.keys(doc)).toEqual(["formatVersion", "total", "failed", "gate", "stacks"]);
    expect(doc.gate).toEqual({ failOn: "destroy", tripped: true, stacks: ["team-payments-prod"] });
    expect(doc.stacks[0].counts).toEqual({
      create: 1,
      update: 3,
      replace: 1,
      delete: 1,
      import: 0,
      forget: 0,
      unknown: 0,
      read: 0,
      "no-op": 1,
    });
    expect(doc.stacks[0].attention[1]).toEqual({
      address: "aws_dynamodb_table.service_table_E2684971",
      action: "replace",
      kind: "table",
      attributes: ["range_key"],
      reason: "cannot be updated in place",
      policies: [],
    });
  });
});

describe("as processes", () => {
  const node = (script: string, args: string[], cwd = REPO, env: Record<string, string> = {}) => {
    const r = spawnSync(process.execPath, [join(REPO, script), ...args], {
      cwd,
      encoding: "utf8",
      env: {
        ...Object.fromEntries(
          Object.entries(process.env).filter(
            ([k]) => !["LZ_ACCOUNTS_DIR", "LZ_STACKS"].includes(k),
          ),
        ),
        ...env,
      },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };

  test("npm run synth -- --bogus exits 2 and synthesizes nothing; --help exits 0", () => {
    const project = join(root, "project");
    mkdirSync(project, { recursive: true });
    cpSync(EXAMPLE_ACCOUNTS, join(project, "accounts"), { recursive: true });
    const bogus = node("build/main.js", ["--bogus"], project);
    expect(bogus.code).toBe(2);
    expect(readdirSync(project)).toEqual(["accounts"]);
    const help = node("build/main.js", ["--help"], project);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: npm run synth\n/);
  });

  test.each([
    ["bench", "scripts/bench.mjs"],
    ["scan", "scripts/scan.mjs"],
    ["check:cdktn", "scripts/check-cdktn.mjs"],
  ])("npm run %s: --help exits 0, an unknown flag exits 2 before any work", (name, script) => {
    const help = node(script, ["-h"]);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(new RegExp(`^Usage: npm run ${name}\\b`));
    expect(help.stdout.trimEnd().endsWith(EXIT_CODES_HELP)).toBe(true);
    const bogus = node(script, ["--bogus"]);
    expect(bogus.code).toBe(2);
    expect(bogus.stdout).toBe("");
    expect(bogus.stderr).toMatch(/^Unknown option '--bogus'/);
  });

  test("scan: 1 an invalid .checkov.yaml, 4 no Python to install checkov with", () => {
    const project = join(root, "scan");
    writeFiles(project, { "out/stacks/x/cdk.tf.json": "{}" });
    writeFileSync(join(project, ".checkov.yaml"), "skip-check:\n  - CKV_AWS_1\n");
    const invalidConfig = node("scripts/scan.mjs", ["out"], project);
    expect(invalidConfig.code).toBe(1);
    expect(invalidConfig.stderr).toMatch(/needs a one-line justification as a comment/);
    writeFileSync(join(project, ".checkov.yaml"), "framework: [terraform_json]\n");
    const noPython = node("scripts/scan.mjs", ["out"], project, { PYTHON: "no-such-python" });
    expect(noPython.code).toBe(4);
    expect(noPython.stderr).toMatch(/^no-such-python: spawnSync no-such-python ENOENT$/m);
  });

  test("check:cdktn: 4 when npm cannot install the cdktn packages", () => {
    const empty = mkdtempSync(join(root, "tmp-"));
    const r = node("scripts/check-cdktn.mjs", [], REPO, { TMPDIR: empty, PATH: empty });
    expect(r.code).toBe(4);
    expect(r.stderr).toMatch(
      /^npm install --no-audit --no-fund --ignore-scripts failed:\n.*ENOENT/m,
    );
  });
});

// `npm run drift`: plans every selected stack with -detailed-exitcode through a stand-in for
// terraform (TERRAFORM_BINARY_NAME) and reports the stacks whose plan has changes; exit 0 none,
// 2 drift, 4 a failed plan.
import { chmodSync, cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "./cli";
import { EXAMPLE_ACCOUNTS, REPO, removeDir } from "./helpers";

const TEAM = join(REPO, "test/fixtures/plans/team-payments-prod.json");
const NOOP = join(REPO, "test/fixtures/plans/team-catalog-dev.json");

let cli: ReturnType<typeof buildCli>;
let root: string;
beforeAll(() => {
  cli = buildCli("drift");
  root = mkdtempSync(join(tmpdir(), "lz-drift-"));
  cpSync(EXAMPLE_ACCOUNTS, join(root, "accounts"), { recursive: true });
  // Plans with changes (exit 2, the team fixture) in the stacks FAKE_DRIFT names, none elsewhere.
  writeFileSync(
    join(root, "fake-terraform"),
    `#!/usr/bin/env node
const fs = require("fs");
const path = require("path");
const args = process.argv.slice(2);
const stack = path.basename(process.cwd());
fs.appendFileSync(process.env.FAKE_LOG, JSON.stringify({ stack, args }) + "\\n");
const drifted = (process.env.FAKE_DRIFT || "").split(",").includes(stack);
if (args[0] === "plan") {
  if (stack === process.env.FAKE_FAIL) process.exit(1);
  fs.writeFileSync("tfplan", drifted ? "changes" : "none");
  process.exit(drifted && args.includes("-detailed-exitcode") ? 2 : 0);
}
if (args[0] === "show") {
  const changes = fs.readFileSync("tfplan", "utf8") === "changes";
  process.stdout.write(fs.readFileSync(changes ? process.env.FAKE_CHANGES : process.env.FAKE_NOOP, "utf8"));
}
`,
  );
  chmodSync(join(root, "fake-terraform"), 0o755);
});
afterAll(() => {
  removeDir(root);
  cli.cleanup();
});

function drift(args: string[], env: Record<string, string> = {}) {
  const log = join(root, `calls-${Math.random().toString(36).slice(2)}.log`);
  writeFileSync(log, "");
  const r = cli.run("cli/drift.js", args, {
    cwd: root,
    env: {
      TERRAFORM_BINARY_NAME: join(root, "fake-terraform"),
      FAKE_LOG: log,
      FAKE_CHANGES: TEAM,
      FAKE_NOOP: NOOP,
      ...env,
    },
  });
  const calls = readFileSync(log, "utf8")
    .trim()
    .split("\n")
    .filter((l) => l !== "")
    .map((l) => JSON.parse(l) as { stack: string; args: string[] });
  return { ...r, calls };
}

test("no drift: every selected stack planned with the plan role and -detailed-exitcode, exit 0", () => {
  const r = drift(["--stacks", "team-payments-*"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toBe("No drift: 2 stack(s) planned, none has changes.\n");
  const plans = r.calls.filter((c) => c.args[0] === "plan");
  expect(plans.map((c) => c.stack).sort()).toEqual(["team-payments-dev", "team-payments-prod"]);
  for (const c of plans) {
    expect(c.args).toContain("-detailed-exitcode");
    expect(c.args).toContain("-var=landing_zone_role_name=lz-plan");
  }
});

test("drift in one stack: named with what drifted, exit 2", () => {
  const r = drift(["--stacks", "team-payments-*,log-archive"], {
    FAKE_DRIFT: "team-payments-prod",
  });
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^Drift in 1 stack\(s\): team-payments-prod\.$/m);
  expect(r.stdout).toMatch(
    /^== team-payments-prod: 1 to create, 3 to update, 1 to replace, 1 to delete/m,
  );
  expect(r.stdout).not.toMatch(/^== team-payments-dev/m);
  const md = drift(["--stacks", "team-payments-*", "--format", "markdown", "--role", "apply"], {
    FAKE_DRIFT: "team-payments-prod",
  });
  expect(md.code).toBe(2);
  expect(md.stdout.split("\n").slice(0, 2)).toEqual([
    "<!-- landing-zone-drift -->",
    "## Drift: 1 of 2 planned stack(s) differ from the configuration",
  ]);
  expect(md.calls.some((c) => c.args.some((a) => a.startsWith("-var=")))).toBe(false);
});

test("a failed plan: named, the others still planned, exit 4", () => {
  const r = drift(["--stacks", "team-payments-*", "--format", "json"], {
    FAKE_FAIL: "team-payments-dev",
    FAKE_DRIFT: "team-payments-prod",
  });
  expect(r.code).toBe(4);
  const json = JSON.parse(r.stdout);
  expect(json.failed).toEqual(["team-payments-dev"]);
  expect(json.stacks.map((s: { stack: string }) => s.stack)).toEqual(["team-payments-prod"]);
});

test("a selection that matches nothing is a usage error", () => {
  const r = drift(["--stacks", "team-nobody-*"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^--stacks: no stack matches team-nobody-\*; stacks are: /m);
});

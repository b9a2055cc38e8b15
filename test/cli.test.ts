// `npm run synth` and `npm run validate` as a user runs them: exit codes, messages, and a bad
// configuration never touching cdktf.out.
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, removeDir, EXAMPLE_ACCOUNTS } from "./helpers";

const run = (script: string, cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(REPO, "build", script)], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });

let project: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "lz-project-"));
  cpSync(EXAMPLE_ACCOUNTS, join(project, "accounts"), { recursive: true });
});
afterEach(() => removeDir(project));

function duplicateEmail(): void {
  const path = join(project, "accounts", "teams", "catalog.yaml");
  const text = readFileSync(path, "utf8").replace(
    "  dev:\n",
    "  dev:\n    email: aws+payments-dev@acme.example\n",
  );
  writeFileSync(path, text);
}

test("synth writes every stack and the manifest", () => {
  const r = run("main.js", project);
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("Synthesized 19 stack(s) to cdktf.out/stacks");
  expect(readdirSync(join(project, "cdktf.out", "stacks"))).toHaveLength(19);
  expect(existsSync(join(project, "cdktf.out", "manifest.json"))).toBe(true);
});

test("a duplicate email fails synth and validate, names both files, and leaves cdktf.out as it was", () => {
  // One stack is enough to show that a failed synth leaves the last output alone.
  expect(run("main.js", project, { LZ_STACKS: "team-catalog-dev" }).status).toBe(0);
  const before = readFileSync(
    join(project, "cdktf.out", "stacks", "team-catalog-dev", "cdk.tf.json"),
  );
  duplicateEmail();

  const synth = run("main.js", project);
  expect(synth.status).toBe(1);
  const message =
    'accounts/teams/payments.yaml: environments.dev.email: the email made by teamAccounts.emailTemplate is already used by accounts/teams/catalog.yaml: environments.dev.email (emails are compared case-insensitively) (got "aws+payments-dev@acme.example")';
  expect(synth.stderr).toContain(message);
  expect(synth.stderr).toContain("nothing was written");
  expect(
    readFileSync(join(project, "cdktf.out", "stacks", "team-catalog-dev", "cdk.tf.json")),
  ).toEqual(before);
  expect(readdirSync(project).sort()).toEqual(["accounts", "cdktf.out"]);

  const validate = run("cli/validate.js", project);
  expect(validate.status).toBe(1);
  expect(validate.stderr).toContain(message);
});

test("validate prints a one-screen summary of a valid organization", () => {
  const r = run("cli/validate.js", project);
  expect(r.status).toBe(0);
  expect(r.stdout).toContain("Organization acme (management account 111111111111)");
  expect(r.stdout).toContain("Teams (4):");
  expect(r.stdout).toContain("payments (CC-2040): dev 5 rps");
  // An account with other blueprints than the default names them.
  expect(r.stdout).toContain(
    "reporting (CC-5100): dev [scheduled-jobs] 0 rps, 2/900 concurrency; staging [baseline] 0 rps, 0/900 concurrency",
  );
  expect(r.stdout).toContain(
    "19 stacks: organization, organization-trail, 3 core, access, 4 team access, 9 team environments",
  );
  expect(r.stdout.trimEnd().split("\n").length).toBeLessThanOrEqual(45);
  expect(existsSync(join(project, "cdktf.out"))).toBe(false);
});

test("LZ_STACKS synthesizes only the selected stacks, with globs", () => {
  const r = run("main.js", project, { LZ_STACKS: "team-payments-*,organization" });
  expect(r.status).toBe(0);
  expect(readdirSync(join(project, "cdktf.out", "stacks")).sort()).toEqual([
    "organization",
    "team-payments-dev",
    "team-payments-prod",
  ]);
  const bad = run("main.js", project, { LZ_STACKS: "team-nobody-*" });
  // A selection is a usage mistake (exit 2), not an invalid configuration.
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain("LZ_STACKS: no stack matches team-nobody-*");
});

// Commands side by side in one checkout: every npm script starts by rebuilding build/, and synth,
// validate, plan, diagram and capacity may run while another command rebuilds or re-synthesizes.
// None may crash because a file it needs was deleted under it, and a plan of one stack leaves every
// other stack's synthesized output alone.
import { spawn } from "node:child_process";
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, copyExampleAccounts, removeDir, writeFiles } from "../helpers";

interface Result {
  command: string;
  code: number | null;
  stderr: string;
}

let project: string;
let accounts: string;
let build: string;
let env: NodeJS.ProcessEnv;

function run(args: string[], cwd = project): Promise<Result> {
  return new Promise((done) => {
    const child = spawn(process.execPath, args, { cwd, env });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.stdout.resume();
    child.on("close", (code) => done({ command: args.join(" "), code, stderr }));
  });
}

const rebuild = () => run([join(REPO, "scripts", "build.mjs")], REPO);
const command = (script: string, ...args: string[]) => run([join(build, script), ...args]);

beforeAll(async () => {
  project = mkdtempSync(join(tmpdir(), "lz-side-by-side-"));
  accounts = copyExampleAccounts();
  build = join(REPO, `.build-side-by-side-${process.pid}`);
  mkdirSync(join(project, "docs"));
  copyFileSync(join(REPO, "README.md"), join(project, "README.md"));
  copyFileSync(join(REPO, "docs", "organization.mmd"), join(project, "docs", "organization.mmd"));
  writeFiles(project, {
    "fake-terraform": `#!/usr/bin/env node
const fs = require("fs");
const args = process.argv.slice(2);
// cdktf asks for the version when a stack has import blocks.
if (args[0] === "version") process.stdout.write("Terraform v1.11.4\\non linux_amd64\\n");
if (args[0] === "plan") fs.writeFileSync("tfplan", "binary plan");
if (args[0] === "show") process.stdout.write(fs.readFileSync(process.env.FAKE_PLAN, "utf8"));
`,
  });
  chmodSync(join(project, "fake-terraform"), 0o755);
  env = {
    ...process.env,
    LZ_ACCOUNTS_DIR: accounts,
    LZ_BUILD_DIR: build,
    TERRAFORM_BINARY_NAME: join(project, "fake-terraform"),
    FAKE_PLAN: join(REPO, "test", "fixtures", "plans", "team-catalog-dev.json"),
  };
  delete env.LZ_STACKS;
  const built = await rebuild();
  expect(built.stderr).toBe("");
  const synth = await command("main.js");
  expect(synth.stderr).toBe("");
});
afterAll(() => {
  removeDir(project);
  removeDir(accounts);
  removeDir(build);
});

test("rebuilds, synths, validate, capacity, diagram and two plans at once all succeed", async () => {
  const results = await Promise.all([
    rebuild(),
    command("main.js"),
    command("cli/plan.js", "team-payments-dev"),
    command("cli/plan.js", "team-catalog-dev"),
    rebuild(),
    command("cli/validate.js"),
    command("main.js"),
    command("cli/capacity.js"),
    command("cli/diagram.js", "--check"),
    rebuild(),
  ]);
  for (const r of results) {
    expect({ command: r.command, code: r.code }).toEqual({ command: r.command, code: 0 });
    expect(r.stderr).not.toMatch(/\n\s+at /); // no stack trace
  }
  const manifest = JSON.parse(readFileSync(join(project, "cdktf.out", "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks)).toHaveLength(19);
  for (const id of Object.keys(manifest.stacks)) {
    expect(statSync(join(project, "cdktf.out", "stacks", id, "cdk.tf.json")).size).toBeGreaterThan(
      0,
    );
  }
});

test("a plan of one stack leaves every other stack's synthesized output alone", async () => {
  expect((await command("main.js")).code).toBe(0);
  const other = join(project, "cdktf.out", "stacks", "team-payments-prod", "cdk.tf.json");
  const before = statSync(other);
  const r = await command("cli/plan.js", "team-catalog-dev");
  expect(r.code).toBe(0);
  const after = statSync(other);
  expect({ ino: after.ino, mtimeMs: after.mtimeMs }).toEqual({
    ino: before.ino,
    mtimeMs: before.mtimeMs,
  });
  const manifest = JSON.parse(readFileSync(join(project, "cdktf.out", "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks)).toHaveLength(19);
  expect(
    statSync(join(project, "cdktf.out", "stacks", "team-catalog-dev", "plan.json")).size,
  ).toBeGreaterThan(0);
});

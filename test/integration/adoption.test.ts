// A platform team adopts the landing zone: in its clone it onboards its first team into accounts/ with
// the README's command, or replaces accounts/ with an organization of its own, and `npm test` stays
// green, because the framework's tests run against the fixture organizations, never accounts/.
import { spawnSync } from "node:child_process";
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { EXAMPLE_ACCOUNTS, MINIMAL_ACCOUNTS, REPO, removeDir } from "../helpers";

interface Run {
  code: number | null;
  output: string;
}

let clone: string;

// Each test runs the whole of npm test (about a minute on a quiet 2-core machine; several under load).
jest.setTimeout(30 * 60_000);

/** Runs a command in the clone as its platform team would, with none of this test run's settings. */
function inClone(command: string, args: string[]): Run {
  const env: NodeJS.ProcessEnv = { ...process.env, CI: "true" };
  for (const k of Object.keys(env)) {
    if (k.startsWith("LZ_") || k.startsWith("JEST_") || k === "NODE_ENV") delete env[k];
  }
  const r = spawnSync(command, args, { cwd: clone, env, encoding: "utf8", maxBuffer: 1 << 28 });
  return { code: r.status, output: `${r.stdout}${r.stderr}` };
}

/** `npm test` in the clone; on failure the test fails with the output's end, where jest reports. */
function npmTestPasses(): void {
  const r = inClone("npm", ["test"]);
  if (r.code !== 0) throw new Error(`npm test exited ${r.code}:\n${r.output.slice(-6000)}`);
  expect(r.output).toMatch(/^Tests: +\d+ passed, \d+ total$/m);
}

beforeAll(() => {
  // What a clone holds: the tracked files (and new ones not ignored, so this checkout's work is
  // what is tested), node_modules linked rather than installed, and accounts/ as the repository
  // ships it: the example, whose copy is the fixture (this test never reads the real accounts/).
  clone = mkdtempSync(join(tmpdir(), "lz-adoption-"));
  const listed = spawnSync(
    "git",
    ["ls-files", "-z", "--cached", "--others", "--exclude-standard"],
    { cwd: REPO, encoding: "utf8" },
  );
  expect(listed.status).toBe(0);
  for (const file of listed.stdout.split("\0")) {
    if (!file || file.startsWith("accounts/") || !existsSync(join(REPO, file))) continue;
    mkdirSync(dirname(join(clone, file)), { recursive: true });
    copyFileSync(join(REPO, file), join(clone, file));
  }
  cpSync(EXAMPLE_ACCOUNTS, join(clone, "accounts"), { recursive: true });
  symlinkSync(join(REPO, "node_modules"), join(clone, "node_modules"));
  for (const args of [
    ["init", "--quiet", "--initial-branch=main"],
    ["add", "--all"],
    [
      "-c",
      "user.name=Platform",
      "-c",
      "user.email=platform@acme.example",
      "commit",
      "-qm",
      "clone",
    ],
  ]) {
    expect(inClone("git", args).code).toBe(0);
  }
});
afterAll(() => removeDir(clone));

test("onboarding a team into accounts/ with npm run onboard leaves npm test green", () => {
  const onboard = inClone("npm", [
    "run",
    "--silent",
    "onboard",
    "--",
    "--team",
    "orders",
    "--owner-name",
    "Lee Chen",
    "--owner-email",
    "lee.chen@acme.example",
    "--cost-center",
    "CC-5100",
    "--envs",
    "dev,prod",
    "--rps",
    "300",
    "--duration-ms",
    "80",
  ]);
  expect(onboard.output).toMatch(/^Wrote accounts\/teams\/orders\.yaml /m);
  expect(onboard.code).toBe(0);
  expect(readFileSync(join(clone, "accounts/ledger.yaml"), "utf8")).toMatch(/^ {2}orders:$/m);
  npmTestPasses();
});

test("replacing accounts/ with a one-team organization (its diagram redrawn) leaves npm test green", () => {
  rmSync(join(clone, "accounts"), { recursive: true });
  cpSync(MINIMAL_ACCOUNTS, join(clone, "accounts"), { recursive: true });
  // What its own CI then asks of it (npm run diagram -- --check): the diagram pictures its organization.
  const diagram = inClone("npm", ["run", "--silent", "diagram"]);
  expect(diagram.output).toMatch(/^Wrote docs\/organization\.mmd\.$/m);
  expect(diagram.code).toBe(0);
  expect(readFileSync(join(clone, "docs/organization.mmd"), "utf8")).toContain("team-shop-prod");
  npmTestPasses();
});

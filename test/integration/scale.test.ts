// Selective and parallel synthesis give the same bytes as a plain one, and the benchmark prints its
// one JSON line. (Timing targets are measured by `npm run bench`, not asserted here.)
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, copyExampleAccounts, generatedAccounts, removeDir } from "../helpers";

const TEAMS = 25;

// The example with 25 generated teams (scale-0001 ...) in dev and prod.
let accounts: string;
beforeAll(() => {
  accounts = generatedAccounts(TEAMS, { prefix: "scale", envs: 2, keepTeams: true });
});
afterAll(() => removeDir(accounts));

function synth(env: Record<string, string>): string {
  const project = mkdtempSync(join(tmpdir(), "lz-scale-"));
  const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
    cwd: project,
    env: { ...process.env, LZ_ACCOUNTS_DIR: accounts, ...env },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return join(project, "cdktf.out");
}

function contents(outdir: string): Record<string, string> {
  const out: Record<string, string> = {
    manifest: readFileSync(join(outdir, "manifest.json"), "utf8"),
  };
  for (const id of readdirSync(join(outdir, "stacks")).sort()) {
    out[id] = readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8");
  }
  return out;
}

test("two worker threads write exactly what one thread writes", () => {
  const one = synth({ LZ_SYNTH_WORKERS: "1" });
  const two = synth({ LZ_SYNTH_WORKERS: "2" });
  const a = contents(one);
  // manifest, 5 core, 9 example team stacks, 2 per scale team; access and one access stack per team.
  expect(Object.keys(a)).toHaveLength(1 + 5 + 9 + 2 * TEAMS + 1 + 4 + TEAMS);
  expect(contents(two)).toEqual(a);
  removeDir(join(one, ".."));
  removeDir(join(two, ".."));
});

test("LZ_STACKS writes only the selected team stack, identical to the full synth's", () => {
  const full = contents(synth({ LZ_SYNTH_WORKERS: "1" }));
  const only = synth({ LZ_STACKS: "team-scale-0007-prod" });
  expect(readdirSync(join(only, "stacks"))).toEqual(["team-scale-0007-prod"]);
  expect(contents(only)["team-scale-0007-prod"]).toBe(full["team-scale-0007-prod"]);
  const manifest = JSON.parse(readFileSync(join(only, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks)).toEqual(["team-scale-0007-prod"]);
});

test("the benchmark prints one JSON line and leaves nothing behind", () => {
  // It adds its teams to the settings of $LZ_ACCOUNTS_DIR (accounts/ by default), in a folder of its own.
  const base = copyExampleAccounts();
  const cwd = mkdtempSync(join(tmpdir(), "lz-bench-cwd-"));
  const files = () => readdirSync(base, { recursive: true }).sort();
  const before = files();
  const r = spawnSync(
    process.execPath,
    [join(REPO, "scripts", "bench.mjs"), "--teams", "2", "--envs", "1"],
    { cwd, encoding: "utf8", env: { ...process.env, LZ_ACCOUNTS_DIR: base } },
  );
  expect(r.stderr).toBe("");
  expect(r.status).toBe(0);
  const lines = r.stdout.trim().split("\n");
  expect(lines).toHaveLength(1);
  const result = JSON.parse(lines[0]);
  expect(result).toEqual({
    teams: 2,
    stacks: 5 + 2 + 1 + 2, // core, team, access, one access stack per team
    resources: expect.any(Number),
    synthSeconds: expect.any(Number),
    peakRssMB: expect.any(Number),
  });
  expect(result.resources).toBeGreaterThan(100);
  expect(files()).toEqual(before);
  expect(readdirSync(cwd)).toEqual([]);
  removeDir(base);
  removeDir(cwd);

  const bad = spawnSync(process.execPath, [join(REPO, "scripts", "bench.mjs"), "--teams", "0"], {
    encoding: "utf8",
  });
  expect(bad.status).toBe(2);
  expect(bad.stderr).toContain(`--teams: must be a whole number of teams from 1 to 9999 (got "0")`);
});

test("guardrail violations from every worker come back as one report", () => {
  const org = join(accounts, "organization.yaml");
  const original = readFileSync(org, "utf8");
  try {
    writeFileSync(
      org,
      `${original}
guardrails:
  waivers:
    - rule: encryption-at-rest
      resource: team-scale-0001-dev/nothing/here
      reason: a waiver that matches nothing
    - rule: encryption-at-rest
      resource: team-scale-0002-dev/nothing/here
      reason: a waiver that matches nothing
`,
    );
    const project = mkdtempSync(join(tmpdir(), "lz-scale-"));
    const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
      cwd: project,
      env: { ...process.env, LZ_ACCOUNTS_DIR: accounts, LZ_SYNTH_WORKERS: "2" },
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr.match(/Guardrails failed/g)).toHaveLength(1);
    expect(r.stderr).toContain("Guardrails failed (2 violation(s)); nothing was written:");
    expect(r.stderr).toContain(
      "team-scale-0001-dev: team-scale-0001-dev/nothing/here: [unused-waiver]",
    );
    expect(r.stderr).toContain(
      "team-scale-0002-dev: team-scale-0002-dev/nothing/here: [unused-waiver]",
    );
    expect(readdirSync(project)).toEqual([]);
    removeDir(project);
  } finally {
    writeFileSync(org, original);
  }
});

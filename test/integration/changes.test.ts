// `npm run changes` at the scale the landing zone is sold for: 1,000 generated teams in dev and prod
// (3,006 stacks). A change to a default changes every stack: the shards fit GitHub's 256-job matrix,
// cover every stack once and never mix deploy phases. Removing a team lists its stacks as removed.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, generatedAccounts, removeDir } from "../helpers";

const TEAMS = 1000;
const STACKS = 3006;

let accounts: string;
let base: string;
let head: string;
let removed: string;
const dirs: string[] = [];

function synth(): string {
  const project = mkdtempSync(join(tmpdir(), "lz-changes-scale-"));
  dirs.push(project);
  const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
    cwd: project,
    env: { ...process.env, LZ_ACCOUNTS_DIR: accounts, LZ_STACKS: "" },
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(r.stderr);
  return join(project, "cdktf.out");
}

function changes(...args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO, "build", "cli", "changes.js"), ...args], {
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Each stack's phase in an output folder's graph (the workflow's apply phases). */
function phases(outdir: string): Map<string, number> {
  const r = spawnSync(
    process.execPath,
    [
      "-e",
      `const {deployPhases} = require(${JSON.stringify(join(REPO, "build", "stacks", "graph.js"))});
       const m = require(${JSON.stringify(join(outdir, "manifest.json"))});
       const nodes = Object.entries(m.stacks).map(([id, s]) => ({id, kind: id, needs: s.dependencies.map((stack) => ({stack, why: ""}))}));
       console.log(JSON.stringify(deployPhases(nodes).map((p) => p.map((n) => n.id))));`,
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  const out = new Map<string, number>();
  (JSON.parse(r.stdout) as string[][]).forEach((p, i) => p.forEach((id) => out.set(id, i)));
  return out;
}

beforeAll(() => {
  accounts = generatedAccounts(TEAMS);
  base = synth();
  // A change to a default: every provider's default tags, so every stack's JSON.
  const file = join(accounts, "organization.yaml");
  const before = readFileSync(file, "utf8");
  writeFileSync(file, before.replace("organization: acme", "organization: acme-corp"));
  head = synth();
  rmSync(join(accounts, "teams", "bench-0500.yaml"));
  removed = synth();
});
afterAll(() => {
  removeDir(accounts);
  dirs.forEach(removeDir);
});

test("a change to a default: every one of 3,006 stacks once, in ≤ 256 shards, phases never mixed", () => {
  const r = changes("--base", base, "--head", head);
  expect(r.code).toBe(0);
  const {
    changed,
    removed: gone,
    jobs,
  } = JSON.parse(r.stdout) as {
    changed: string[];
    removed: string[];
    jobs: string[][];
  };
  expect(changed).toHaveLength(STACKS);
  expect(gone).toEqual([]);
  expect(jobs.length).toBeLessThanOrEqual(256);
  const all = jobs.flat();
  expect(all).toHaveLength(STACKS);
  expect(new Set(all)).toEqual(new Set(changed));
  const phase = phases(head);
  for (const shard of jobs) expect(new Set(shard.map((id) => phase.get(id))).size).toBe(1);
  // Shards of one phase differ by one stack at most.
  const sizes = new Map<number, number[]>();
  for (const shard of jobs)
    sizes.set(phase.get(shard[0])!, [...(sizes.get(phase.get(shard[0])!) ?? []), shard.length]);
  for (const s of sizes.values()) expect(Math.max(...s) - Math.min(...s)).toBeLessThanOrEqual(1);
  // Deterministic: the same bytes again.
  expect(changes("--base", base, "--head", head).stdout).toBe(r.stdout);
  process.stderr.write(`changes at ${TEAMS} teams: ${r.stderr}`);
});

test("removing a team: its stacks are removed, destroyed before the applies, dependants first", () => {
  const r = changes("--base", head, "--head", removed);
  expect(r.code).toBe(0);
  const { changed, removed: gone, jobs } = JSON.parse(r.stdout);
  expect(gone).toEqual(["access-bench-0500", "team-bench-0500-dev", "team-bench-0500-prod"]);
  // The shards of removed stacks come first, and none of them holds a stack to apply.
  const shards = jobs as string[][];
  const destroying = shards.findIndex((shard) => !shard.some((id) => gone.includes(id)));
  const first = destroying < 0 ? shards : shards.slice(0, destroying);
  expect(first.flat().sort()).toEqual(gone);
  expect((jobs as string[][]).flat().sort()).toEqual([...changed, ...gone].sort());
  process.stderr.write(`removing bench-0500: changed ${JSON.stringify(changed)}, ${r.stderr}`);
});

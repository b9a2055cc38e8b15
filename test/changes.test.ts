// `npm run changes`: which stacks a change touches and the shards the workflow runs them in, on
// small hand-written output folders (the 3,006-stack case is test/integration/changes.test.ts).
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../cli/changes";
import { runCommand } from "./cli";
import { removeDir } from "./helpers";

const dirs: string[] = [];
afterAll(() => dirs.forEach(removeDir));

/** A cdktf.out: stack id -> [its cdk.tf.json text, its dependencies]. */
function out(stacks: Record<string, [string, string[]]>): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-changes-"));
  dirs.push(dir);
  const manifest: Record<string, { dependencies: string[] }> = {};
  for (const [id, [json, dependencies]] of Object.entries(stacks)) {
    mkdirSync(join(dir, "stacks", id), { recursive: true });
    writeFileSync(join(dir, "stacks", id, "cdk.tf.json"), json);
    manifest[id] = { dependencies };
  }
  writeFileSync(
    join(dir, "manifest.json"),
    JSON.stringify({ version: "0.21.0", stacks: manifest }),
  );
  return dir;
}

function changes(args: string[]) {
  const r = runCommand(main, args);
  return { ...r, json: r.code === 0 ? JSON.parse(r.stdout) : undefined };
}

// organization <- log-archive <- team-*; access <- access-*: a small landing zone's graph.
const org = (teams: string[], json: (id: string) => string = () => "{}") => {
  const stacks: Record<string, [string, string[]]> = {
    organization: [json("organization"), []],
    "log-archive": [json("log-archive"), ["organization"]],
    access: [json("access"), ["organization"]],
  };
  for (const t of teams) {
    stacks[`team-${t}-dev`] = [json(`team-${t}-dev`), ["organization", "log-archive"]];
    stacks[`access-${t}`] = [json(`access-${t}`), ["organization", "access"]];
  }
  return stacks;
};

test("nothing changed: no stack, no shard", () => {
  const base = out(org(["a", "b"]));
  const head = out(org(["a", "b"]));
  const r = changes(["--base", base, "--head", head]);
  expect(r.code).toBe(0);
  expect(r.json).toEqual({ changed: [], removed: [], jobs: [] });
});

test("a changed stack is one whose cdk.tf.json differs by a byte; a new stack is changed", () => {
  const base = out(org(["a"]));
  const head = out(org(["a", "b"], (id) => (id === "team-a-dev" ? "{ }" : "{}")));
  const r = changes(["--base", base, "--head", head]);
  expect(r.json.changed).toEqual(["access-b", "team-a-dev", "team-b-dev"]);
  expect(r.json.removed).toEqual([]);
  // access-b (phase 3 of the head graph) and the team stacks (phase 3 too) may share a shard; with
  // room for 256 shards each stack has its own.
  expect(r.json.jobs).toEqual([["access-b"], ["team-a-dev"], ["team-b-dev"]]);
  expect(r.stderr).toContain("changes: 3 changed, 0 removed, in 3 shard(s)");
});

test("removed stacks come from the base, destroyed before any apply, dependants first", () => {
  const base = out(org(["a", "b"]));
  const head = out(org(["a"], (id) => (id === "organization" ? '{"x":1}' : "{}")));
  const r = changes(["--base", base, "--head", head, "--max-jobs", "2"]);
  expect(r.json.changed).toEqual(["organization"]);
  expect(r.json.removed).toEqual(["access-b", "team-b-dev"]);
  // Two groups: the removed stacks (both in the base's phase 3) and the organization (phase 1).
  expect(r.json.jobs).toEqual([["access-b", "team-b-dev"], ["organization"]]);
  const phased = changes(["--base", base, "--head", head, "--max-jobs", "2", "--format", "phases"]);
  expect(phased.json).toEqual({
    destroy: [[], [], [["access-b", "team-b-dev"]]],
    apply: [[["organization"]]],
  });
});

test("a removed stack that another removed stack needs is destroyed in a later shard", () => {
  const base = out({
    organization: ["{}", []],
    "log-archive": ["{}", ["organization"]],
    "team-x-dev": ["{}", ["log-archive"]],
  });
  const head = out({ organization: ["{}", []] });
  const r = changes(["--base", base, "--head", head]);
  expect(r.json.removed).toEqual(["log-archive", "team-x-dev"]);
  expect(r.json.jobs).toEqual([["team-x-dev"], ["log-archive"]]);
});

test("every stack once, at most --max-jobs shards, phases never mixed, sizes within one", () => {
  const teams = Array.from({ length: 40 }, (_, i) => `t${String(i).padStart(2, "0")}`);
  const base = out(org(teams));
  const head = out(org(teams, (id) => `{"id":"${id}"}`));
  const r = changes(["--base", base, "--head", head, "--max-jobs", "7"]);
  const all = Object.keys(org(teams)).sort();
  expect(r.json.changed).toEqual(all);
  expect(r.json.jobs.length).toBeLessThanOrEqual(7);
  expect(r.json.jobs.flat().sort()).toEqual(all);
  // Phases: organization | log-archive, access | 80 team and access stacks.
  expect(r.json.jobs[0]).toEqual(["organization"]);
  expect(r.json.jobs[1]).toEqual(["access", "log-archive"]);
  const rest = r.json.jobs.slice(2) as string[][];
  expect(rest).toHaveLength(5);
  expect(rest.map((s) => s.length)).toEqual([16, 16, 16, 16, 16]);
  // The same input, the same bytes.
  expect(changes(["--base", base, "--head", head, "--max-jobs", "7"]).stdout).toBe(r.stdout);
});

test("too few shards for the phases is refused, naming the minimum", () => {
  const base = out(org(["a"]));
  const head = out(org(["a"], (id) => id));
  const r = changes(["--base", base, "--head", head, "--max-jobs", "2"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(
    "--max-jobs: the changes span 3 phases, and a shard never mixes two: give at least 3 (got 2)",
  );
  expect(r.stdout).toBe("");
});

test("a base that did not synthesize (an empty folder): every stack changed, said on stderr", () => {
  const base = mkdtempSync(join(tmpdir(), "lz-changes-empty-"));
  dirs.push(base);
  const head = out(org(["a"]));
  const r = changes(["--base", base, "--head", head]);
  expect(r.code).toBe(0);
  expect(r.json.changed).toHaveLength(5);
  expect(r.json.removed).toEqual([]);
  expect(r.stderr).toContain("holds no synthesized stacks (it did not synthesize)");
});

test("bad input: usage errors, exit 2, nothing on stdout", () => {
  const head = out(org([]));
  const cases: [string[], string][] = [
    [["--head", head], "--base: required"],
    [
      ["--base", "/nonexistent/cdktf.out", "--head", head],
      "--base: /nonexistent/cdktf.out: no such folder",
    ],
    [["--base", head, "--head", head, "--max-jobs", "0"], "--max-jobs: must be a whole number"],
    [["--base", head, "--head", head, "--format", "yaml"], "--format: must be one of json, phases"],
  ];
  for (const [args, message] of cases) {
    const r = changes(args);
    expect([args, r.code, r.stdout]).toEqual([args, 2, ""]);
    expect(r.stderr).toContain(message);
  }
  const broken = mkdtempSync(join(tmpdir(), "lz-changes-broken-"));
  dirs.push(broken);
  writeFileSync(join(broken, "manifest.json"), "{");
  const r = changes(["--base", broken, "--head", head]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain(`--base: ${join(broken, "manifest.json")}: not JSON`);
});

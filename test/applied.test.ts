// The last applied commit: the workflow diffs against the tag landing-zone/applied, moved only when a
// run applied every stack, so a cancelled or failed run's stacks are applied by the next one. A git
// repository in a temp folder plays main; its commits hold synthesized output folders (out/), so
// "synthesizing the base" is checking out the tagged commit, as the workflow does.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as applied } from "../cli/applied";
import { main as changes } from "../cli/changes";
import { APPLIED_TAG, defaultBase, lastAppliedCommit } from "../config/git-base";
import { runCommand } from "./cli";
import { removeDir } from "./helpers";

let root: string;
let origin: string;
let repo: string;
const git = (cwd: string, ...args: string[]) =>
  execFileSync("git", args, { cwd, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] }).trim();

/** A commit whose out/ holds these stacks (id -> cdk.tf.json), all needing only organization. */
function commit(stacks: Record<string, string>, message: string): string {
  rmSync(join(repo, "out"), { recursive: true, force: true });
  const manifest: Record<string, { dependencies: string[] }> = {};
  for (const [id, json] of Object.entries(stacks)) {
    mkdirSync(join(repo, "out", "stacks", id), { recursive: true });
    writeFileSync(join(repo, "out", "stacks", id, "cdk.tf.json"), json);
    manifest[id] = { dependencies: id === "organization" ? [] : ["organization"] };
  }
  writeFileSync(join(repo, "out", "manifest.json"), JSON.stringify({ stacks: manifest }));
  git(repo, "add", "-A");
  git(repo, "commit", "-qm", message);
  return git(repo, "rev-parse", "HEAD");
}

/** What a workflow run on main's HEAD would apply: the changes since the last applied commit. */
function run(): { changed: string[]; removed: string[] } {
  const base = join(root, `base-${Date.now()}-${Math.random()}`);
  const last = runCommand(applied, [], { cwd: repo });
  expect(last.code).toBe(0);
  if (last.stdout.trim()) git(repo, "worktree", "add", "-q", "--detach", base, last.stdout.trim());
  else mkdirSync(join(base, "out"), { recursive: true });
  const r = runCommand(changes, ["--base", join(base, "out"), "--head", "out"], { cwd: repo });
  expect(r.code).toBe(0);
  const { changed, removed } = JSON.parse(r.stdout);
  return { changed, removed };
}

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lz-applied-"));
  origin = join(root, "origin.git");
  repo = join(root, "repo");
  git(root, "init", "-q", "--bare", origin);
  git(root, "clone", "-q", origin, repo);
  git(repo, "config", "user.email", "ci@example.com");
  git(repo, "config", "user.name", "CI");
});
afterEach(() => removeDir(root));

test("a cancelled run's stacks are applied by the next run; the tag moves only on success", () => {
  // Run 1 applies everything and records.
  const a = commit({ organization: "{}", "team-a-dev": "{}", "team-b-dev": "{}" }, "A");
  expect(run()).toEqual({ changed: ["organization", "team-a-dev", "team-b-dev"], removed: [] });
  expect(runCommand(applied, ["--record", a], { cwd: repo }).code).toBe(0);
  expect(git(origin, "rev-parse", `refs/tags/${APPLIED_TAG}`)).toBe(a);

  // Push B changes team-a; its run is cancelled while pending (a newer push queued): no record.
  commit({ organization: "{}", "team-a-dev": '{"b":1}', "team-b-dev": "{}" }, "B");
  // Push C changes team-b and removes nothing; its run sees B's change too.
  const c = commit({ organization: "{}", "team-a-dev": '{"b":1}', "team-b-dev": '{"c":1}' }, "C");
  expect(run()).toEqual({ changed: ["team-a-dev", "team-b-dev"], removed: [] });

  // Run C fails half-way: still no record; push D removes team-a and the next run has it all.
  const d = commit({ organization: "{}", "team-b-dev": '{"c":1}' }, "D");
  expect(run()).toEqual({ changed: ["team-b-dev"], removed: ["team-a-dev"] });
  expect(runCommand(applied, ["--record", d], { cwd: repo }).code).toBe(0);
  expect(run()).toEqual({ changed: [], removed: [] });

  // The tag never moves backward (a re-run of C's old run), and HEAD older than the tag is refused.
  const back = runCommand(applied, ["--record", c], { cwd: repo });
  expect(back.code).toBe(3);
  expect(back.stderr).toContain("the tag only moves forward");
  git(repo, "checkout", "-q", "--detach", c);
  const old = runCommand(applied, [], { cwd: repo });
  expect(old.code).toBe(3);
  expect(old.stderr).toContain("is older than the last applied commit");
});

test("the lifecycle guard's default base is the last applied commit once there is one", () => {
  commit({ organization: "{}" }, "A");
  const b = commit({ organization: '{"b":1}' }, "B");
  commit({ organization: '{"c":1}' }, "C");
  expect(lastAppliedCommit(repo)).toBeUndefined();
  expect(runCommand(applied, ["--record", b, "--no-push"], { cwd: repo }).code).toBe(0);
  expect(lastAppliedCommit(repo)).toBe(b);
  expect(defaultBase(repo)).toEqual({ label: `the last applied commit ${b}`, commit: b });
});

test("before the first apply: nothing printed, every stack changed", () => {
  commit({ organization: "{}" }, "A");
  const r = runCommand(applied, [], { cwd: repo });
  expect([r.code, r.stdout]).toEqual([0, ""]);
  expect(r.stderr).toContain(`no tag ${APPLIED_TAG} yet`);
  expect(run().changed).toEqual(["organization"]);
});

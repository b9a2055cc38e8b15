// The configuration as it was at a git revision: the ledger and the team files, read with
// `git show <commit>:<path>` (never from the working tree), so the lifecycle guard compares a change
// with what was there before it, not only with itself.
import { spawnSync } from "node:child_process";
import { realpathSync } from "node:fs";
import { relative, sep } from "node:path";
import { LEDGER_FILE } from "./ledger";

export interface BaseRevision {
  ref: string;
  commit: string;
  /** accounts/ledger.yaml at the base, or undefined when the base has none. */
  ledger?: string;
  /** Team name -> team file text at the base. */
  teams: Map<string, string>;
}

export type BaseRead = { ok: true; base: BaseRevision } | { ok: false; reason: string };

function git(cwd: string, args: string[]): { ok: boolean; out: string; err: string } {
  const r = spawnSync("git", args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (r.error) return { ok: false, out: "", err: "git is not installed" };
  return { ok: r.status === 0, out: r.stdout ?? "", err: (r.stderr ?? "").trim() };
}

/** The commit `ref` names in the repository holding `dir`, or why there is none. */
export function resolveCommit(dir: string, ref: string): { commit?: string; reason?: string } {
  const top = git(dir, ["rev-parse", "--show-toplevel"]);
  if (!top.ok)
    return { reason: top.err.includes("not installed") ? top.err : "not a git checkout" };
  if (ref.startsWith("-")) return { reason: `${ref} is not a git revision` };
  const commit = git(dir, ["rev-parse", "--verify", "--quiet", `${ref}^{commit}`]);
  if (!commit.ok) return { reason: `git knows no commit ${ref}` };
  return { commit: commit.out.trim() };
}

export function readBase(accountsDir: string, ref: string): BaseRead {
  const resolved = resolveCommit(accountsDir, ref);
  if (!resolved.commit) return { ok: false, reason: resolved.reason! };
  const commit = resolved.commit;
  const top = git(accountsDir, ["rev-parse", "--show-toplevel"]).out.trim();
  const rel = relative(realpathSync(top), realpathSync(accountsDir)).split(sep).join("/");
  const at = (path: string) => (rel === "" ? path : `${rel}/${path}`);
  const show = (path: string) => {
    const r = git(top, ["show", `${commit}:${at(path)}`]);
    return r.ok ? r.out : undefined;
  };
  const listed = git(top, ["ls-tree", "--name-only", `${commit}`, `${at("teams")}/`]);
  const teams = new Map<string, string>();
  for (const path of listed.ok ? listed.out.split("\n").filter(Boolean) : []) {
    const name = path.split("/").pop()!;
    if (!name.endsWith(".yaml")) continue;
    const text = show(`teams/${name}`);
    if (text !== undefined) teams.set(name.slice(0, -".yaml".length), text);
  }
  return { ok: true, base: { ref, commit, ledger: show(LEDGER_FILE), teams } };
}

/** A base given as a ref: none when empty, or git's all-zero commit (the `before` of a push that created the branch). */
export function givenBase(ref: string | undefined): string | undefined {
  return ref === undefined || ref === "" || /^0{40}$/.test(ref) ? undefined : ref;
}

/**
 * The tag the deploy workflow moves to a commit once every stack of that commit's run applied
 * (`npm run applied -- --record`): the next run diffs against it, so the stacks of a run that was
 * cancelled or failed are applied by the next one (docs/operations.md, "CI").
 */
export const APPLIED_TAG = "landing-zone/applied";

/** The commit the deploy pipeline last applied (the APPLIED_TAG), or undefined before the first. */
export function lastAppliedCommit(dir: string): string | undefined {
  const r = git(dir, ["rev-parse", "--verify", "--quiet", `refs/tags/${APPLIED_TAG}^{commit}`]);
  return r.ok ? r.out.trim() : undefined;
}

/** Whether `ancestor` is `commit` or one of its ancestors. */
export function isAncestor(dir: string, ancestor: string, commit: string): boolean {
  return git(dir, ["merge-base", "--is-ancestor", ancestor, commit]).ok;
}

export type DefaultBase = { label: string; commit: string } | { none: string };

/**
 * What CI compares with when no base is given: the last applied commit when the pipeline records
 * one; else the merge base of HEAD and origin/main (or main); and when HEAD is already on main (a
 * push to main), where the merge base is HEAD itself and would compare the change with itself, the
 * commit before it. The workflow passes the push's `before` as --base, which also covers a push of
 * several commits.
 */
export function defaultBase(
  dir: string,
  applied = lastAppliedCommit(dir),
): DefaultBase | undefined {
  if (applied !== undefined) {
    const resolved = resolveCommit(dir, applied);
    if (resolved.commit)
      return { label: `the last applied commit ${applied}`, commit: resolved.commit };
  }
  const head = git(dir, ["rev-parse", "--verify", "--quiet", "HEAD^{commit}"]);
  for (const ref of ["origin/main", "main"]) {
    const resolved = resolveCommit(dir, ref);
    if (!resolved.commit) continue;
    const mb = git(dir, ["merge-base", "HEAD", resolved.commit]);
    if (!mb.ok) continue;
    const base = mb.out.trim();
    if (!head.ok || base !== head.out.trim())
      return { label: `the merge base of HEAD and ${ref}`, commit: base };
    const parent = git(dir, ["rev-parse", "--verify", "--quiet", "HEAD^1^{commit}"]);
    if (!parent.ok)
      return {
        none: `HEAD is already on ${ref} and has no parent in this clone (its first commit, or a shallow clone: fetch more history, or pass --base)`,
      };
    return {
      label: `the commit before HEAD (HEAD is already on ${ref})`,
      commit: parent.out.trim(),
    };
  }
  return undefined;
}

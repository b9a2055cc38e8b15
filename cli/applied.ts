// `npm run applied [-- --record <commit>]`: the commit the deploy workflow last applied, kept as the
// git tag landing-zone/applied (config/git-base.ts, APPLIED_TAG). The apply diffs against it, not
// against the push's `before`: when a newer push cancels a pending run (GitHub does, even without
// cancel-in-progress) or a run fails half-way, the tag stays where it was and the next run applies
// every stack changed since, the skipped push's too. Only a run whose every stack applied records.
//
// Without --record: prints the last applied commit (nothing before the first apply), and exits 3
// when HEAD is older than it (a re-run of an old run would roll the organization back) or not on
// its history (rewritten history: which stacks changed cannot be known; move the tag by hand).
// --record <commit>: moves the tag forward to <commit> and pushes it to origin (never backward).
import { spawnSync } from "node:child_process";
import { APPLIED_TAG, isAncestor, lastAppliedCommit, resolveCommit } from "../config/git-base";
import { exitCodeOf, ExternalError, GateError, parseFlags, UsageError } from "./args";

export const USAGE = `Usage: npm run applied [-- --record <commit>] [--no-push]
  Prints the commit the workflow last applied (the git tag ${APPLIED_TAG}), nothing before the first;
  exits 3 when HEAD is older than it or not on its history.
  --record <commit>  moves the tag forward to <commit> (never backward) and pushes it to origin
  --no-push          with --record: move the tag in this clone only`;

function git(args: string[]): string {
  const r = spawnSync("git", args, { encoding: "utf8" });
  if (r.error) throw new ExternalError(`git: ${r.error.message}`);
  if (r.status !== 0)
    throw new ExternalError(`git ${args.join(" ")} failed: ${(r.stderr ?? "").trim()}`);
  return r.stdout;
}

export function main(argv: string[]): number {
  try {
    const { values } = parseFlags(
      {
        args: argv,
        options: { record: { type: "string" }, "no-push": { type: "boolean" } },
      },
      USAGE,
    );
    const dir = process.cwd();
    const applied = lastAppliedCommit(dir);
    if (values.record === undefined) {
      if (values["no-push"]) throw new UsageError(`--no-push: only with --record\n\n${USAGE}`);
      if (applied === undefined) {
        process.stderr.write(
          `applied: no tag ${APPLIED_TAG} yet: nothing was applied by the workflow, every stack counts as changed\n`,
        );
        return 0;
      }
      const head = resolveCommit(dir, "HEAD");
      if (!head.commit) throw new ExternalError(`applied: HEAD: ${head.reason}`);
      if (!isAncestor(dir, applied, head.commit)) {
        throw new GateError(
          isAncestor(dir, head.commit, applied)
            ? `applied: HEAD ${head.commit.slice(0, 12)} is older than the last applied commit ${applied.slice(0, 12)} (${APPLIED_TAG}); applying it would roll back what a later run applied`
            : `applied: the last applied commit ${applied.slice(0, 12)} (${APPLIED_TAG}) is not on HEAD's history (was main rewritten?); move the tag to the commit the organization runs: git tag -f ${APPLIED_TAG} <commit> && git push -f origin refs/tags/${APPLIED_TAG}`,
        );
      }
      process.stdout.write(`${applied}\n`);
      return 0;
    }
    const target = resolveCommit(dir, values.record);
    if (!target.commit) throw new UsageError(`--record: ${target.reason}`);
    if (applied !== undefined && !isAncestor(dir, applied, target.commit))
      throw new GateError(
        `applied: --record ${values.record}: the tag ${APPLIED_TAG} is at ${applied.slice(0, 12)}, which ${target.commit.slice(0, 12)} does not descend from; the tag only moves forward`,
      );
    git(["tag", "--force", APPLIED_TAG, target.commit]);
    if (!values["no-push"]) git(["push", "--force", "origin", `refs/tags/${APPLIED_TAG}`]);
    process.stderr.write(
      `applied: ${APPLIED_TAG} -> ${target.commit}${values["no-push"] ? " (not pushed)" : ", pushed to origin"}\n`,
    );
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

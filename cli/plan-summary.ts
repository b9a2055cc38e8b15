// `npm run plan-summary -- <plan.json>... [--format text|markdown|json] [--fail-on destroy|replace|any]
// [--max-chars N] [--failed <id>,...] [--graph <file>]`: summarizes `terraform show -json` plans,
// grouped by stack. A plan's stack is the folder name for `.../<stack>/plan.json` (where `npm run
// plan` writes it), else the file name (`<stack>.json`), or an explicit `<stack>=<file>`. Markdown
// is the pull-request comment, bounded to --max-chars (plan-review/comment.ts); text and JSON are
// complete. `--compare <reviewed> <new>` instead says whether two plans make the same changes.
// Exit code: 0; 3 when --fail-on trips or --compare finds a difference (stderr says what); 2 on bad
// input.
import { EXIT_GATE, EXIT_OK, exitCodeOf, UsageError } from "./args";
import { comparePlans } from "./plan-review/compare";
import { parseReviewFlags } from "./plan-review/flags";
import { readPlan } from "./plan-review/read";
import { render } from "./plan-review/render";
import { gateLine, stackRank, summarize } from "./plan-review/summarize";

export const USAGE = `Usage: npm run plan-summary -- <plan.json | stack=plan.json>... [--format text|markdown|json] [--fail-on destroy|replace|any] [--max-chars N] [--failed <stack-id>,...] [--graph <file>]
       npm run plan-summary -- --compare <reviewed plan.json> <new plan.json>
  Summarizes terraform show -json plans, grouped by stack, for a review.
  --format markdown   the pull-request comment: first line <!-- landing-zone-plan -->, identical changes grouped, at most --max-chars characters
  --format json       one JSON document for machines (docs/operations.md, "plan-summary --format json"); text and json are never cut
  --max-chars <n>     the comment's budget (default 65000; GitHub refuses comments over 65536)
  --failed <ids>      stacks whose plan failed: named first in every format
  --graph <file>      deploy phases (npm run validate -- --graph --format json > graph.json); default: organization, core, team
  --fail-on <gate>    exit 3 when a plan deletes (destroy), replaces or deletes (replace), or changes anything (any)
  --compare           exit 0 when the new plan makes the same changes as the reviewed one, else 3 with one stderr line per difference`;

/**
 * What the command prints on stdout, and the gate's stderr line when it tripped. Relative plan paths
 * start at `cwd`.
 */
export function planSummary(
  argv: string[],
  cwd = process.cwd(),
): { output: string; gate?: string } {
  const flags = parseReviewFlags(argv, USAGE, { summary: true });
  const { format, failOn, positionals } = flags;
  if (flags.compare) {
    if (positionals.length !== 2)
      throw new UsageError(`--compare takes two plans, the reviewed one and the new one\n${USAGE}`);
    const [reviewed, fresh] = positionals.map((p) => readPlan(p, cwd));
    const diffs = comparePlans(reviewed, fresh);
    if (diffs.length === 0) {
      return { output: `${fresh.file} makes the same changes as the reviewed ${reviewed.file}.\n` };
    }
    return {
      output: "",
      gate: [
        ...diffs,
        `--compare: ${fresh.file} differs from the reviewed ${reviewed.file} in ${diffs.length} change(s); do not apply it: review the new plan`,
      ].join("\n"),
    };
  }
  if (positionals.length === 0 && flags.failed.length === 0)
    throw new UsageError(`no plan files given\n${USAGE}`);
  const plans = positionals.map((p) => readPlan(p, cwd));
  const seen = new Set<string>();
  for (const p of plans) {
    if (seen.has(p.stack)) {
      throw new UsageError(
        `${p.file}: a second plan for stack ${p.stack}; label one as <stack>=<file>`,
      );
    }
    seen.add(p.stack);
  }
  const summaries = plans
    .map(summarize)
    .sort((a, b) => stackRank(a.stack) - stackRank(b.stack) || a.stack.localeCompare(b.stack));
  return {
    output: render(summaries, format, flags),
    gate: gateLine(summaries, failOn),
  };
}

export function main(argv: string[]): number {
  try {
    const { output, gate } = planSummary(argv);
    process.stdout.write(output);
    if (gate) {
      console.error(gate);
      return EXIT_GATE;
    }
    return EXIT_OK;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

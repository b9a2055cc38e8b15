// `npm run plan-summary -- <plan.json>... [--format text|markdown|json] [--fail-on destroy|replace|any]`:
// summarizes `terraform show -json` plans, grouped by stack. A plan's stack is the folder name for
// `.../<stack>/plan.json` (where `npm run plan` writes it), else the file name (`<stack>.json`), or
// an explicit `<stack>=<file>`. Exit code: 0; 3 when --fail-on trips (one stderr line says on what);
// 2 on bad input.
import { EXIT_GATE, EXIT_OK, exitCodeOf, UsageError } from "./args";
import { parseReviewFlags } from "./plan-review/flags";
import { readPlan } from "./plan-review/read";
import { render } from "./plan-review/render";
import { gateLine, stackRank, summarize } from "./plan-review/summarize";

export const USAGE = `Usage: npm run plan-summary -- <plan.json | stack=plan.json>... [--format text|markdown|json] [--fail-on destroy|replace|any]
  Summarizes terraform show -json plans, grouped by stack, for a review.
  --format json       one JSON document for machines (docs/operations.md, "plan-summary --format json")
  --fail-on <gate>    exit 3 when a plan deletes (destroy), replaces or deletes (replace), or changes anything (any)`;

/**
 * What the command prints on stdout, and the gate's stderr line when it tripped. Relative plan paths
 * start at `cwd`.
 */
export function planSummary(
  argv: string[],
  cwd = process.cwd(),
): { output: string; gate?: string } {
  const { format, failOn, positionals } = parseReviewFlags(argv, USAGE);
  if (positionals.length === 0) throw new UsageError(`no plan files given\n${USAGE}`);
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
  return { output: render(summaries, format, failOn), gate: gateLine(summaries, failOn) };
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

// `npm run plan-summary -- <plan.json>... [--format markdown|text] [--fail-on destroy|replace|any]`:
// summarizes `terraform show -json` plans, grouped by stack. A plan's stack is the folder name for
// `.../<stack>/plan.json` (where `npm run plan` writes it), else the file name (`<stack>.json`), or
// an explicit `<stack>=<file>`. Exit code: 0, or 1 when --fail-on matches, 2 on bad input.
import { UsageError } from "./args";
import { parseReviewFlags } from "./plan-review/flags";
import { readPlan } from "./plan-review/read";
import { render } from "./plan-review/render";
import { fails, stackRank, summarize } from "./plan-review/summarize";

const USAGE = `Usage: npm run plan-summary -- <plan.json | stack=plan.json>... [--format text|markdown] [--fail-on destroy|replace|any]`;

export function planSummary(argv: string[]): { output: string; code: number } {
  const { format, failOn, positionals } = parseReviewFlags(argv, USAGE);
  if (positionals.length === 0) throw new UsageError(`no plan files given\n${USAGE}`);
  const plans = positionals.map(readPlan);
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
  return { output: render(summaries, format), code: fails(summaries, failOn) ? 1 : 0 };
}

function main(): number {
  try {
    const { output, code } = planSummary(process.argv.slice(2));
    process.stdout.write(output);
    return code;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main();

// `npm run drift [-- --stacks <id or glob>[,...]] [--role plan|apply] [--format text|markdown|json]`:
// plans every selected stack (all by default) with -detailed-exitcode, one after another with the
// shared provider cache (as `npm run plan` does), and reports the stacks whose plan has changes:
// what the accounts hold differs from what the configuration says (a console change, or a merge
// not applied yet). The report is the plan summary's, for those stacks only; markdown is bounded
// like the pull-request comment and starts with <!-- landing-zone-drift --> (the drift workflow
// keeps one issue up to date by it). Plans assume the read-only plan role unless --role apply.
// Exit code, following Terraform's -detailed-exitcode: 0 no drift, 2 drift; 4 when a stack's
// plan failed (the others are still planned and reported); 1 invalid configuration; 2 usage.
import { loadLandingZone } from "../config/load";
import { planStacks, selectStacks } from "../stacks";
import { defaultOutdir } from "../stacks/synth";
import { EXIT_CHANGES, EXIT_EXTERNAL, EXIT_OK, exitCodeOf, outputFolder, UsageError } from "./args";
import { protectedFolders } from "./output-paths";
import { planEach } from "./plan";
import { parseReviewFlags } from "./plan-review/flags";
import { render } from "./plan-review/render";

export const DRIFT_MARKER = "<!-- landing-zone-drift -->";

export const USAGE = `Usage: npm run drift [-- --stacks <id or glob>[,...]] [--role plan|apply] [--format text|markdown|json]
  Plans every selected stack (default: all) with -detailed-exitcode and reports those whose plan has
  changes, in the plan summary's words. Exit 0: no drift; 2: drift; 4: a stack's plan failed.
  --stacks <sel>   stack ids or * globs, comma-separated (e.g. team-payments-*,organization)
  --role <role>    plan (default): the read-only plan role in member accounts; apply: the platform role
  --format <f>     text (default), markdown (bounded, first line ${DRIFT_MARKER}) or json`;

export function main(argv: string[]): number {
  try {
    const flags = parseReviewFlags(argv, USAGE, { role: true, stacks: true });
    const lz = loadLandingZone();
    let selected;
    try {
      selected = selectStacks(planStacks(lz), flags.stacks, "--stacks");
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    const outdir = outputFolder("CDKTF_OUTDIR", defaultOutdir(), protectedFolders(), true)!;
    const result = planEach(lz, selected, outdir, {
      role: flags.role ?? "plan",
      detailedExitcode: true,
    });
    const changed = new Set(result.changed);
    const drifted = result.summaries.filter((s) => changed.has(s.stack));
    const failed = result.failed.map((f) => f.stack);
    const planned = selected.length - failed.length;
    if (drifted.length === 0 && failed.length === 0 && flags.format === "text") {
      process.stdout.write(`No drift: ${planned} stack(s) planned, none has changes.\n`);
    } else {
      process.stdout.write(
        render(drifted, flags.format, {
          failed,
          marker: DRIFT_MARKER,
          title: `Drift: ${drifted.length} of ${planned} planned stack(s) differ from the configuration`,
        }),
      );
    }
    if (failed.length > 0) {
      console.error(`The plan failed for ${failed.length} stack(s): ${failed.join(", ")}.`);
      return EXIT_EXTERNAL;
    }
    if (drifted.length > 0) {
      console.error(
        `Drift in ${drifted.length} stack(s): ${drifted.map((s) => s.stack).join(", ")}.`,
      );
      return EXIT_CHANGES;
    }
    return EXIT_OK;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

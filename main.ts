// `npm run synth` (and the cdktf CLI's app command): validate the whole configuration, then write
// Terraform JSON for the selected stacks (all, or LZ_STACKS) to cdktf.out/stacks/<id>/cdk.tf.json.
import { writeFileSync } from "node:fs";
import { exitCodeOf, outputFolder, parseFlags, UsageError } from "./cli/args";
import { protectedFolders } from "./cli/output-paths";
import { startProgress } from "./cli/progress";
import { loadLandingZone } from "./config/load";
import { planStacks, selectStacks, type StackPlan } from "./stacks";
import { defaultOutdir } from "./stacks/synth";
import { synthesizeParallel } from "./stacks/synth-parallel";

export const USAGE = `Usage: npm run synth
  Validates accounts/ (or $LZ_ACCOUNTS_DIR) and writes cdktf.out/stacks/<id>/cdk.tf.json (or under
  $CDKTF_OUTDIR) for every stack; LZ_STACKS=<id or glob>[,...] writes only those. Takes no flags.`;

/**
 * LZ_STACKS is how synth is called, so a selection that matches nothing, or names nothing (`,`), is a
 * usage error. An empty LZ_STACKS is the same as none: every stack.
 */
function selectedStacks(plans: StackPlan[], selector: string | undefined): StackPlan[] {
  try {
    return selectStacks(plans, selector);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    parseFlags({ args: argv, options: {} }, USAGE);
    const selector = process.env.LZ_STACKS === "" ? undefined : process.env.LZ_STACKS;
    const outdir = outputFolder("CDKTF_OUTDIR", defaultOutdir(), protectedFolders(), true)!;
    const lz = loadLandingZone();
    const plans = selectedStacks(planStacks(lz), selector);
    // A full synth removes the folders of stacks that no longer exist; a selection touches no others.
    const prune = selector === undefined;
    // Workers report each stack as it is written: a bar on a terminal, a heartbeat line elsewhere.
    const progress = startProgress("synth", plans.length);
    const stats = await synthesizeParallel(lz, plans, outdir, {
      prune,
      onStack: (id) => progress.tick(1, id),
    }).finally(() => progress.done());
    console.log(`Synthesized ${plans.length} stack(s) to ${outdir}/stacks`);
    // The benchmark reads these figures (scripts/bench.mjs).
    if (process.env.LZ_SYNTH_STATS) {
      const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
      writeFileSync(process.env.LZ_SYNTH_STATS, JSON.stringify({ ...stats, peakRssMB }));
    }
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

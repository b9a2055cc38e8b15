// `npm run synth` (and the cdktf CLI's app command): validate the whole configuration, then write
// Terraform JSON for the selected stacks (all, or LZ_STACKS) to cdktf.out/stacks/<id>/cdk.tf.json.
import { writeFileSync } from "node:fs";
import { exitCodeOf, parseFlags, UsageError } from "./cli/args";
import { loadLandingZone } from "./config/load";
import { planStacks, selectStacks, type StackPlan } from "./stacks";
import { defaultOutdir } from "./stacks/synth";
import { synthesizeParallel } from "./stacks/synth-parallel";

export const USAGE = `Usage: npm run synth
  Validates accounts/ (or $LZ_ACCOUNTS_DIR) and writes cdktf.out/stacks/<id>/cdk.tf.json (or under
  $CDKTF_OUTDIR) for every stack; LZ_STACKS=<id or glob>[,...] writes only those. Takes no flags.`;

/** LZ_STACKS is how synth is called, so a selection that matches nothing is a usage error. */
function selectedStacks(plans: StackPlan[]): StackPlan[] {
  try {
    return selectStacks(plans, process.env.LZ_STACKS);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}

export async function main(argv: string[]): Promise<number> {
  try {
    parseFlags({ args: argv, options: {} }, USAGE);
    const lz = loadLandingZone();
    const plans = selectedStacks(planStacks(lz));
    const outdir = defaultOutdir();
    // A full synth removes the folders of stacks that no longer exist; a selection touches no others.
    const prune = !process.env.LZ_STACKS?.trim();
    const stats = await synthesizeParallel(lz, plans, outdir, { prune });
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

// `npm run synth` (and the cdktf CLI's app command): validate the whole configuration, then write
// Terraform JSON for the selected stacks (all, or LZ_STACKS) to cdktf.out/stacks/<id>/cdk.tf.json.
import { writeFileSync } from "node:fs";
import { ConfigError } from "./config/errors";
import { loadLandingZone } from "./config/load";
import { outputFolder, UsageError } from "./cli/args";
import { protectedFolders } from "./cli/output-paths";
import { planStacks, selectStacks, type StackPlan } from "./stacks";
import { defaultOutdir } from "./stacks/synth";
import { synthesizeParallel } from "./stacks/synth-parallel";

async function main(): Promise<number> {
  try {
    // An empty LZ_STACKS is the same as none (every stack); a selection of nothing is refused.
    const selector = process.env.LZ_STACKS === "" ? undefined : process.env.LZ_STACKS;
    const outdir = outputFolder("CDKTF_OUTDIR", defaultOutdir(), protectedFolders(), true)!;
    const lz = loadLandingZone();
    let plans: StackPlan[];
    try {
      plans = selectStacks(planStacks(lz), selector);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
    // A full synth removes the folders of stacks that no longer exist; a selection touches no others.
    const prune = selector === undefined;
    const stats = await synthesizeParallel(lz, plans, outdir, { prune });
    console.log(`Synthesized ${plans.length} stack(s) to ${outdir}/stacks`);
    // The benchmark reads these figures (scripts/bench.mjs).
    if (process.env.LZ_SYNTH_STATS) {
      const peakRssMB = Math.round(process.resourceUsage().maxRSS / 1024);
      writeFileSync(process.env.LZ_SYNTH_STATS, JSON.stringify({ ...stats, peakRssMB }));
    }
    return 0;
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(e.message);
      return 2;
    }
    if (e instanceof ConfigError) {
      console.error(
        `Configuration is invalid (${e.problems.length} problem(s)); nothing was written:`,
      );
      console.error(e.message);
      return 1;
    }
    console.error(e instanceof Error ? e.message : String(e));
    return 1;
  }
}

void main().then((code) => {
  process.exitCode = code;
});

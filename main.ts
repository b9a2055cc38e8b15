// `npm run synth` (and the cdktf CLI's app command): validate the whole configuration, then write
// Terraform JSON for the selected stacks (all, or LZ_STACKS) to cdktf.out/stacks/<id>/cdk.tf.json.
import { writeFileSync } from "node:fs";
import { ConfigError } from "./config/errors";
import { loadLandingZone } from "./config/load";
import { planStacks, selectStacks } from "./stacks";
import { defaultOutdir } from "./stacks/synth";
import { synthesizeParallel } from "./stacks/synth-parallel";
import { startProgress } from "./cli/progress";

async function main(): Promise<number> {
  try {
    const lz = loadLandingZone();
    const plans = selectStacks(planStacks(lz), process.env.LZ_STACKS);
    const outdir = defaultOutdir();
    // A full synth removes the folders of stacks that no longer exist; a selection touches no others.
    const prune = !process.env.LZ_STACKS?.trim();
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

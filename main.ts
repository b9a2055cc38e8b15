// `npm run synth` (and the cdktf CLI's app command): validate the whole configuration, then write
// Terraform JSON for the selected stacks (all, or LZ_STACKS) to cdktf.out/stacks/<id>/cdk.tf.json.
import { ConfigError } from "./config/errors";
import { loadLandingZone } from "./config/load";
import { planStacks, selectStacks } from "./stacks";
import { defaultOutdir, synthesize } from "./stacks/synth";

function main(): number {
  try {
    const lz = loadLandingZone();
    const plans = selectStacks(planStacks(lz), process.env.LZ_STACKS);
    const outdir = defaultOutdir();
    synthesize(plans, outdir);
    console.log(`Synthesized ${plans.length} stack(s) to ${outdir}/stacks`);
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

process.exitCode = main();

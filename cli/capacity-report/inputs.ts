// What the estimate reads besides the configuration: the alarms the team stacks really define,
// counted from their synthesized Terraform JSON, so the cost follows the alarms module instead of a
// copy of its list. (The estimate and the price tables live in config/cost/: the budgets use them too.)
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { LandingZone } from "../../config/model";
import { planStacks } from "../../stacks";
import { synthesize } from "../../stacks/synth";
import type { AlarmMetrics } from "../../config/cost/estimate";
import { alarmMetricsOf } from "../../config/cost/alarm-metrics";

export { loadPriceTables, PRICES_DIR } from "../../config/cost/prices";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Synthesizes the team stacks into a scratch folder and counts their alarm metrics, by stack id. */
export function countTeamAlarms(lz: LandingZone): Map<string, AlarmMetrics> {
  const plans = planStacks(lz).filter((p) => p.id.startsWith("team-"));
  const scratch = mkdtempSync(join(tmpdir(), "lz-capacity-"));
  try {
    const outdir = join(scratch, "cdktf.out");
    synthesize(plans, outdir);
    const out = new Map<string, AlarmMetrics>();
    for (const { id } of plans) {
      const stack = JSON.parse(
        readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8"),
      ) as Json;
      out.set(id, alarmMetricsOf(Object.values(stack.resource?.aws_cloudwatch_metric_alarm ?? {})));
    }
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

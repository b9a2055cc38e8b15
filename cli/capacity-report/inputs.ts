// What the estimate reads besides the configuration: the alarms the team stacks define, counted from
// the specs the stacks build them from (stacks/observability-wiring.ts), so the cost follows the
// alarms module without synthesizing anything. (The estimate and the price tables live in
// config/cost/: the budgets use them too.)
import { allTeamEnvironments, type LandingZone } from "../../config/model";
import type { AlarmMetrics } from "../../config/cost/estimate";
import { teamAlarmMetrics } from "../../stacks/observability-wiring";

export { loadPriceTables, PRICES_DIR } from "../../config/cost/prices";

/** The alarm metrics of every active team stack, by stack id. */
export function countTeamAlarms(lz: LandingZone): Map<string, AlarmMetrics> {
  return new Map(
    allTeamEnvironments(lz)
      .filter((e) => e.account.status === "active")
      .map((e) => [e.account.stackId, teamAlarmMetrics(e)]),
  );
}

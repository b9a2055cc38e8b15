// A team account's monthly budget limit: the capacity report's cost estimate of the environment
// times (1 + headroom), rounded up to a whole currency unit; or the limit the environment declares.
import { blueprintOf } from "../../blueprints";
import { ceilClean } from "../capacity";
import type { TeamEnvironment } from "../model";
import { alarmsCost, cents, type AlarmMetrics, type PriceTable } from "./estimate";

/** The share of sync requests the estimate counts as writes; `npm run capacity`'s default too. */
export const DEFAULT_WRITE_PERCENT = 20;

export interface BudgetLimit {
  /** Whole currency units. */
  amount: number;
  currency: string;
  /** The estimate the amount comes from; undefined when the environment declares its limit. */
  estimate?: number;
}

/**
 * The limit, or undefined when neither a price table nor a declared limit exists (validation
 * reports that before any stack is built). The estimate is the sum of the account's blueprints'
 * estimates and its alarms; a blueprint that declares its limit (the baseline's `monthlyLimit`) adds
 * it as declared, without headroom.
 */
export function budgetLimit(
  e: TeamEnvironment,
  options: { alarms: AlarmMetrics },
  prices: PriceTable | undefined,
): BudgetLimit | undefined {
  const currency = prices?.currency ?? "USD";
  if (e.budget.monthlyLimit !== undefined) {
    return { amount: ceilClean(e.budget.monthlyLimit), currency };
  }
  const declared = e.blueprints.reduce(
    (sum, u) =>
      sum + (blueprintOf(u).declaredMonthlyLimit?.({ env: e, settings: u.settings }) ?? 0),
    0,
  );
  const estimated = e.blueprints.filter((u) => blueprintOf(u).cost);
  if (estimated.length === 0)
    return declared > 0 ? { amount: ceilClean(declared), currency } : undefined;
  if (!prices) return undefined;
  const total = cents(
    estimated.reduce(
      (sum, u) => sum + blueprintOf(u).cost!({ env: e, settings: u.settings }, prices).total,
      alarmsCost(options.alarms, prices),
    ),
  );
  // A budget of 0 would alert on the first cent; AWS needs a positive amount anyway.
  return {
    amount: Math.max(1, ceilClean(total * (1 + e.budget.headroom))) + ceilClean(declared),
    currency,
    estimate: total,
  };
}

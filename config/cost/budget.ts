// A team account's monthly budget limit: the capacity report's cost estimate of the environment
// times (1 + headroom), rounded up to a whole currency unit; or the limit the environment declares.
import { ceilClean } from "../capacity";
import type { TeamEnvironment } from "../model";
import { estimate, type AlarmMetrics, type PriceTable } from "./estimate";

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
 * reports that before any stack is built).
 */
export function budgetLimit(
  e: TeamEnvironment,
  options: { architecture: string; alarms: AlarmMetrics },
  prices: PriceTable | undefined,
): BudgetLimit | undefined {
  const currency = prices?.currency ?? "USD";
  if (e.budget.monthlyLimit !== undefined) {
    return { amount: ceilClean(e.budget.monthlyLimit), currency };
  }
  if (!prices) return undefined;
  const total = estimate(e, { ...options, writePercent: DEFAULT_WRITE_PERCENT }, prices).cost!
    .total;
  // A budget of 0 would alert on the first cent; AWS needs a positive amount anyway.
  return {
    amount: Math.max(1, ceilClean(total * (1 + e.budget.headroom))),
    currency,
    estimate: total,
  };
}

// `baseline`: an account with the landing zone's guardrails, security services, observability link,
// quota alarms, budget and access, and no workload (a data team's account, a sandbox). Everything it
// has, every team account has; listing it alone says "no workload", and its `monthlyLimit` is the
// budget, since there is nothing to estimate one from.
import { z } from "zod";
import { monthlyLimitAmount } from "../../config/schema/security";
import { defineBlueprint, NO_CAPACITY } from "../blueprint";

const settings = z
  .strictObject({
    monthlyLimit: monthlyLimitAmount
      .optional()
      .describe(
        "Monthly budget of the account in the price table's currency (USD); required when baseline is the environment's only blueprint",
      ),
  })
  .describe("Settings of the baseline blueprint (no workload)");

export const baseline = defineBlueprint<z.output<typeof settings>>({
  name: "baseline",
  description:
    "No workload: guardrails, security services, observability link, quota alarms, budget and access only",
  settings,
  validate({ env, settings }, report) {
    const alone = env.blueprints.length === 1;
    if (alone && settings.monthlyLimit === undefined && env.budget.monthlyLimit === undefined)
      report(
        "baseline.monthlyLimit",
        "required: an account without a workload has no estimate to budget from; declare its monthly limit",
      );
  },
  capacity: () => NO_CAPACITY,
  alarms: () => undefined,
  declaredMonthlyLimit: ({ settings }) => settings.monthlyLimit,
  construct: () => ({}),
  resourceNames: () => [],
});

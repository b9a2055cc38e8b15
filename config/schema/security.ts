// Settings of the security baseline and the team budgets. The budget headroom's default is declared
// once, on the organization; a team and an environment override it field by field (config/layers.ts).
import { z } from "zod";

const headroom = z
  .number()
  .min(0)
  .max(10)
  .describe(
    "Share added on top of the monthly cost estimate for the budget's limit (0.2 = estimate × 1.2)",
  );

export const budgetDefaults = z
  .strictObject({
    headroom: headroom.default(0.2),
  })
  .describe(
    "Monthly AWS Budget of every active team account: the environment's cost estimate (npm run capacity) × (1 + headroom), rounded up to a whole currency unit",
  );

/** A team file's budget settings, every field optional (the organization's apply below them). */
export const teamBudget = z
  .strictObject({ headroom: headroom.optional() })
  .optional()
  .describe("The team's budget headroom; unset keeps the organization's");

/** A monthly budget amount, in the price table's currency (USD); AWS Budgets takes up to 1e9. */
export const monthlyLimitAmount = z.number().positive().max(1_000_000_000);

export const environmentBudget = z
  .strictObject({
    headroom: headroom.optional(),
    monthlyLimit: monthlyLimitAmount
      .optional()
      .describe(
        "Monthly limit in the price table's currency (USD), replacing estimate × headroom; required where no price table covers the region",
      ),
  })
  .optional()
  .describe("This environment's budget; each field unset keeps the team's value");

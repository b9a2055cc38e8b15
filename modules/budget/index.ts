// A team account's monthly cost budget. AWS Budgets publishes only to an SNS topic in the budget's
// own account ("Creating an Amazon SNS topic for budget notifications": cross-account topics are not
// supported), so the central critical topic cannot be a subscriber; its email subscribers are named
// here directly, next to the team's owners.
import { Construct } from "constructs";
import { BudgetsBudget } from "@cdktf/provider-aws/lib/budgets-budget";
import { LZ_PREFIX } from "../../config/policies";

/** When a notification fires: forecast over the limit, and actual spend at 80 % and 100 %. */
export const BUDGET_THRESHOLDS = [
  { notificationType: "FORECASTED", threshold: 100 },
  { notificationType: "ACTUAL", threshold: 80 },
  { notificationType: "ACTUAL", threshold: 100 },
] as const;

export interface TeamBudgetProps {
  /** The team stack's id; the budget is named after it. */
  stackId: string;
  /** Whole currency units. */
  amount: number;
  currency: string;
  /** Who hears every notification, de-duplicated and sorted here (validation keeps them to 10). */
  emails: string[];
}

export class TeamBudget extends Construct {
  readonly budget: BudgetsBudget;

  constructor(scope: Construct, id: string, props: TeamBudgetProps) {
    super(scope, id);
    const emails = [...new Set(props.emails.map((e) => e.toLowerCase()))].sort();
    this.budget = new BudgetsBudget(this, "monthly", {
      name: `${LZ_PREFIX}${props.stackId}-monthly`,
      budgetType: "COST",
      timeUnit: "MONTHLY",
      limitAmount: String(props.amount),
      limitUnit: props.currency,
      notification: BUDGET_THRESHOLDS.map((t) => ({
        notificationType: t.notificationType,
        comparisonOperator: "GREATER_THAN",
        threshold: t.threshold,
        thresholdType: "PERCENTAGE",
        subscriberEmailAddresses: emails,
      })),
    });
  }
}

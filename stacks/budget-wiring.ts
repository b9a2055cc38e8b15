// A team stack's budget: the limit from the environment's cost estimate, with the alarm metrics
// counted from the alarms this very stack defines (the capacity report counts the same alarms from
// the synthesized JSON, so both agree), alerting the owners and the central critical topic's emails.
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { alarmMetricsOf } from "../config/cost/alarm-metrics";
import { budgetLimit } from "../config/cost/budget";
import { priceTables } from "../config/cost/prices";
import type { LandingZone, TeamEnvironment } from "../config/model";
import { TeamBudget } from "../modules/budget";
import { LAMBDA_ARCHITECTURE } from "../modules/service-blueprint/functions";
import type { AccountStack } from "./account-stack";

/** Everyone a team's budget notifies: its owners and the central critical topic's email subscribers. */
export function budgetEmails(lz: LandingZone, env: TeamEnvironment): string[] {
  return [
    ...env.team.owners.map((o) => o.email),
    ...lz.org.observability.alarmTopics.critical
      .filter((s) => s.protocol === "email")
      .map((s) => s.endpoint),
  ];
}

export function addTeamBudget(stack: AccountStack, lz: LandingZone, env: TeamEnvironment): void {
  const alarms = stack.node
    .findAll()
    .filter((c): c is CloudwatchMetricAlarm => isAlarm(c))
    .map((a) => Object.values(a.toTerraform().resource.aws_cloudwatch_metric_alarm)[0] as object);
  const limit = budgetLimit(
    env,
    { architecture: LAMBDA_ARCHITECTURE, alarms: alarmMetricsOf(alarms) },
    priceTables().get(env.region),
  );
  // Validation (config/validators/budget.ts) requires a price table or a declared limit.
  if (!limit)
    throw new Error(`${env.account.stackId}: no budget limit (no price table, no monthlyLimit)`);
  new TeamBudget(stack, "budget", {
    stackId: env.account.stackId,
    amount: limit.amount,
    currency: limit.currency,
    emails: budgetEmails(lz, env),
  });
}

function isAlarm(c: unknown): boolean {
  return (
    typeof c === "object" &&
    c !== null &&
    (c as { terraformResourceType?: string }).terraformResourceType ===
      "aws_cloudwatch_metric_alarm"
  );
}

// A team stack's budget: the limit from the environment's cost estimate, with the alarm metrics
// counted from the specs this very stack builds its alarms from (the capacity report counts the same
// specs, so both agree), alerting the owners and the central critical topic's emails.
import { budgetLimit } from "../config/cost/budget";
import { priceTables } from "../config/cost/prices";
import type { LandingZone, TeamEnvironment } from "../config/model";
import { TeamBudget } from "../modules/budget";
import type { AccountStack } from "./account-stack";
import { teamAlarmMetrics } from "./observability-wiring";

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
  const limit = budgetLimit(env, { alarms: teamAlarmMetrics(env) }, priceTables().get(env.region));
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

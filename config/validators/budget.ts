// The team budgets (modules/budget): each active environment's limit must be computable, and its
// notifications must reach valid addresses AWS Budgets accepts.
import { priceTables, PRICES_DIR_NAME } from "../cost/prices";
import { EMAIL_PATTERN } from "../schema/common";
import { envPath, type Check, type EnvironmentCheck } from "./context";

/** AWS Budgets allows at most 10 email subscribers per notification. */
export const MAX_BUDGET_EMAILS = 10;

/** Without a price table there is no estimate to put headroom on; the limit must be declared. */
export const checkBudgetPriced: EnvironmentCheck = (e, { lz, report }) => {
  if (e.account.status !== "active" || e.budget.monthlyLimit !== undefined) return;
  // A region outside allowedRegions is reported on its own; the budget follows once it is fixed.
  if (priceTables().has(e.region) || !lz.org.allowedRegions.includes(e.region)) return;
  report(
    e.team.file,
    `${envPath(e)}.budget.monthlyLimit`,
    `required: no price table covers ${e.region} to estimate the budget from; declare the monthly limit or add ${PRICES_DIR_NAME}/${e.region}.json`,
  );
};

/** Email subscriptions of the critical topic also receive every team's budget alerts. */
export const checkCriticalEmails: Check = ({ lz, report }) => {
  lz.org.observability.alarmTopics.critical.forEach((s, i) => {
    if (s.protocol === "email" && !EMAIL_PATTERN.test(s.endpoint)) {
      report(
        lz.organizationFile,
        `observability.alarmTopics.critical.${i}.endpoint`,
        "must be an email address like name@example.com for protocol email",
        s.endpoint,
      );
    }
  });
};

/** The team's owners and the critical topic's emails, once each, fit one budget notification. */
export const checkBudgetSubscribers: Check = ({ lz, report }) => {
  const central = lz.org.observability.alarmTopics.critical
    .filter((s) => s.protocol === "email")
    .map((s) => s.endpoint.toLowerCase());
  for (const team of lz.teams) {
    if (!team.environments.some((e) => e.account.status === "active")) continue;
    const emails = new Set([...team.owners.map((o) => o.email.toLowerCase()), ...central]);
    if (emails.size <= MAX_BUDGET_EMAILS) continue;
    report(
      team.file,
      "owners",
      `with the ${central.length} email subscriber(s) of the critical topic, the budget alerts would go to ${emails.size} addresses; AWS Budgets allows ${MAX_BUDGET_EMAILS} per notification`,
      team.owners.length,
    );
  }
};

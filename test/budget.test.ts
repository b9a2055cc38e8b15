// The monthly budget of every active team account: its limit follows the cost estimate `npm run
// capacity` prints, with the configured headroom, and its alerts reach the owners and the critical
// topic's email subscribers.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { renderCapacity } from "../cli/capacity";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  type Synthesized,
  type TfJson,
  EXAMPLE_ACCOUNTS,
} from "./helpers";

let out: Synthesized;
beforeAll(() => {
  out = synthAccounts(EXAMPLE_ACCOUNTS, "team-*");
});

const budgetOf = (s: Synthesized, id: string): TfJson => s.resource(id, "aws_budgets_budget");

test("the example's limits: the capacity report's monthly estimate × 1.2, rounded up to a whole dollar", () => {
  const report = JSON.parse(renderCapacity(out.lz, "json", 20)) as {
    environments: { stack: string; cost: { total: number } }[];
  };
  const limits = Object.fromEntries(
    out.stackIds.map((id) => [id, Number(budgetOf(out, id).limit_amount)]),
  );
  expect(limits).toEqual({
    "team-catalog-dev": 291,
    "team-catalog-prod": 59073,
    "team-catalog-staging": 1440,
    "team-notifications-dev": 208,
    "team-notifications-prod": 7792,
    "team-payments-dev": 947,
    "team-payments-prod": 7891,
    // Scheduled jobs: their Lambda runs and alarms, × 1.2; the baseline-only sandbox: as declared.
    "team-reporting-dev": 2,
    "team-reporting-staging": 40,
  });
  // The same figures the report prints (alarms counted the same way), so the two cannot drift.
  for (const row of report.environments) {
    expect(limits[row.stack]).toBe(Math.ceil(Math.round(row.cost.total * 1.2 * 1e6) / 1e6));
  }
});

test("a monthly cost budget that alerts on forecast over 100 % and actual spend over 80 % and 100 %", () => {
  const b = budgetOf(out, "team-payments-prod");
  expect(b).toMatchObject({
    name: "lz-team-payments-prod-monthly",
    budget_type: "COST",
    time_unit: "MONTHLY",
    limit_unit: "USD",
  });
  expect(
    b.notification.map((n: TfJson) => [
      n.notification_type,
      n.comparison_operator,
      n.threshold,
      n.threshold_type,
    ]),
  ).toEqual([
    ["FORECASTED", "GREATER_THAN", 100, "PERCENTAGE"],
    ["ACTUAL", "GREATER_THAN", 80, "PERCENTAGE"],
    ["ACTUAL", "GREATER_THAN", 100, "PERCENTAGE"],
  ]);
  // Budgets cannot publish to another account's topic: the critical topic's email subscribers are
  // named directly; its HTTPS subscription cannot be reached.
  for (const n of b.notification) {
    expect(n.subscriber_email_addresses).toEqual([
      "dana.whitfield@acme.example",
      "oncall@acme.example",
    ]);
    expect(n.subscriber_sns_topic_arns).toBeUndefined();
  }
  expect(budgetOf(out, "team-catalog-dev").notification[0].subscriber_email_addresses).toEqual([
    "oncall@acme.example",
    "priya.raman@acme.example",
    "tomas.ortega@acme.example",
  ]);
});

test("headroom from the organization, the team and the environment, nearest wins; a declared limit replaces the estimate", () => {
  const dir = copyExampleAccounts();
  try {
    const edit = (file: string, from: string, to: string) => {
      const path = join(dir, file);
      const text = readFileSync(path, "utf8");
      if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
      writeFileSync(path, text.replace(from, to));
    };
    edit(
      "organization.yaml",
      "observability:\n  alarmTopics:\n",
      "budgets:\n  headroom: 0.5\nobservability:\n  alarmTopics:\n",
    );
    edit(
      "teams/payments.yaml",
      "costCenter: CC-2040\n",
      "costCenter: CC-2040\nbudget:\n  headroom: 0\n",
    );
    edit("teams/payments.yaml", "  prod:\n", "  prod:\n    budget:\n      monthlyLimit: 12345.2\n");
    edit("teams/catalog.yaml", "  dev:\n", "  dev:\n    budget:\n      headroom: 1\n");
    const s = synthAccounts(dir, "team-payments-*,team-catalog-dev,team-notifications-dev");
    const limit = (id: string) => Number(budgetOf(s, id).limit_amount);
    // Estimates: payments-dev $788.82, catalog-dev $241.79, notifications-dev $172.98.
    expect(limit("team-payments-dev")).toBe(789); // team headroom 0
    expect(limit("team-payments-prod")).toBe(12346); // declared, rounded up
    expect(limit("team-catalog-dev")).toBe(484); // environment headroom 1
    expect(limit("team-notifications-dev")).toBe(260); // organization headroom 0.5
  } finally {
    removeDir(dir);
  }
});

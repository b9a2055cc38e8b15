// The cost estimate (team budgets, `npm run capacity`) counts a team stack's alarms from the specs the
// stack builds them from, without synthesizing: the count must be what synth really creates.
import { alarmMetricsOf } from "../config/cost/alarm-metrics";
import { allTeamEnvironments } from "../config/model";
import { teamAlarmMetrics } from "../stacks/observability-wiring";
import { synthAccounts } from "./helpers";

test("every team stack's alarm metrics, counted from the model, match its synthesized alarms", () => {
  const out = synthAccounts();
  const envs = allTeamEnvironments(out.lz).filter((e) => e.account.status === "active");
  expect(envs.length).toBeGreaterThan(3);
  for (const env of envs) {
    const synthesized = Object.values(
      out.resources(env.account.stackId, "aws_cloudwatch_metric_alarm"),
    );
    // Every account has its quota alarms; the serverless API alone adds more than ten.
    expect(synthesized.length).toBeGreaterThanOrEqual(4);
    expect({ stack: env.account.stackId, ...teamAlarmMetrics(env) }).toEqual({
      stack: env.account.stackId,
      ...alarmMetricsOf(synthesized),
    });
  }
});

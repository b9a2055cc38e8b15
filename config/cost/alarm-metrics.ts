// What CloudWatch bills alarms by: metrics, standard or high-resolution. Counted from alarms as
// Terraform JSON (aws_cloudwatch_metric_alarm blocks), or the billed fields of alarm specs in that
// shape (modules/alarms/spec.ts), so the budget, the capacity report and a synthesized stack all
// count the same way.
import type { AlarmMetrics } from "./estimate";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Metrics the alarms are billed for: one each, or each metric of a metric-math query. */
export function alarmMetricsOf(alarms: Json[]): AlarmMetrics {
  const out: AlarmMetrics = { standard: 0, highResolution: 0 };
  for (const alarm of alarms) {
    const queries: Json[] = alarm.metric_query ?? [];
    // A query-only alarm (Metrics Insights) is billed at least as one metric.
    const queried = queries.filter((q) => q.metric);
    const metrics = queried.length > 0 ? queried : [alarm];
    for (const m of metrics) {
      const period = m.metric ? (m.metric[0]?.period ?? m.metric.period) : m.period;
      if (typeof period === "number" && period < 60) out.highResolution++;
      else out.standard++;
    }
  }
  return out;
}

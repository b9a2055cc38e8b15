// The one way the landing zone makes a CloudWatch alarm: a spec (what to watch, when to alarm, how
// loud) becomes a CloudwatchMetricAlarm here, with the settings every alarm shares and the routing of
// its severity. The recommended alarms and the quota alarms are both lists of specs; adding an alarm
// is adding one entry to a list, never building a resource by hand.
import type { Construct } from "constructs";
import {
  CloudwatchMetricAlarm,
  type CloudwatchMetricAlarmMetricQuery,
} from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { AlarmSeverity } from "../../config/names";
import { actionsFor, type AlarmRouting } from "./routing";

/** What every alarm shares unless its spec says otherwise. */
export const ALARM_DEFAULTS = {
  /** One-minute datapoints: the finest standard resolution, and what AWS's recommendations use. */
  periodSeconds: 60,
  /** No traffic is not an outage. */
  treatMissingData: "notBreaching",
  /** Percentiles over a handful of requests are noise. */
  evaluateLowSampleCountPercentiles: "ignore",
} as const;

/** One metric as CloudWatch publishes it. */
export interface MetricSpec {
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic?: "Average" | "Sum" | "Maximum";
  /** A percentile such as `p90`, instead of a statistic. */
  extendedStatistic?: string;
}

interface AlarmSpecBase {
  /** Construct id, and the alarm name after the caller's prefix. */
  id: string;
  description: string;
  severity: AlarmSeverity;
  comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
  threshold: number;
  /** N of N: evaluation periods and datapoints to alarm are equal, per AWS's recommendations. */
  datapoints: number;
}

/**
 * One alarm, before routing: either one metric, or metric math / Metrics Insights queries (for a
 * value CloudWatch does not publish as one metric, such as usage against a quota).
 */
export type AlarmSpec = AlarmSpecBase &
  (
    | { metric: MetricSpec; queries?: never }
    | { queries: CloudwatchMetricAlarmMetricQuery[]; metric?: never }
  );

export interface AlarmOptions {
  /** Alarm names start with this (it ends in `-`; the protect SCP keys on its `lz-`). */
  prefix: string;
  routing: AlarmRouting;
}

/** The alarm of one spec, on `scope` under the spec's id. */
export function metricAlarm(
  scope: Construct,
  spec: AlarmSpec,
  options: AlarmOptions,
): CloudwatchMetricAlarm {
  const single = spec.metric
    ? {
        namespace: spec.metric.namespace,
        metricName: spec.metric.metricName,
        dimensions: spec.metric.dimensions,
        statistic: spec.metric.statistic,
        extendedStatistic: spec.metric.extendedStatistic,
        period: ALARM_DEFAULTS.periodSeconds,
        evaluateLowSampleCountPercentiles: spec.metric.extendedStatistic
          ? ALARM_DEFAULTS.evaluateLowSampleCountPercentiles
          : undefined,
      }
    : { metricQuery: spec.queries };
  return new CloudwatchMetricAlarm(scope, spec.id, {
    alarmName: `${options.prefix}${spec.id}`,
    alarmDescription: spec.description,
    comparisonOperator: spec.comparisonOperator,
    threshold: spec.threshold,
    evaluationPeriods: spec.datapoints,
    datapointsToAlarm: spec.datapoints,
    treatMissingData: ALARM_DEFAULTS.treatMissingData,
    ...single,
    ...actionsFor(options.routing, spec.severity),
  });
}

/**
 * What CloudWatch bills an alarm by, from its spec alone: the fields of the Terraform JSON that
 * metricAlarm writes (`period`, or each query's `metric.period`), in that JSON's shape, so the cost
 * estimate counts specs with the same rule it would apply to a synthesized stack
 * (config/cost/alarm-metrics.ts) without building anything.
 */
export function billedFields(spec: AlarmSpec): Record<string, unknown> {
  return spec.metric
    ? { period: ALARM_DEFAULTS.periodSeconds }
    : {
        metric_query: spec.queries.map((q) =>
          q.metric ? { metric: { period: q.metric.period } } : {},
        ),
      };
}

/** The alarms of every spec, in order. */
export function metricAlarms(
  scope: Construct,
  specs: AlarmSpec[],
  options: AlarmOptions,
): CloudwatchMetricAlarm[] {
  return specs.map((spec) => metricAlarm(scope, spec, options));
}

/**
 * A dead-letter queue that holds anything is worth a look: whatever sits there is work the platform
 * gave up on. One spec for every blueprint with a queue, so their DLQ alarms read alike.
 */
export function deadLetterQueueAlarm(id: string, queueName: string, what: string): AlarmSpec {
  return {
    id,
    description: `${queueName} holds ${what}`,
    severity: "warning",
    metric: {
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: queueName },
      statistic: "Maximum",
    },
    comparisonOperator: "GreaterThanThreshold",
    threshold: 0,
    datapoints: 1,
  };
}

// The recommended CloudWatch alarms for one team blueprint (AWS's list in PRODUCT.md): API Gateway,
// both Lambda functions, the queue and its DLQ, and the table. Resources are addressed by the names
// in config/names.ts, so this construct needs nothing from the blueprint construct.
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { BlueprintNames, AlarmSeverity } from "../../config/names";
import type { ResolvedAlarms } from "../../config/model";
import type { DerivedNumbers } from "../../config/capacity";
import { ceilClean } from "../../config/capacity";
import { actionsFor, type AlarmRouting } from "./routing";

export { actionsFor, type AlarmRouting } from "./routing";

export interface BlueprintAlarmsProps {
  names: BlueprintNames;
  thresholds: ResolvedAlarms;
  derived: Pick<DerivedNumbers, "apiReservedConcurrency" | "workerReservedConcurrency">;
  timeoutSeconds: { api: number; worker: number };
  routing: AlarmRouting;
}

/** One alarm, before routing: everything CloudWatch evaluates. */
export interface AlarmSpec {
  /** Suffix after the blueprint's alarm prefix; also the construct id. */
  id: string;
  description: string;
  severity: AlarmSeverity;
  namespace: string;
  metricName: string;
  dimensions: Record<string, string>;
  statistic?: "Average" | "Sum" | "Maximum";
  extendedStatistic?: string;
  comparisonOperator: "GreaterThanThreshold" | "GreaterThanOrEqualToThreshold";
  threshold: number;
  /** N of N: evaluation periods and datapoints to alarm are equal, per AWS's recommendations. */
  datapoints: number;
  period: number;
}

/** The lowest concurrency alarm threshold: a single execution in use is normal traffic. */
const MIN_CONCURRENCY_ALARM = 2;
const PERIOD = 60;

export function blueprintAlarmSpecs(p: Omit<BlueprintAlarmsProps, "routing">): AlarmSpec[] {
  const n = p.names;
  const t = p.thresholds;
  const api = { ApiName: n.restApi, Stage: n.stage };
  const specs: AlarmSpec[] = [
    {
      id: "api-5xx",
      description: `Share of ${n.restApi} requests answered 5XX is above ${t.api5xxRate}`,
      severity: "critical",
      namespace: "AWS/ApiGateway",
      metricName: "5XXError",
      dimensions: api,
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.api5xxRate,
      datapoints: 3,
      period: PERIOD,
    },
    {
      id: "api-4xx",
      description: `Share of ${n.restApi} requests answered 4XX (including 429 throttles) is above ${t.api4xxRate}`,
      severity: "warning",
      namespace: "AWS/ApiGateway",
      metricName: "4XXError",
      dimensions: api,
      statistic: "Average",
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.api4xxRate,
      datapoints: 5,
      period: PERIOD,
    },
    {
      id: "api-latency-p90",
      description: `p90 latency of ${n.restApi} is at least ${t.apiLatencyP90Ms} ms`,
      severity: "warning",
      namespace: "AWS/ApiGateway",
      metricName: "Latency",
      dimensions: api,
      extendedStatistic: "p90",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.apiLatencyP90Ms,
      datapoints: 5,
      period: PERIOD,
    },
  ];
  const functions = [
    {
      role: "api",
      name: n.apiFunction,
      timeout: p.timeoutSeconds.api,
      reserved: p.derived.apiReservedConcurrency,
    },
    {
      role: "worker",
      name: n.workerFunction,
      timeout: p.timeoutSeconds.worker,
      reserved: p.derived.workerReservedConcurrency,
    },
  ] as const;
  for (const fn of functions) {
    const dimensions = { FunctionName: fn.name };
    const durationMs = ceilClean((fn.timeout * 1000 * t.durationP90PercentOfTimeout) / 100);
    // At small sizes a percentage rounds to 1, and 1 execution in use is every single request:
    // the alarm needs at least two at once, and never more than the function may have.
    const concurrency = Math.min(
      fn.reserved,
      Math.max(
        MIN_CONCURRENCY_ALARM,
        ceilClean((fn.reserved * t.concurrencyPercentOfReserved) / 100),
      ),
    );
    specs.push(
      {
        id: `${fn.role}-errors`,
        description: `${fn.name} raised more than ${t.lambdaErrors} errors a minute`,
        severity: "critical",
        namespace: "AWS/Lambda",
        metricName: "Errors",
        dimensions,
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.lambdaErrors,
        datapoints: 3,
        period: PERIOD,
      },
      {
        id: `${fn.role}-throttles`,
        description: `${fn.name} was throttled more than ${t.lambdaThrottles} times a minute (reserved concurrency ${fn.reserved})`,
        // Throttled API calls fail a user; throttled worker batches are retried from the queue.
        severity: fn.role === "api" ? "critical" : "warning",
        namespace: "AWS/Lambda",
        metricName: "Throttles",
        dimensions,
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.lambdaThrottles,
        datapoints: 5,
        period: PERIOD,
      },
      {
        id: `${fn.role}-duration-p90`,
        description: `p90 duration of ${fn.name} is above ${t.durationP90PercentOfTimeout} % of its ${fn.timeout} s timeout`,
        severity: "warning",
        namespace: "AWS/Lambda",
        metricName: "Duration",
        dimensions,
        extendedStatistic: "p90",
        comparisonOperator: "GreaterThanThreshold",
        threshold: durationMs,
        datapoints: 15,
        period: PERIOD,
      },
      {
        id: `${fn.role}-concurrency`,
        description: `${fn.name} uses at least ${t.concurrencyPercentOfReserved} % of its reserved concurrency of ${fn.reserved}`,
        severity: "warning",
        namespace: "AWS/Lambda",
        metricName: "ConcurrentExecutions",
        dimensions,
        statistic: "Maximum",
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: concurrency,
        datapoints: 10,
        period: PERIOD,
      },
    );
  }
  specs.push(
    {
      id: "queue-age",
      description: `Oldest message on ${n.queue} waited at least ${t.queueAgeSeconds} s: the worker is not keeping up`,
      severity: "warning",
      namespace: "AWS/SQS",
      metricName: "ApproximateAgeOfOldestMessage",
      dimensions: { QueueName: n.queue },
      statistic: "Maximum",
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.queueAgeSeconds,
      datapoints: 15,
      period: PERIOD,
    },
    {
      id: "dlq-not-empty",
      description: `${n.deadLetterQueue} holds messages the worker gave up on`,
      severity: "warning",
      namespace: "AWS/SQS",
      metricName: "ApproximateNumberOfMessagesVisible",
      dimensions: { QueueName: n.deadLetterQueue },
      statistic: "Maximum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: 0,
      datapoints: 1,
      period: PERIOD,
    },
    {
      id: "table-read-throttles",
      description: `${n.table} throttled more than ${t.dynamodbThrottles} reads a minute`,
      severity: "warning",
      namespace: "AWS/DynamoDB",
      metricName: "ReadThrottleEvents",
      dimensions: { TableName: n.table },
      statistic: "Sum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.dynamodbThrottles,
      datapoints: 5,
      period: PERIOD,
    },
    {
      id: "table-write-throttles",
      description: `${n.table} throttled more than ${t.dynamodbThrottles} writes a minute`,
      severity: "warning",
      namespace: "AWS/DynamoDB",
      metricName: "WriteThrottleEvents",
      dimensions: { TableName: n.table },
      statistic: "Sum",
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.dynamodbThrottles,
      datapoints: 5,
      period: PERIOD,
    },
  );
  return specs;
}

export class BlueprintAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];

  constructor(scope: Construct, id: string, props: BlueprintAlarmsProps) {
    super(scope, id);
    const prefix = props.names.alarmPrefix;
    for (const s of blueprintAlarmSpecs(props)) {
      this.alarms.push(
        new CloudwatchMetricAlarm(this, s.id, {
          alarmName: `${prefix}${s.id}`,
          alarmDescription: s.description,
          namespace: s.namespace,
          metricName: s.metricName,
          dimensions: s.dimensions,
          statistic: s.statistic,
          extendedStatistic: s.extendedStatistic,
          comparisonOperator: s.comparisonOperator,
          threshold: s.threshold,
          period: s.period,
          evaluationPeriods: s.datapoints,
          datapointsToAlarm: s.datapoints,
          // No traffic is not an outage; percentiles over a handful of requests are noise.
          treatMissingData: "notBreaching",
          evaluateLowSampleCountPercentiles: s.extendedStatistic ? "ignore" : undefined,
          ...actionsFor(props.routing, s.severity),
        }),
      );
    }
    // SystemErrors is reported per operation only; a Metrics Insights query sums every operation.
    const systemErrors = `${prefix}table-system-errors`;
    this.alarms.push(
      new CloudwatchMetricAlarm(this, "table-system-errors", {
        alarmName: systemErrors,
        alarmDescription: `${props.names.table} returned more than ${props.thresholds.dynamodbSystemErrors} HTTP 500s a minute`,
        comparisonOperator: "GreaterThanThreshold",
        threshold: props.thresholds.dynamodbSystemErrors,
        evaluationPeriods: 5,
        datapointsToAlarm: 5,
        treatMissingData: "notBreaching",
        metricQuery: [
          {
            id: "errors",
            expression: `SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = '${props.names.table}'`,
            label: "SystemErrors (all operations)",
            period: PERIOD,
            returnData: true,
          },
        ],
        ...actionsFor(props.routing, "critical"),
      }),
    );
  }
}

// The recommended CloudWatch alarms of one team blueprint (AWS's list in PRODUCT.md), as specs: API
// Gateway, both Lambda functions, the queue and its DLQ, and the table. Resources are addressed by the
// names in config/names.ts, so the alarms need nothing from the blueprint construct. Adding a
// recommended alarm is adding one entry here (and, for a new threshold, its default in config).
import type { BlueprintNames } from "../../config/names";
import type { ResolvedAlarms } from "../../config/model";
import { ceilClean, type DerivedNumbers } from "../../config/capacity";
import { ALARM_DEFAULTS, deadLetterQueueAlarm, type AlarmSpec } from "./spec";

/** What the recommended alarms are computed from: names, thresholds and the sizes they scale with. */
export interface BlueprintAlarmInputs {
  names: Omit<BlueprintNames, "alias">;
  thresholds: Omit<ResolvedAlarms, "quotaWarningPercent" | "quotaCriticalPercent">;
  derived: Pick<DerivedNumbers, "apiReservedConcurrency" | "workerReservedConcurrency">;
  timeoutSeconds: { api: number; worker: number };
}

/** The lowest concurrency alarm threshold: a single execution in use is normal traffic. */
const MIN_CONCURRENCY_ALARM = 2;

export function blueprintAlarmSpecs(p: BlueprintAlarmInputs): AlarmSpec[] {
  const n = p.names;
  const t = p.thresholds;
  const api = { ApiName: n.restApi, Stage: n.stage };
  const specs: AlarmSpec[] = [
    {
      id: "api-5xx",
      description: `Share of ${n.restApi} requests answered 5XX is above ${t.api5xxRate}`,
      severity: "critical",
      metric: {
        namespace: "AWS/ApiGateway",
        metricName: "5XXError",
        dimensions: api,
        statistic: "Average",
      },
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.api5xxRate,
      datapoints: 3,
    },
    {
      id: "api-4xx",
      description: `Share of ${n.restApi} requests answered 4XX (including 429 throttles) is above ${t.api4xxRate}`,
      severity: "warning",
      metric: {
        namespace: "AWS/ApiGateway",
        metricName: "4XXError",
        dimensions: api,
        statistic: "Average",
      },
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.api4xxRate,
      datapoints: 5,
    },
    {
      id: "api-latency-p90",
      description: `p90 latency of ${n.restApi} is at least ${t.apiLatencyP90Ms} ms`,
      severity: "warning",
      metric: {
        namespace: "AWS/ApiGateway",
        metricName: "Latency",
        dimensions: api,
        extendedStatistic: "p90",
      },
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.apiLatencyP90Ms,
      datapoints: 5,
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
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Errors",
          dimensions,
          statistic: "Sum",
        },
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.lambdaErrors,
        datapoints: 3,
      },
      {
        id: `${fn.role}-throttles`,
        description: `${fn.name} was throttled more than ${t.lambdaThrottles} times a minute (reserved concurrency ${fn.reserved})`,
        // Throttled API calls fail a user; throttled worker batches are retried from the queue.
        severity: fn.role === "api" ? "critical" : "warning",
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Throttles",
          dimensions,
          statistic: "Sum",
        },
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.lambdaThrottles,
        datapoints: 5,
      },
      {
        id: `${fn.role}-duration-p90`,
        description: `p90 duration of ${fn.name} is above ${t.durationP90PercentOfTimeout} % of its ${fn.timeout} s timeout`,
        severity: "warning",
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Duration",
          dimensions,
          extendedStatistic: "p90",
        },
        comparisonOperator: "GreaterThanThreshold",
        threshold: durationMs,
        datapoints: 15,
      },
      {
        id: `${fn.role}-concurrency`,
        description: `${fn.name} uses at least ${t.concurrencyPercentOfReserved} % of its reserved concurrency of ${fn.reserved}`,
        severity: "warning",
        metric: {
          namespace: "AWS/Lambda",
          metricName: "ConcurrentExecutions",
          dimensions,
          statistic: "Maximum",
        },
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        threshold: concurrency,
        datapoints: 10,
      },
    );
  }
  specs.push(
    {
      id: "queue-age",
      description: `Oldest message on ${n.queue} waited at least ${t.queueAgeSeconds} s: the worker is not keeping up`,
      severity: "warning",
      metric: {
        namespace: "AWS/SQS",
        metricName: "ApproximateAgeOfOldestMessage",
        dimensions: { QueueName: n.queue },
        statistic: "Maximum",
      },
      comparisonOperator: "GreaterThanOrEqualToThreshold",
      threshold: t.queueAgeSeconds,
      datapoints: 15,
    },
    deadLetterQueueAlarm("dlq-not-empty", n.deadLetterQueue, "messages the worker gave up on"),
    {
      id: "table-read-throttles",
      description: `${n.table} throttled more than ${t.dynamodbThrottles} reads a minute`,
      severity: "warning",
      metric: {
        namespace: "AWS/DynamoDB",
        metricName: "ReadThrottleEvents",
        dimensions: { TableName: n.table },
        statistic: "Sum",
      },
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.dynamodbThrottles,
      datapoints: 5,
    },
    {
      id: "table-write-throttles",
      description: `${n.table} throttled more than ${t.dynamodbThrottles} writes a minute`,
      severity: "warning",
      metric: {
        namespace: "AWS/DynamoDB",
        metricName: "WriteThrottleEvents",
        dimensions: { TableName: n.table },
        statistic: "Sum",
      },
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.dynamodbThrottles,
      datapoints: 5,
    },
    // SystemErrors is reported per operation only; a Metrics Insights query sums every operation.
    {
      id: "table-system-errors",
      description: `${n.table} returned more than ${t.dynamodbSystemErrors} HTTP 500s a minute`,
      severity: "critical",
      queries: [
        {
          id: "errors",
          expression: `SELECT SUM(SystemErrors) FROM SCHEMA("AWS/DynamoDB", Operation, TableName) WHERE TableName = '${n.table}'`,
          label: "SystemErrors (all operations)",
          period: ALARM_DEFAULTS.periodSeconds,
          returnData: true,
        },
      ],
      comparisonOperator: "GreaterThanThreshold",
      threshold: t.dynamodbSystemErrors,
      datapoints: 5,
    },
  );
  return specs;
}

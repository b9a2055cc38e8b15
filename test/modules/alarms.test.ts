// The alarm builder and the recommended alarms alone, from explicit props: each spec becomes one
// CloudWatch alarm with the shared defaults, routed by severity; the recommended list follows its
// thresholds and the sizes it is given.
import {
  ALARM_DEFAULTS,
  BlueprintAlarms,
  metricAlarm,
  type BlueprintAlarmsProps,
} from "../../modules/alarms";
import { synthModule, type TfJson } from "../helpers";

const topics = { critical: "arn:critical", warning: "arn:warning" };
const PROPS: BlueprintAlarmsProps = {
  names: {
    restApi: "a-prod-api",
    stage: "prod",
    apiFunction: "a-prod-api",
    workerFunction: "a-prod-worker",
    queue: "a-prod-jobs",
    deadLetterQueue: "a-prod-jobs-dlq",
    table: "a-prod-items",
    alarmPrefix: "lz-a-prod-",
  },
  // Distinct values, so each threshold is seen to reach its own alarm.
  thresholds: {
    api5xxRate: 0.02,
    api4xxRate: 0.07,
    apiLatencyP90Ms: 1500,
    lambdaErrors: 11,
    lambdaThrottles: 3,
    durationP90PercentOfTimeout: 80,
    concurrencyPercentOfReserved: 90,
    queueAgeSeconds: 180,
    dynamodbThrottles: 4,
    dynamodbSystemErrors: 6,
  },
  derived: { apiReservedConcurrency: 40, workerReservedConcurrency: 120 },
  timeoutSeconds: { api: 10, worker: 120 },
  routing: { topics, production: true },
};

function alarms(props: BlueprintAlarmsProps): Record<string, TfJson> {
  const m = synthModule((s) => new BlueprintAlarms(s, "alarms", props));
  return Object.fromEntries(
    Object.values(m.resources("aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name, a]),
  );
}

describe("the builder", () => {
  const build = (spec: Parameters<typeof metricAlarm>[1]) =>
    synthModule((s) =>
      metricAlarm(s, spec, { prefix: "lz-x-", routing: { topics, production: true } }),
    ).resource("aws_cloudwatch_metric_alarm");
  const base = {
    id: "one",
    description: "d",
    comparisonOperator: "GreaterThanThreshold" as const,
    threshold: 5,
    datapoints: 3,
  };

  test("one metric: one-minute periods, N of N, missing data not breaching, percentiles ignore low samples", () => {
    expect(
      build({
        ...base,
        severity: "warning",
        metric: {
          namespace: "NS",
          metricName: "M",
          dimensions: { D: "v" },
          extendedStatistic: "p99",
        },
      }),
    ).toEqual({
      alarm_name: "lz-x-one",
      alarm_description: "d",
      namespace: "NS",
      metric_name: "M",
      dimensions: { D: "v" },
      extended_statistic: "p99",
      comparison_operator: "GreaterThanThreshold",
      threshold: 5,
      period: 60,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: "notBreaching",
      evaluate_low_sample_count_percentiles: "ignore",
      alarm_actions: ["arn:warning"],
    });
    expect(ALARM_DEFAULTS.periodSeconds).toBe(60);
  });

  test("metric queries: the queries as given and no metric of its own; a critical alarm also notifies on recovery", () => {
    const queries = [{ id: "q", expression: "SELECT 1", label: "l", period: 60, returnData: true }];
    expect(build({ ...base, severity: "critical", queries })).toEqual({
      alarm_name: "lz-x-one",
      alarm_description: "d",
      comparison_operator: "GreaterThanThreshold",
      threshold: 5,
      evaluation_periods: 3,
      datapoints_to_alarm: 3,
      treat_missing_data: "notBreaching",
      metric_query: [
        { id: "q", expression: "SELECT 1", label: "l", period: 60, return_data: true },
      ],
      alarm_actions: ["arn:critical"],
      ok_actions: ["arn:critical"],
    });
  });
});

describe("recommended alarms", () => {
  type Row = [
    string,
    string,
    string,
    Record<string, string>,
    string,
    ">" | ">=",
    number,
    number,
    string,
  ];
  const api = { ApiName: "a-prod-api", Stage: "prod" };
  const apiFn = { FunctionName: "a-prod-api" };
  const workerFn = { FunctionName: "a-prod-worker" };
  const table = { TableName: "a-prod-items" };
  const ROWS: Row[] = [
    ["api-5xx", "AWS/ApiGateway", "5XXError", api, "Average", ">", 0.02, 3, "critical"],
    ["api-4xx", "AWS/ApiGateway", "4XXError", api, "Average", ">", 0.07, 5, "warning"],
    ["api-latency-p90", "AWS/ApiGateway", "Latency", api, "p90", ">=", 1500, 5, "warning"],
    ["api-errors", "AWS/Lambda", "Errors", apiFn, "Sum", ">", 11, 3, "critical"],
    ["api-throttles", "AWS/Lambda", "Throttles", apiFn, "Sum", ">", 3, 5, "critical"],
    // 80 % of the 10 s and 120 s timeouts, in milliseconds.
    ["api-duration-p90", "AWS/Lambda", "Duration", apiFn, "p90", ">", 8000, 15, "warning"],
    [
      "api-concurrency",
      "AWS/Lambda",
      "ConcurrentExecutions",
      apiFn,
      "Maximum",
      ">=",
      36,
      10,
      "warning",
    ],
    ["worker-errors", "AWS/Lambda", "Errors", workerFn, "Sum", ">", 11, 3, "critical"],
    ["worker-throttles", "AWS/Lambda", "Throttles", workerFn, "Sum", ">", 3, 5, "warning"],
    ["worker-duration-p90", "AWS/Lambda", "Duration", workerFn, "p90", ">", 96000, 15, "warning"],
    [
      "worker-concurrency",
      "AWS/Lambda",
      "ConcurrentExecutions",
      workerFn,
      "Maximum",
      ">=",
      108,
      10,
      "warning",
    ],
    [
      "queue-age",
      "AWS/SQS",
      "ApproximateAgeOfOldestMessage",
      { QueueName: "a-prod-jobs" },
      "Maximum",
      ">=",
      180,
      15,
      "warning",
    ],
    [
      "dlq-not-empty",
      "AWS/SQS",
      "ApproximateNumberOfMessagesVisible",
      { QueueName: "a-prod-jobs-dlq" },
      "Maximum",
      ">",
      0,
      1,
      "warning",
    ],
    [
      "table-read-throttles",
      "AWS/DynamoDB",
      "ReadThrottleEvents",
      table,
      "Sum",
      ">",
      4,
      5,
      "warning",
    ],
    [
      "table-write-throttles",
      "AWS/DynamoDB",
      "WriteThrottleEvents",
      table,
      "Sum",
      ">",
      4,
      5,
      "warning",
    ],
  ];
  let all: Record<string, TfJson>;
  beforeAll(() => {
    all = alarms(PROPS);
  });

  test("sixteen alarms, every one named with the prefix", () => {
    expect(Object.keys(all).sort()).toEqual(
      [...ROWS.map((r) => r[0]), "table-system-errors"].map((s) => `lz-a-prod-${s}`).sort(),
    );
  });

  test.each(ROWS)(
    "%s",
    (suffix, namespace, metric, dimensions, stat, op, threshold, n, severity) => {
      const a = all[`lz-a-prod-${suffix}`];
      expect(a).toMatchObject({
        namespace,
        metric_name: metric,
        dimensions,
        comparison_operator: op === ">" ? "GreaterThanThreshold" : "GreaterThanOrEqualToThreshold",
        threshold,
        evaluation_periods: n,
        datapoints_to_alarm: n,
        period: 60,
        alarm_actions: [topics[severity as "critical" | "warning"]],
      });
      if (stat.startsWith("p")) expect(a.extended_statistic).toBe(stat);
      else expect(a.statistic).toBe(stat);
      expect(a.ok_actions).toEqual(severity === "critical" ? [topics.critical] : undefined);
    },
  );

  test("DynamoDB system errors: a Metrics Insights sum over every operation of the table", () => {
    const a = all["lz-a-prod-table-system-errors"];
    expect(a.metric_query).toEqual([
      {
        id: "errors",
        expression:
          "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = 'a-prod-items'",
        label: "SystemErrors (all operations)",
        period: 60,
        return_data: true,
      },
    ]);
    expect(a).toMatchObject({
      threshold: 6,
      evaluation_periods: 5,
      alarm_actions: [topics.critical],
    });
    expect(a.namespace).toBeUndefined();
  });

  test("a non-production account never pages: every alarm goes to the warning topic", () => {
    for (const a of Object.values(alarms({ ...PROPS, routing: { topics, production: false } }))) {
      expect(a.alarm_actions).toEqual([topics.warning]);
      expect(a.ok_actions).toBeUndefined();
    }
  });

  test("concurrency alarms need two executions at once, and never more than the function may have", () => {
    const small = alarms({
      ...PROPS,
      derived: { apiReservedConcurrency: 1, workerReservedConcurrency: 3 },
    });
    expect(small["lz-a-prod-api-concurrency"].threshold).toBe(1);
    expect(small["lz-a-prod-worker-concurrency"].threshold).toBe(3);
    const low = alarms({
      ...PROPS,
      thresholds: { ...PROPS.thresholds, concurrencyPercentOfReserved: 10 },
      derived: { apiReservedConcurrency: 10, workerReservedConcurrency: 10 },
    });
    expect(low["lz-a-prod-api-concurrency"].threshold).toBe(2);
  });
});

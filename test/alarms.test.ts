// The recommended alarms and quota alarms a team stack gets, read from the synthesized Terraform
// JSON: namespace, metric, dimensions, statistic, threshold and where each one notifies.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  type Synthesized,
  type TfJson,
} from "./helpers";

const OBSERVABILITY_ID = "444444444444";
const topic = (region: string, severity: string) =>
  `arn:aws:sns:${region}:${OBSERVABILITY_ID}:lz-alarms-${severity}`;

let dir: string;
let out: Synthesized;

beforeAll(() => {
  dir = copyExampleAccounts();
  const edit = (file: string, change: (text: string) => string) => {
    const path = join(dir, file);
    const before = readFileSync(path, "utf8");
    const after = change(before);
    if (after === before) throw new Error(`edit of ${file} changed nothing`);
    writeFileSync(path, after);
  };
  // A recorded observability account id gives literal topic ARNs; an org-wide quota warning level
  // and a team-wide error tolerance show the overrides reach the alarms.
  edit(
    "organization.yaml",
    (t) =>
      t.replace(
        "    email: aws-observability@acme.example\n",
        `    email: aws-observability@acme.example\n    accountId: "${OBSERVABILITY_ID}"\n`,
      ) + "\nalarms:\n  quotaWarningPercent: 75\n",
  );
  edit("teams/payments.yaml", (t) =>
    t.replace(
      "  dev:\n    serverless-api:\n",
      // No price table covers eu-central-1, so the budget limit is declared.
      "  dev:\n    region: eu-central-1\n    budget:\n      monthlyLimit: 300\n    serverless-api:\n",
    ),
  );
  edit("teams/notifications.yaml", (t) => t + "alarms:\n  lambdaErrors: 7\n");
  out = synthAccounts(dir, "team-payments-*,team-notifications-prod,log-archive,security");
});
afterAll(() => {
  removeDir(dir);
  removeDir(join(out.outdir, ".."));
});

function alarms(stackId: string): Record<string, TfJson> {
  const byName: Record<string, TfJson> = {};
  for (const a of Object.values(out.resources(stackId, "aws_cloudwatch_metric_alarm"))) {
    byName[a.alarm_name] = a;
  }
  return byName;
}

type Row = [
  suffix: string,
  namespace: string,
  metric: string,
  dimensions: Record<string, string>,
  statistic: string,
  operator: ">" | ">=",
  threshold: number,
  datapoints: number,
  severity: "critical" | "warning",
];

// payments prod: 200 rps × 120 ms → 40 reserved for the API function (the Erlang B floor above
// 28.8 × headroom); 5 msg/s × 20 s × 1.2 →
// 120 for the worker; api timeout 10 s, worker 120 s; apiLatencyP90Ms overridden to 1500 in the file.
const api = { ApiName: "payments-prod-api", Stage: "prod" };
const apiFn = { FunctionName: "payments-prod-api" };
const workerFn = { FunctionName: "payments-prod-worker" };
const table = { TableName: "payments-prod-items" };
const PAYMENTS_PROD: Row[] = [
  ["api-5xx", "AWS/ApiGateway", "5XXError", api, "Average", ">", 0.05, 3, "critical"],
  ["api-4xx", "AWS/ApiGateway", "4XXError", api, "Average", ">", 0.05, 5, "warning"],
  ["api-latency-p90", "AWS/ApiGateway", "Latency", api, "p90", ">=", 1500, 5, "warning"],
  ["api-errors", "AWS/Lambda", "Errors", apiFn, "Sum", ">", 120, 3, "critical"],
  ["api-throttles", "AWS/Lambda", "Throttles", apiFn, "Sum", ">", 0, 5, "critical"],
  ["api-duration-p90", "AWS/Lambda", "Duration", apiFn, "p90", ">", 8000, 15, "warning"],
  [
    "api-concurrency",
    "AWS/Lambda",
    "ConcurrentExecutions",
    apiFn,
    "Maximum",
    ">=",
    36, // 90 % of 40
    10,
    "warning",
  ],
  ["worker-errors", "AWS/Lambda", "Errors", workerFn, "Sum", ">", 120, 3, "critical"],
  ["worker-throttles", "AWS/Lambda", "Throttles", workerFn, "Sum", ">", 0, 5, "warning"],
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
    { QueueName: "payments-prod-jobs" },
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
    { QueueName: "payments-prod-jobs-dlq" },
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
    0,
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
    0,
    5,
    "warning",
  ],
];

test.each(PAYMENTS_PROD)(
  "team-payments-prod alarm lz-payments-prod-%s",
  (suffix, namespace, metric, dimensions, statistic, operator, threshold, datapoints, severity) => {
    const a = alarms("team-payments-prod")[`lz-payments-prod-${suffix}`];
    expect(a).toBeDefined();
    expect(a.namespace).toBe(namespace);
    expect(a.metric_name).toBe(metric);
    expect(a.dimensions).toEqual(dimensions);
    if (statistic.startsWith("p")) {
      expect(a.extended_statistic).toBe(statistic);
      expect(a.statistic).toBeUndefined();
    } else {
      expect(a.statistic).toBe(statistic);
      expect(a.extended_statistic).toBeUndefined();
    }
    expect(a.comparison_operator).toBe(
      operator === ">" ? "GreaterThanThreshold" : "GreaterThanOrEqualToThreshold",
    );
    expect(a.threshold).toBe(threshold);
    expect(a.evaluation_periods).toBe(datapoints);
    expect(a.datapoints_to_alarm).toBe(datapoints);
    expect(a.period).toBe(60);
    expect(a.alarm_actions).toEqual([topic("eu-west-1", severity)]);
    // Critical pages close themselves when the alarm recovers; warnings only open.
    if (severity === "critical") expect(a.ok_actions).toEqual([topic("eu-west-1", "critical")]);
    else expect(a.ok_actions).toBeUndefined();
  },
);

test("DynamoDB system errors are summed over every operation of the table", () => {
  const a = alarms("team-payments-prod")["lz-payments-prod-table-system-errors"];
  expect(a.metric_query).toEqual([
    {
      id: "errors",
      expression:
        "SELECT SUM(SystemErrors) FROM SCHEMA(\"AWS/DynamoDB\", Operation, TableName) WHERE TableName = 'payments-prod-items'",
      label: "SystemErrors (all operations)",
      period: 60,
      return_data: true,
    },
  ]);
  expect(a.threshold).toBe(0);
  expect(a.alarm_actions).toEqual([topic("eu-west-1", "critical")]);
});

test("every team alarm is named lz-<team>-<env>-..., so the protect SCP covers it", () => {
  for (const id of ["team-payments-prod", "team-payments-dev", "team-notifications-prod"]) {
    const names = Object.keys(alarms(id));
    expect(names).toHaveLength(22);
    const prefix = `lz-${id.slice("team-".length)}-`;
    for (const n of names) expect(n.startsWith(prefix)).toBe(true);
  }
});

test("alarms watch resources the blueprint really creates, by name", () => {
  const id = "team-payments-prod";
  const values = (type: string, key: string) =>
    Object.values(out.resources(id, type)).map((r) => r[key]);
  const functions = values("aws_lambda_function", "function_name");
  const queues = values("aws_sqs_queue", "name");
  const tables = values("aws_dynamodb_table", "name");
  const apis = values("aws_api_gateway_rest_api", "name");
  const stages = values("aws_api_gateway_stage", "stage_name");
  for (const a of Object.values(alarms(id))) {
    const d = a.dimensions ?? {};
    if (d.FunctionName) expect(functions).toContain(d.FunctionName);
    if (d.QueueName) expect(queues).toContain(d.QueueName);
    if (d.TableName) expect(tables).toContain(d.TableName);
    if (d.ApiName) expect(apis).toContain(d.ApiName);
    if (d.Stage) expect(stages).toContain(d.Stage);
  }
});

test("a non-production account never pages, and notifies the topic of its own region", () => {
  const dev = alarms("team-payments-dev");
  for (const a of Object.values(dev)) {
    expect(a.alarm_actions).toEqual([topic("eu-central-1", "warning")]);
    expect(a.ok_actions).toBeUndefined();
  }
});

test("overrides reach the alarms: team-wide error tolerance, per-environment queue age", () => {
  const n = alarms("team-notifications-prod");
  expect(n["lz-notifications-prod-api-errors"].threshold).toBe(7);
  expect(n["lz-notifications-prod-worker-errors"].threshold).toBe(7);
  expect(n["lz-notifications-prod-queue-age"].threshold).toBe(600);
});

describe("quota alarms", () => {
  test("Lambda concurrency against SERVICE_QUOTA() on its AWS/Usage metric, warning and critical", () => {
    const a = alarms("team-payments-prod");
    for (const [severity, percent, datapoints] of [
      ["warning", 75, 10],
      ["critical", 100, 3],
    ] as const) {
      const q = a[`lz-payments-prod-quota-lambda-concurrency-${severity}`];
      expect(q.metric_query).toEqual([
        {
          id: "usage",
          metric: {
            namespace: "AWS/Usage",
            metric_name: "ConcurrentExecutions",
            dimensions: {
              Class: "None",
              Resource: "ConcurrentExecutions",
              Service: "Lambda",
              Type: "Resource",
            },
            stat: "Maximum",
            period: 60,
          },
          return_data: false,
        },
        {
          id: "utilization",
          expression: "usage / SERVICE_QUOTA(usage) * 100",
          label: "Lambda concurrency, % of quota",
          return_data: true,
        },
      ]);
      expect(q.threshold).toBe(percent);
      expect(q.comparison_operator).toBe("GreaterThanOrEqualToThreshold");
      expect(q.evaluation_periods).toBe(datapoints);
      expect(q.alarm_actions).toEqual([topic("eu-west-1", severity)]);
      expect(q.namespace).toBeUndefined();
    }
  });

  test("API Gateway account rate against the quota from config, in requests a minute", () => {
    const a = alarms("team-payments-prod");
    const warning = a["lz-payments-prod-quota-apigateway-rate-warning"];
    const critical = a["lz-payments-prod-quota-apigateway-rate-critical"];
    // 10,000 rps × 60 s at 75 % and 100 %.
    expect(warning.threshold).toBe(450_000);
    expect(critical.threshold).toBe(600_000);
    expect(warning.metric_query).toEqual([
      {
        id: "requests",
        expression: 'SELECT SUM(Count) FROM SCHEMA("AWS/ApiGateway", ApiName)',
        label: "API Gateway requests a minute, all APIs",
        period: 60,
        return_data: true,
      },
    ]);
  });

  test("the table's throughput against the per-table on-demand quota", () => {
    const q = alarms("team-payments-prod")["lz-payments-prod-quota-table-throughput-critical"];
    expect(q.metric_query.map((m: TfJson) => m.metric?.metric_name ?? m.expression)).toEqual([
      "ConsumedReadCapacityUnits",
      "ConsumedWriteCapacityUnits",
      "MAX([reads, writes]) / 60 / 40000 * 100",
    ]);
    expect(q.metric_query[0].metric.dimensions).toEqual({ TableName: "payments-prod-items" });
    expect(q.threshold).toBe(100);
  });

  test("core accounts get the same quota alarms, routed to the home region's topics", () => {
    for (const id of ["log-archive", "security"]) {
      const a = alarms(id);
      expect(Object.keys(a).sort()).toEqual([
        `lz-${id}-quota-apigateway-rate-critical`,
        `lz-${id}-quota-apigateway-rate-warning`,
        `lz-${id}-quota-lambda-concurrency-critical`,
        `lz-${id}-quota-lambda-concurrency-warning`,
      ]);
      const warning = a[`lz-${id}-quota-lambda-concurrency-warning`];
      expect(warning.threshold).toBe(75);
      expect(warning.metric_query[1].expression).toBe("usage / SERVICE_QUOTA(usage) * 100");
      expect(warning.alarm_actions).toEqual([topic("eu-west-1", "warning")]);
      expect(a[`lz-${id}-quota-lambda-concurrency-critical`].alarm_actions).toEqual([
        topic("eu-west-1", "critical"),
      ]);
    }
  });

  test("no increase request unless the team declared a quota", () => {
    expect(out.resources("team-payments-prod", "aws_servicequotas_service_quota")).toEqual({});
    expect(out.resources("security", "aws_servicequotas_service_quota")).toEqual({});
  });
});

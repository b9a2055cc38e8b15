// The quota alarms alone, from explicit props: warning and critical for each quota through the one
// alarm builder, and the increase requests an account files, exposed as typed fields.
import { QuotaAlarms, type QuotaAlarmsProps } from "../../modules/quota-alarms";
import { synthModule, type TfJson } from "../helpers";

const topics = { critical: "arn:critical", warning: "arn:warning" };
const PROPS: QuotaAlarmsProps = {
  prefix: "lz-a-prod-",
  warningPercent: 75,
  criticalPercent: 95,
  quotas: { apiGatewayRequestsPerSecond: 10_000 },
  routing: { topics, production: true },
};

function build(props: QuotaAlarmsProps) {
  let quota!: QuotaAlarms;
  const m = synthModule((s) => {
    quota = new QuotaAlarms(s, "quota-alarms", props);
  });
  const alarms = Object.fromEntries(
    Object.values(m.resources("aws_cloudwatch_metric_alarm")).map((a) => [a.alarm_name, a]),
  );
  return { m, quota, alarms };
}

test("Lambda concurrency against SERVICE_QUOTA() of its AWS/Usage metric, at each level", () => {
  const { alarms } = build(PROPS);
  for (const [severity, percent, datapoints] of [
    ["warning", 75, 10],
    ["critical", 95, 3],
  ] as const) {
    expect(alarms[`lz-a-prod-quota-lambda-concurrency-${severity}`]).toEqual({
      alarm_name: `lz-a-prod-quota-lambda-concurrency-${severity}`,
      alarm_description: `Lambda concurrent executions reached ${percent} % of the account's quota in this region`,
      comparison_operator: "GreaterThanOrEqualToThreshold",
      threshold: percent,
      evaluation_periods: datapoints,
      datapoints_to_alarm: datapoints,
      treat_missing_data: "notBreaching",
      metric_query: [
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
      ],
      alarm_actions: [topics[severity]],
      ...(severity === "critical" ? { ok_actions: [topics.critical] } : {}),
    });
  }
});

test("the API Gateway account rate, in requests a minute, against the declared quota", () => {
  const { alarms } = build(PROPS);
  // 10,000 rps × 60 s at 75 % and 95 %.
  expect(alarms["lz-a-prod-quota-apigateway-rate-warning"].threshold).toBe(450_000);
  expect(alarms["lz-a-prod-quota-apigateway-rate-critical"].threshold).toBe(570_000);
  expect(alarms["lz-a-prod-quota-apigateway-rate-warning"].metric_query).toEqual([
    {
      id: "requests",
      expression: 'SELECT SUM(Count) FROM SCHEMA("AWS/ApiGateway", ApiName)',
      label: "API Gateway requests a minute, all APIs",
      period: 60,
      return_data: true,
    },
  ]);
});

test("a table's throughput only when a table is given: the busier of reads and writes per second", () => {
  expect(Object.keys(build(PROPS).alarms).sort()).toEqual([
    "lz-a-prod-quota-apigateway-rate-critical",
    "lz-a-prod-quota-apigateway-rate-warning",
    "lz-a-prod-quota-lambda-concurrency-critical",
    "lz-a-prod-quota-lambda-concurrency-warning",
  ]);
  const q = build({ ...PROPS, table: "a-prod-items" }).alarms[
    "lz-a-prod-quota-table-throughput-critical"
  ];
  expect(q.threshold).toBe(95);
  expect(q.metric_query.map((x: TfJson) => x.metric?.metric_name ?? x.expression)).toEqual([
    "ConsumedReadCapacityUnits",
    "ConsumedWriteCapacityUnits",
    "MAX([reads, writes]) / 60 / 40000 * 100",
  ]);
  expect(q.metric_query[0].metric).toEqual({
    namespace: "AWS/DynamoDB",
    metric_name: "ConsumedReadCapacityUnits",
    dimensions: { TableName: "a-prod-items" },
    stat: "Sum",
    period: 60,
  });
});

test("no increase request unless asked; each request is a typed field", () => {
  const none = build(PROPS);
  expect(none.m.resources("aws_servicequotas_service_quota")).toEqual({});
  expect(none.quota.lambdaConcurrencyRequest).toBeUndefined();
  expect(none.quota.alarms).toHaveLength(4);

  const asked = build({ ...PROPS, requestLambdaConcurrency: 3000, requestApiGatewayRate: 20_000 });
  const requests = asked.m.resources("aws_servicequotas_service_quota");
  expect(Object.values(requests).sort((a, b) => a.value - b.value)).toEqual([
    { service_code: "lambda", quota_code: "L-B99A9384", value: 3000 },
    { service_code: "apigateway", quota_code: "L-8A5B8E43", value: 20_000 },
  ]);
  expect(requests[asked.quota.lambdaConcurrencyRequest!.friendlyUniqueId].value).toBe(3000);
  expect(asked.quota.increaseRequests).toHaveLength(2);
});

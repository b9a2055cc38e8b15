// Quota alarms as specs, warning and critical for each quota: Lambda concurrency, the API Gateway
// account rate and (for a team account) the table's on-demand throughput. Each is metric math, since
// no quota has a single CloudWatch metric of "usage as a share of the quota".
import type { AccountQuotas } from "../../config/capacity";
import { ceilClean } from "../../config/capacity";
import type { AlarmSeverity } from "../../config/names";
import { ALARM_DEFAULTS, type AlarmSpec } from "../alarms/spec";

/** Default per-table throughput of an on-demand DynamoDB table, in request units per second. */
export const DYNAMODB_TABLE_UNITS_PER_SECOND = 40_000;

export interface QuotaAlarmInputs {
  warningPercent: number;
  criticalPercent: number;
  quotas: Pick<AccountQuotas, "apiGatewayRequestsPerSecond">;
  /** A DynamoDB table whose on-demand throughput quota to watch. */
  table?: string;
  /**
   * The account is a CloudWatch monitoring account: its Metrics Insights queries would also see every
   * linked source account, so they count only its own metrics.
   */
  ownAccountOnly?: boolean;
}

const LEVELS: { severity: AlarmSeverity; datapoints: number }[] = [
  // Warnings must persist; at the quota itself requests are already throttled, so page quickly.
  { severity: "warning", datapoints: 10 },
  { severity: "critical", datapoints: 3 },
];

/** Spec ids are `<quota>-<severity>`; the construct names the alarms `<prefix>quota-<id>`. */
export function quotaAlarmSpecs(p: QuotaAlarmInputs): AlarmSpec[] {
  const period = ALARM_DEFAULTS.periodSeconds;
  return LEVELS.flatMap(({ severity, datapoints }) => {
    const pct = severity === "critical" ? p.criticalPercent : p.warningPercent;
    const level = {
      severity,
      datapoints,
      comparisonOperator: "GreaterThanOrEqualToThreshold" as const,
    };
    const rate = p.quotas.apiGatewayRequestsPerSecond;
    const ownAccount = p.ownAccountOnly ? " WHERE AWS.AccountId = CURRENT_ACCOUNT_ID()" : "";
    const perMinute = ceilClean((rate * 60 * pct) / 100);
    const specs: AlarmSpec[] = [
      // AWS/Usage carries the account's Lambda concurrency, and SERVICE_QUOTA() its applied quota,
      // so the alarm follows an approved increase without a change here.
      {
        ...level,
        id: `lambda-concurrency-${severity}`,
        description: `Lambda concurrent executions reached ${pct} % of the account's quota in this region`,
        threshold: pct,
        queries: [
          {
            id: "usage",
            metric: {
              namespace: "AWS/Usage",
              metricName: "ConcurrentExecutions",
              dimensions: {
                Class: "None",
                Resource: "ConcurrentExecutions",
                Service: "Lambda",
                Type: "Resource",
              },
              stat: "Maximum",
              period,
            },
            returnData: false,
          },
          {
            id: "utilization",
            expression: "usage / SERVICE_QUOTA(usage) * 100",
            label: "Lambda concurrency, % of quota",
            returnData: true,
          },
        ],
      },
      // API Gateway publishes no usage metric for its account-wide rate quota: sum every REST API's
      // requests per minute (Metrics Insights, so APIs added later are counted) against the quota
      // declared in config.
      {
        ...level,
        id: `apigateway-rate-${severity}`,
        description: `API Gateway requests reached ${pct} % of the account quota of ${rate} per second (${perMinute} a minute)`,
        threshold: perMinute,
        queries: [
          {
            id: "requests",
            expression: `SELECT SUM(Count) FROM SCHEMA("AWS/ApiGateway", ApiName)${ownAccount}`,
            label: "API Gateway requests a minute, all APIs",
            period,
            returnData: true,
          },
        ],
      },
    ];
    if (p.table) {
      // On-demand tables have no usage metric either: the busier of reads and writes per second
      // against the per-table throughput quota. Throttling starts at 100 %.
      specs.push({
        ...level,
        id: `table-throughput-${severity}`,
        description: `${p.table} reached ${pct} % of the per-table on-demand throughput quota (${DYNAMODB_TABLE_UNITS_PER_SECOND} units a second)`,
        threshold: pct,
        queries: [
          tableUnits("reads", "ConsumedReadCapacityUnits", p.table),
          tableUnits("writes", "ConsumedWriteCapacityUnits", p.table),
          {
            id: "utilization",
            expression: `MAX([reads, writes]) / ${period} / ${DYNAMODB_TABLE_UNITS_PER_SECOND} * 100`,
            label: "Table throughput, % of per-table quota",
            returnData: true,
          },
        ],
      });
    }
    return specs;
  });
}

function tableUnits(id: string, metricName: string, table: string) {
  return {
    id,
    metric: {
      namespace: "AWS/DynamoDB",
      metricName,
      dimensions: { TableName: table },
      stat: "Sum",
      period: ALARM_DEFAULTS.periodSeconds,
    },
    returnData: false,
  };
}

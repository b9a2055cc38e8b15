// Quota alarms for one account and region: warned before Lambda concurrency, the API Gateway account
// rate or a table's throughput runs out, and (when the team declared one) the Lambda concurrency
// increase request itself. Every percentage comes from the resolved alarm settings.
import { Construct } from "constructs";
import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ServicequotasServiceQuota } from "@cdktf/provider-aws/lib/servicequotas-service-quota";
import { ceilClean, type AccountQuotas } from "../../config/capacity";
import type { AlarmSeverity } from "../../config/names";
import { actionsFor, type AlarmRouting } from "../alarms/routing";

/** Service Quotas codes of "Concurrent executions" (Lambda). */
export const LAMBDA_SERVICE_CODE = "lambda";
export const LAMBDA_CONCURRENCY_QUOTA_CODE = "L-B99A9384";
/** Service Quotas codes of API Gateway's account "Throttle rate" (steady requests per second). */
export const APIGATEWAY_SERVICE_CODE = "apigateway";
export const APIGATEWAY_RATE_QUOTA_CODE = "L-8A5B8E43";
/** Default per-table throughput of an on-demand DynamoDB table, in request units per second. */
export const DYNAMODB_TABLE_UNITS_PER_SECOND = 40_000;

export interface QuotaAlarmsProps {
  /** Alarm names start with this (it ends in `-` and starts with `lz-`). */
  prefix: string;
  warningPercent: number;
  criticalPercent: number;
  quotas: Pick<AccountQuotas, "apiGatewayRequestsPerSecond">;
  routing: AlarmRouting;
  /** A DynamoDB table whose on-demand throughput quota to watch. */
  table?: string;
  /** File an increase request for Lambda concurrent executions to this value. */
  requestLambdaConcurrency?: number;
  /** File an increase request for the API Gateway account rate to this value. */
  requestApiGatewayRate?: number;
}

const PERIOD = 60;
const LEVELS: { severity: AlarmSeverity; datapoints: number }[] = [
  // Warnings must persist; at the quota itself requests are already throttled, so page quickly.
  { severity: "warning", datapoints: 10 },
  { severity: "critical", datapoints: 3 },
];

export class QuotaAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[] = [];
  readonly increaseRequests: ServicequotasServiceQuota[] = [];
  /** The Lambda concurrency increase request, when this account files one. */
  readonly lambdaConcurrencyRequest?: ServicequotasServiceQuota;

  constructor(scope: Construct, id: string, props: QuotaAlarmsProps) {
    super(scope, id);
    const percent = (s: AlarmSeverity) =>
      s === "critical" ? props.criticalPercent : props.warningPercent;

    for (const { severity, datapoints } of LEVELS) {
      const pct = percent(severity);
      const common = {
        comparisonOperator: "GreaterThanOrEqualToThreshold",
        evaluationPeriods: datapoints,
        datapointsToAlarm: datapoints,
        treatMissingData: "notBreaching",
        ...actionsFor(props.routing, severity),
      };

      // AWS/Usage carries the account's Lambda concurrency, and SERVICE_QUOTA() its applied quota,
      // so the alarm follows an approved increase without a change here.
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `lambda-concurrency-${severity}`, {
          alarmName: `${props.prefix}quota-lambda-concurrency-${severity}`,
          alarmDescription: `Lambda concurrent executions reached ${pct} % of the account's quota in this region`,
          threshold: pct,
          metricQuery: [
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
                period: PERIOD,
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
          ...common,
        }),
      );

      // API Gateway publishes no usage metric for its account-wide rate quota: sum every REST API's
      // requests per minute (Metrics Insights, so APIs added later are counted) against the quota
      // declared in config.
      const perMinute = ceilClean((props.quotas.apiGatewayRequestsPerSecond * 60 * pct) / 100);
      this.alarms.push(
        new CloudwatchMetricAlarm(this, `apigateway-rate-${severity}`, {
          alarmName: `${props.prefix}quota-apigateway-rate-${severity}`,
          alarmDescription: `API Gateway requests reached ${pct} % of the account quota of ${props.quotas.apiGatewayRequestsPerSecond} per second (${perMinute} a minute)`,
          threshold: perMinute,
          metricQuery: [
            {
              id: "requests",
              expression: `SELECT SUM(Count) FROM SCHEMA("AWS/ApiGateway", ApiName)`,
              label: "API Gateway requests a minute, all APIs",
              period: PERIOD,
              returnData: true,
            },
          ],
          ...common,
        }),
      );

      if (props.table) {
        // On-demand tables have no usage metric either: the busier of reads and writes per second
        // against the per-table throughput quota. Throttling starts at 100 %.
        this.alarms.push(
          new CloudwatchMetricAlarm(this, `table-throughput-${severity}`, {
            alarmName: `${props.prefix}quota-table-throughput-${severity}`,
            alarmDescription: `${props.table} reached ${pct} % of the per-table on-demand throughput quota (${DYNAMODB_TABLE_UNITS_PER_SECOND} units a second)`,
            threshold: pct,
            metricQuery: [
              tableUnits("reads", "ConsumedReadCapacityUnits", props.table),
              tableUnits("writes", "ConsumedWriteCapacityUnits", props.table),
              {
                id: "utilization",
                expression: `MAX([reads, writes]) / ${PERIOD} / ${DYNAMODB_TABLE_UNITS_PER_SECOND} * 100`,
                label: "Table throughput, % of per-table quota",
                returnData: true,
              },
            ],
            ...common,
          }),
        );
      }
    }

    // Terraform files the requests; AWS (sometimes a human) approves them. Capacity planning already
    // counts on the declared values, so the alarms above warn until an increase is applied.
    if (props.requestLambdaConcurrency !== undefined) {
      this.lambdaConcurrencyRequest = new ServicequotasServiceQuota(
        this,
        "lambda-concurrency-increase",
        {
          serviceCode: LAMBDA_SERVICE_CODE,
          quotaCode: LAMBDA_CONCURRENCY_QUOTA_CODE,
          value: props.requestLambdaConcurrency,
        },
      );
      this.increaseRequests.push(this.lambdaConcurrencyRequest);
    }
    if (props.requestApiGatewayRate !== undefined) {
      this.increaseRequests.push(
        new ServicequotasServiceQuota(this, "apigateway-rate-increase", {
          serviceCode: APIGATEWAY_SERVICE_CODE,
          quotaCode: APIGATEWAY_RATE_QUOTA_CODE,
          value: props.requestApiGatewayRate,
        }),
      );
    }
  }
}

function tableUnits(id: string, metricName: string, table: string) {
  return {
    id,
    metric: {
      namespace: "AWS/DynamoDB",
      metricName,
      dimensions: { TableName: table },
      stat: "Sum",
      period: PERIOD,
    },
    returnData: false,
  };
}

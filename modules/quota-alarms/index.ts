// Quota alarms for one account and region (the specs of specs.ts, made by the one alarm builder), and
// the quota increase requests the account files: warned before Lambda concurrency, the API Gateway
// account rate or a table's throughput runs out. Every percentage comes from the resolved settings.
import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { ServicequotasServiceQuota } from "@cdktf/provider-aws/lib/servicequotas-service-quota";
import type { AlarmRouting } from "../alarms/routing";
import { metricAlarms } from "../alarms/spec";
import { quotaAlarmSpecs, type QuotaAlarmInputs } from "./specs";

export { DYNAMODB_TABLE_UNITS_PER_SECOND, quotaAlarmSpecs, type QuotaAlarmInputs } from "./specs";

/** Service Quotas codes of "Concurrent executions" (Lambda). */
export const LAMBDA_SERVICE_CODE = "lambda";
export const LAMBDA_CONCURRENCY_QUOTA_CODE = "L-B99A9384";
/** Service Quotas codes of API Gateway's account "Throttle rate" (steady requests per second). */
export const APIGATEWAY_SERVICE_CODE = "apigateway";
export const APIGATEWAY_RATE_QUOTA_CODE = "L-8A5B8E43";

export interface QuotaAlarmsProps extends QuotaAlarmInputs {
  /** Alarm names start with this (it ends in `-` and starts with `lz-`); `quota-` follows it. */
  prefix: string;
  routing: AlarmRouting;
  /** File an increase request for Lambda concurrent executions to this value. */
  requestLambdaConcurrency?: number;
  /** File an increase request for the API Gateway account rate to this value. */
  requestApiGatewayRate?: number;
}

export class QuotaAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];
  readonly increaseRequests: ServicequotasServiceQuota[] = [];
  /** The Lambda concurrency increase request, when this account files one. */
  readonly lambdaConcurrencyRequest?: ServicequotasServiceQuota;

  constructor(scope: Construct, id: string, props: QuotaAlarmsProps) {
    super(scope, id);
    this.alarms = metricAlarms(this, quotaAlarmSpecs(props), {
      prefix: `${props.prefix}quota-`,
      routing: props.routing,
    });

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

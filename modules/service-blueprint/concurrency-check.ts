// The plan-time half of capacity planning. Validation checks declared traffic against the quota the
// configuration assumes; this reads the quota the account really has. New accounts often start far
// below 1,000 concurrent executions, and reserving more than the quota minus the unreserved minimum
// fails half-way through an apply. A precondition on each function stops the plan instead.
import { Construct } from "constructs";
import { TerraformLocal, TerraformStack, type Precondition } from "cdktf";
import { DataAwsServicequotasServiceQuota } from "@cdktf/provider-aws/lib/data-aws-servicequotas-service-quota";
import { LAMBDA_CONCURRENCY_QUOTA_CODE, LAMBDA_SERVICE_CODE } from "../quota-alarms";
/** The stack-level local holding the quota read at plan time (the rehearsal overrides it). */
export const LAMBDA_QUOTA_LOCAL = "lambda_concurrency_quota";

export interface ConcurrencyCheckProps {
  stackId: string;
  /** Reserved concurrency of every function of this stack, together. */
  reserved: number;
  /** Executions AWS keeps unreserved in every account. */
  unreservedMinimum: number;
  /** Terraform address of the quota increase request this stack files, if any. */
  requestAddress?: string;
}

export class ConcurrencyCheck extends Construct {
  /** For the lifecycle of every function that reserves concurrency. */
  readonly precondition: Precondition;

  constructor(scope: Construct, id: string, props: ConcurrencyCheckProps) {
    super(scope, id);
    const quota = new DataAwsServicequotasServiceQuota(this, "lambda-concurrency", {
      serviceCode: LAMBDA_SERVICE_CODE,
      quotaCode: LAMBDA_CONCURRENCY_QUOTA_CODE,
    });
    new TerraformLocal(TerraformStack.of(this), LAMBDA_QUOTA_LOCAL, quota.value);
    const value = `local.${LAMBDA_QUOTA_LOCAL}`;
    const needed = props.reserved + props.unreservedMinimum;
    const request = props.requestAddress
      ? ` The increase this stack requests is filed by: terraform apply -target=${props.requestAddress}; plan again once AWS has granted it.`
      : " Request an increase (quotas.lambdaConcurrentExecutions in the team file files the request) or lower the declared traffic.";
    this.precondition = {
      condition: `\${${value} >= ${needed}}`,
      errorMessage: `${props.stackId}: this account's Lambda concurrent executions quota is \${${value}}, but the blueprint reserves ${props.reserved} and AWS keeps ${props.unreservedMinimum} unreserved, so it needs at least ${needed}.${request}`,
    };
  }
}

// The settings every account gets, whatever it runs.
import { Construct } from "constructs";
import { S3AccountPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-account-public-access-block";
import { EbsEncryptionByDefault } from "@cdktf/provider-aws/lib/ebs-encryption-by-default";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { LZ_PREFIX } from "../../config/policies";
import { assumeRolePolicy } from "../policy-statements";
import { ConfigRecording, type ConfigRecordingProps } from "../security-baseline/config-recording";
import { awsManagedPolicyArn } from "../../config/partition";
import { AccountSettings, type AccountSettingsProps } from "./account-settings";

/** Construct id of the baseline in every account stack (its resources' addresses start with it). */
export const ACCOUNT_BASELINE_ID = "baseline";

export interface AccountBaselineProps {
  /** Accounts that run API Gateway need the account-level CloudWatch Logs role. */
  apiGatewayLogging: boolean;
  /**
   * AWS Config recording and delivery. Only the log archive account, whose channel must wait for its
   * own bucket's policy, adds ConfigRecording itself.
   */
  config?: ConfigRecordingProps;
  /** The account's alias and alternate contacts (config/model.ts, Account.settings). */
  settings?: AccountSettingsProps;
}

export class AccountBaseline extends Construct {
  /**
   * The account's API Gateway settings, when `apiGatewayLogging` asked for them: a stage that logs
   * must depend on it, since API Gateway refuses stage logging until the account has its role.
   */
  readonly apiGatewayAccount?: ApiGatewayAccount;

  constructor(scope: Construct, id: string, props: AccountBaselineProps) {
    super(scope, id);
    new S3AccountPublicAccessBlock(this, "s3-public-access-block", {
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new EbsEncryptionByDefault(this, "ebs-encryption", { enabled: true });
    if (props.config) new ConfigRecording(this, "config", props.config);
    if (props.settings) new AccountSettings(this, "account", props.settings);
    if (props.apiGatewayLogging) {
      const role = new IamRole(this, "apigateway-logs-role", {
        name: `${LZ_PREFIX}apigateway-cloudwatch-logs`,
        description: "Lets API Gateway write access and execution logs to CloudWatch Logs",
        assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com"),
      });
      new IamRolePolicyAttachment(this, "apigateway-logs-policy", {
        role: role.name,
        policyArn: awsManagedPolicyArn("service-role/AmazonAPIGatewayPushToCloudWatchLogs"),
      });
      this.apiGatewayAccount = new ApiGatewayAccount(this, "apigateway-account", {
        cloudwatchRoleArn: role.arn,
      });
    }
  }
}

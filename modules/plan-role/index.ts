// The read-only role plans assume in a member account (`planRoleName`), so a pull request's plan
// never runs as the platform role's administrator. It may read the configuration of every resource
// type the stacks manage (AWS's ReadOnlyAccess: Describe*, Get*, List* across services; the
// narrower ViewOnlyAccess is made for the console's lists and lacks many of the Get* calls a refresh
// makes, a key's or a bucket's policy among them) and is denied the data those services hold: objects, items, messages, log
// events, secret values. No stack manages an S3 object, a table item, a secret value or a
// parameter, so a refresh never needs them. One read the refresh does need returns a secret:
// `aws_api_gateway_api_key` reads the key's value (Terraform marks it sensitive, and `npm run plan`
// writes plan.json with a digest in its place).
//
// Only the management account's plan role (the pull-request OIDC role, `planRoleTrustedArn`) may
// assume it. The state backend is reached by that role, not this one (docs/operations.md, "Roles
// and trust policies").
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { awsManagedPolicyArn } from "../../config/partition";
import { policyDocument } from "../policy-statements";

/** Data-plane reads ReadOnlyAccess allows that no plan needs. */
export const PLAN_ROLE_DENIED_READS = [
  "s3:GetObject",
  "s3:GetObjectVersion",
  "s3:GetObjectAttributes",
  "dynamodb:GetItem",
  "dynamodb:BatchGetItem",
  "dynamodb:Query",
  "dynamodb:Scan",
  "dynamodb:GetRecords",
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "sqs:ReceiveMessage",
  "kinesis:GetRecords",
  "logs:GetLogEvents",
  "logs:FilterLogEvents",
  "logs:StartQuery",
  "logs:GetQueryResults",
  "athena:GetQueryResults",
  "kms:Decrypt",
];

export interface PlanRoleProps {
  name: string;
  /** The one principal that may assume the role: the management account's plan role. */
  trustedArn: string;
}

export class PlanRole extends Construct {
  constructor(scope: Construct, id: string, props: PlanRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: props.name,
      description:
        "Read-only role pull-request plans and drift checks assume (npm run plan -- --role plan); the landing zone's platform role applies",
      maxSessionDuration: 3600,
      assumeRolePolicy: policyDocument([
        {
          Sid: "ManagementPlanRole",
          Effect: "Allow",
          Principal: { AWS: props.trustedArn },
          Action: "sts:AssumeRole",
        },
      ]),
    });
    new IamRolePolicyAttachment(this, "read-only", {
      role: role.name,
      policyArn: awsManagedPolicyArn("ReadOnlyAccess"),
    });
    new IamRolePolicy(this, "no-data-reads", {
      name: "deny-data-reads",
      role: role.name,
      policy: policyDocument([
        {
          Sid: "NoDataReads",
          Effect: "Deny",
          Action: PLAN_ROLE_DENIED_READS,
          Resource: "*",
        },
      ]),
    });
  }
}

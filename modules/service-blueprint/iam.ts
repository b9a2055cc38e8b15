// The blueprint's own least-privilege statements: named actions on named resources only. The document
// envelope and trust policy come from modules/policy-statements.ts.
import type { PolicyStatement } from "../../config/model";
import { denyInsecureTransport, policyDocument } from "../policy-statements";

/** Writing to its own log group; the group is created by Terraform, so no CreateLogGroup. */
export function logStatement(logGroupArn: string): PolicyStatement {
  return {
    Sid: "WriteOwnLogs",
    Effect: "Allow",
    Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
    Resource: `${logGroupArn}:*`,
  };
}

/** X-Ray accepts no resource-level permissions for segment upload; the actions stay named. */
export const TRACING_STATEMENT: PolicyStatement = {
  Sid: "Tracing",
  Effect: "Allow",
  Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
  Resource: "*",
};

export function tableKeyStatement(kmsKeyArn: string, region: string): PolicyStatement {
  return {
    Sid: "TableKey",
    Effect: "Allow",
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: kmsKeyArn,
    Condition: { StringEquals: { "kms:ViaService": `dynamodb.${region}.amazonaws.com` } },
  };
}

/** Queue policy: refuse anything not sent over TLS. */
export function tlsOnlyQueuePolicy(queueArn: string): string {
  return policyDocument([denyInsecureTransport("sqs:*", queueArn)]);
}

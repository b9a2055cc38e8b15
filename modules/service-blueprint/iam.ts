// Least-privilege policy documents for the blueprint's roles: named actions on named resources only.
import type { PolicyStatement } from "../../config/model";
import { denyInsecureTransport } from "../policy-statements";

/**
 * Trust for a role that a service uses on this account's behalf. No aws:SourceAccount condition:
 * Lambda and API Gateway take these roles through iam:PassRole, which never crosses accounts, and
 * they do not promise to send the key when they assume the role (a condition could lock them out).
 */
export function assumeRolePolicy(service: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{ Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" }],
  });
}

export function policyDocument(statements: PolicyStatement[]): string {
  return JSON.stringify({ Version: "2012-10-17", Statement: statements });
}

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

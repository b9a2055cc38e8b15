// Least-privilege policy documents for the blueprint's roles: named actions on named resources only.
import type { PolicyStatement } from "../../config/model";

export function assumeRolePolicy(service: string, accountId: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: service },
        Action: "sts:AssumeRole",
        // Only this account's resources may hand the role to the service (confused deputy).
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
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
  return policyDocument([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "sqs:*",
      Resource: queueArn,
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
}

// The policy-document pieces several modules write, in one place so they cannot drift apart: the
// document envelope, a service's trust policy, the account-root key administration statement and the
// TLS-only deny. Key order inside each object is part of the synthesized JSON, so it is fixed here.

import { accountRootArn, type Partition } from "../config/arn";
import { POLICY_VERSION } from "../config/policies";

/** A policy document (identity, resource, key or trust policy) as the JSON string Terraform takes. */
export function policyDocument(statements: object[]): string {
  return JSON.stringify({ Version: POLICY_VERSION, Statement: statements });
}

/**
 * Trust for a role that a service uses on this account's behalf. Without `sourceAccount`, no
 * aws:SourceAccount condition: Lambda and API Gateway take these roles through iam:PassRole, which
 * never crosses accounts, and they do not promise to send the key when they assume the role (a
 * condition could lock them out). A service that assumes the role on its own, for a resource it names
 * (EventBridge for a rule, Config for an aggregator), is held to `sourceAccount` (confused deputy).
 */
export function assumeRolePolicy(service: string, sourceAccount?: string): string {
  return policyDocument([
    {
      Effect: "Allow",
      Principal: { Service: service },
      Action: "sts:AssumeRole",
      ...(sourceAccount
        ? { Condition: { StringEquals: { "aws:SourceAccount": sourceAccount } } }
        : {}),
    },
  ]);
}

/**
 * A key policy's statement that the owning account (through IAM) administers the key. Without it
 * no IAM policy in the account can grant use of the key, and a key nobody administers cannot be fixed.
 */
export function accountRootAllows(
  sid: string,
  accountId: string,
  actions: string | string[],
  partition: Partition,
) {
  return {
    Sid: sid,
    Effect: "Allow" as const,
    Principal: { AWS: accountRootArn(partition, accountId) },
    Action: actions,
    Resource: "*",
  };
}

/** Refuses every request to `resource` that does not arrive over TLS. */
export function denyInsecureTransport(action: string, resource: string | string[]) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny" as const,
    Principal: "*",
    Action: action,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

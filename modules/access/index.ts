// IAM Identity Center: the instance lookup, permission sets, identity store groups and account
// assignments. stacks/access-stack.ts decides which of them each stack holds.
import type { Construct } from "constructs";
import { DataAwsSsoadminPermissionSet } from "@cdktf/provider-aws/lib/data-aws-ssoadmin-permission-set";

export { IdentityCenterInstance } from "./identity-center";
export { PermissionSet, type PermissionSetProps } from "./permission-set";
export { IdentityGroup, type GroupSource, type IdentityGroupProps } from "./group";
export { AccountAssignment, type AccountAssignmentProps } from "./assignment";

/**
 * A permission set another stack created, read by name at plan time (no remote state): that stack
 * must be applied first, else the plan stops here naming the missing set.
 */
export function permissionSetArnLookup(
  scope: Construct,
  id: string,
  instanceArn: string,
  name: string,
): string {
  return new DataAwsSsoadminPermissionSet(scope, id, { instanceArn, name }).arn;
}

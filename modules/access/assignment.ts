// One group given one permission set in one account. Identity Center provisions the set's role into
// the account (through its own service-linked role, which SCPs do not restrict) and removes it with
// the assignment.
import { Construct } from "constructs";
import { Op, Token, type ITerraformDependable } from "cdktf";
import { SsoadminAccountAssignment } from "@cdktf/provider-aws/lib/ssoadmin-account-assignment";

export interface AccountAssignmentProps {
  instanceArn: string;
  permissionSetArn: string;
  groupId: string;
  accountId: string;
  /** The management account's id: an assignment there is refused, whatever the caller passes. */
  managementAccountId: string;
  /** The permission set's attachments, when they are in the same stack. */
  dependsOn?: ITerraformDependable[];
}

export class AccountAssignment extends Construct {
  readonly assignment: SsoadminAccountAssignment;

  constructor(scope: Construct, id: string, props: AccountAssignmentProps) {
    super(scope, id);
    if (props.accountId === props.managementAccountId) {
      throw new Error(
        `${this.node.path}: an assignment in the management account (${props.accountId}) is refused; the landing zone assigns only core and team accounts`,
      );
    }
    this.assignment = new SsoadminAccountAssignment(this, "assignment", {
      instanceArn: props.instanceArn,
      permissionSetArn: props.permissionSetArn,
      principalType: "GROUP",
      principalId: props.groupId,
      targetType: "AWS_ACCOUNT",
      targetId: props.accountId,
      dependsOn: props.dependsOn?.length ? props.dependsOn : undefined,
      // The check above sees only literal ids; an account the organization stack creates is known
      // at plan time, and this refuses it there.
      lifecycle: Token.isUnresolved(props.accountId)
        ? {
            precondition: [
              {
                condition: Op.neq(props.accountId, props.managementAccountId),
                errorMessage: `An Identity Center assignment in the management account (${props.managementAccountId}) is refused: the landing zone assigns only core and team accounts.`,
              },
            ],
          }
        : undefined,
    });
  }
}

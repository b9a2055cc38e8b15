// One permission set: the role Identity Center provisions into every account the set is assigned to,
// with its AWS managed policies, inline policy, permissions boundary and session length.
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { SsoadminPermissionSet } from "@cdktf/provider-aws/lib/ssoadmin-permission-set";
import { SsoadminManagedPolicyAttachment } from "@cdktf/provider-aws/lib/ssoadmin-managed-policy-attachment";
import { SsoadminPermissionSetInlinePolicy } from "@cdktf/provider-aws/lib/ssoadmin-permission-set-inline-policy";
import { SsoadminPermissionsBoundaryAttachment } from "@cdktf/provider-aws/lib/ssoadmin-permissions-boundary-attachment";
import { distinctIds } from "../construct-ids";

export interface PermissionSetProps {
  instanceArn: string;
  name: string;
  description: string;
  /** ISO 8601, PT1H to PT12H. */
  sessionDuration: string;
  managedPolicyArns: string[];
  /** Minified JSON of an identity policy. */
  inlinePolicy?: string;
  permissionsBoundary?: {
    managedPolicyArn?: string;
    customerManagedPolicy?: { name: string; path: string };
  };
}

export class PermissionSet extends Construct {
  readonly permissionSet: SsoadminPermissionSet;
  /**
   * What an assignment of this set must wait for. Each attachment re-provisions the set, and an
   * assignment created meanwhile fails with ConflictException or gets a role without its policies.
   */
  readonly provisioned: ITerraformDependable[] = [];

  constructor(scope: Construct, id: string, props: PermissionSetProps) {
    super(scope, id);
    const { instanceArn } = props;
    this.permissionSet = new SsoadminPermissionSet(this, "set", {
      instanceArn,
      name: props.name,
      description: props.description,
      sessionDuration: props.sessionDuration,
    });
    const permissionSetArn = this.permissionSet.arn;
    const policyPath = (arn: string) => arn.replace(/^.*:policy\//, "");
    // job-function/ViewOnlyAccess and job-function-ViewOnlyAccess read alike; `~` is in no ARN.
    const ids = distinctIds(
      props.managedPolicyArns,
      (arn) => `managed-${policyPath(arn).replaceAll("/", "-")}`,
      (arn) => `managed~${policyPath(arn).replaceAll("/", "~")}`,
    );
    for (const arn of props.managedPolicyArns) {
      const attachment = new SsoadminManagedPolicyAttachment(this, ids.get(arn)!, {
        instanceArn,
        permissionSetArn,
        managedPolicyArn: arn,
      });
      this.provisioned.push(attachment);
    }
    if (props.inlinePolicy !== undefined) {
      this.provisioned.push(
        new SsoadminPermissionSetInlinePolicy(this, "inline", {
          instanceArn,
          permissionSetArn,
          inlinePolicy: props.inlinePolicy,
        }),
      );
    }
    const boundary = props.permissionsBoundary;
    if (boundary) {
      const attachment = new SsoadminPermissionsBoundaryAttachment(this, "boundary", {
        instanceArn,
        permissionSetArn,
        permissionsBoundary: {
          managedPolicyArn: boundary.managedPolicyArn,
          customerManagedPolicyReference: boundary.customerManagedPolicy,
        },
      });
      this.provisioned.push(attachment);
    }
  }
}

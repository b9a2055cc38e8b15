// A group of the Identity Center identity store: created here, or an existing one (synced from an
// identity provider, or created by another stack) read at plan time by display name or id, so a
// misspelt name stops the plan instead of an assignment failing later.
import { Construct } from "constructs";
import { IdentitystoreGroup } from "@cdktf/provider-aws/lib/identitystore-group";
import { DataAwsIdentitystoreGroup } from "@cdktf/provider-aws/lib/data-aws-identitystore-group";

export type GroupSource =
  | { create: { displayName: string; description?: string } }
  | { displayName: string }
  | { id: string };

export interface IdentityGroupProps {
  identityStoreId: string;
  group: GroupSource;
}

export class IdentityGroup extends Construct {
  /** The group's id in the identity store, what assignments name as principal. */
  readonly groupId: string;

  constructor(scope: Construct, id: string, { identityStoreId, group }: IdentityGroupProps) {
    super(scope, id);
    if ("create" in group) {
      this.groupId = new IdentitystoreGroup(this, "group", {
        identityStoreId,
        displayName: group.create.displayName,
        description: group.create.description,
      }).groupId;
      return;
    }
    const lookup = new DataAwsIdentitystoreGroup(
      this,
      "lookup",
      "id" in group
        ? { identityStoreId, groupId: group.id }
        : {
            identityStoreId,
            alternateIdentifier: {
              uniqueAttribute: { attributePath: "DisplayName", attributeValue: group.displayName },
            },
          },
    );
    this.groupId = lookup.groupId;
  }
}

// What an account says about itself: its IAM alias and the people AWS writes to about security,
// operations and billing. Written from inside the account (no account_id), so a team's contact or
// alias change plans that team's stacks only, and needs no trusted access in the organization.
import { Construct } from "constructs";
import { AccountAlternateContact } from "@cdktf/provider-aws/lib/account-alternate-contact";
import { IamAccountAlias } from "@cdktf/provider-aws/lib/iam-account-alias";
import type { AccountSettings as Settings } from "../../config/model";
import { ALTERNATE_CONTACT_TYPES } from "../../config/schema/account-settings";

export type AccountSettingsProps = Pick<Settings, "alternateContacts" | "alias">;

export class AccountSettings extends Construct {
  constructor(scope: Construct, id: string, props: AccountSettingsProps) {
    super(scope, id);
    // An account has one alias: creating it replaces whatever alias the account had.
    if (props.alias) new IamAccountAlias(this, "alias", { accountAlias: props.alias.value });
    for (const type of ALTERNATE_CONTACT_TYPES) {
      const contact = props.alternateContacts[type];
      if (!contact) continue;
      // PutAlternateContact overwrites: an adopted account's existing contact is replaced, not imported.
      new AccountAlternateContact(this, `alternate-contact-${type}`, {
        alternateContactType: type.toUpperCase(),
        name: contact.name,
        title: contact.title,
        emailAddress: contact.email,
        phoneNumber: contact.phone,
      });
    }
  }
}

// Security Hub in one region of the security account, administering the organization: the hub
// first (designating an account enables Security Hub there), then the designation through the
// management account, then the organization configuration that enables new members with the
// default standards. The administrator subscribes to AWS Foundational Security Best Practices
// itself. Member accounts never enable Security Hub on their own.
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubOrganizationAdminAccount } from "@cdktf/provider-aws/lib/securityhub-organization-admin-account";
import { SecurityhubOrganizationConfiguration } from "@cdktf/provider-aws/lib/securityhub-organization-configuration";
import { SecurityhubStandardsSubscription } from "@cdktf/provider-aws/lib/securityhub-standards-subscription";

/** The AWS Foundational Security Best Practices standard in `region` (no account in the ARN). */
export const fsbpStandardArn = (region: string) =>
  `arn:aws:securityhub:${region}::standards/aws-foundational-security-best-practices/v/1.0.0`;

export interface OrganizationSecurityHubProps {
  provider?: AwsProvider;
  managementProvider: AwsProvider;
  region: string;
  adminAccountId: string;
}

export class OrganizationSecurityHub extends Construct {
  constructor(scope: Construct, id: string, props: OrganizationSecurityHubProps) {
    super(scope, id);
    const provider = props.provider;
    const hub = new SecurityhubAccount(this, "hub", {
      provider,
      // FSBP is subscribed explicitly below; the default set would add CIS v1.2.0 as well.
      enableDefaultStandards: false,
      // One finding per control across standards, as AWS recommends for new hubs.
      controlFindingGenerator: "SECURITY_CONTROL",
      autoEnableControls: true,
    });
    new SecurityhubStandardsSubscription(this, "fsbp", {
      provider,
      standardsArn: fsbpStandardArn(props.region),
      dependsOn: [hub],
    });
    const admin = new SecurityhubOrganizationAdminAccount(this, "admin-account", {
      provider: props.managementProvider,
      adminAccountId: props.adminAccountId,
      dependsOn: [hub],
      lifecycle: { preventDestroy: true },
    });
    new SecurityhubOrganizationConfiguration(this, "organization", {
      provider,
      autoEnable: true,
      // New members get the default standards, FSBP among them.
      autoEnableStandards: "DEFAULT",
      dependsOn: [admin],
    });
  }
}

// Security Hub for the whole organization through central configuration, all from the home region of
// the security account. The hub exists first (designating an account enables Security Hub there), then
// the designation through the management account, the finding aggregator (central configuration
// needs one: its region is the home region, the others are linked), the organization configuration
// switched to CENTRAL, and one configuration policy associated with the organization root. The policy
// enables Security Hub and FSBP in every account, existing ones included, in the home region and every
// linked region; AWS sets the same delegated administrator in the linked regions itself.
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityhubAccount } from "@cdktf/provider-aws/lib/securityhub-account";
import { SecurityhubConfigurationPolicy } from "@cdktf/provider-aws/lib/securityhub-configuration-policy";
import { SecurityhubConfigurationPolicyAssociation } from "@cdktf/provider-aws/lib/securityhub-configuration-policy-association";
import { SecurityhubFindingAggregator } from "@cdktf/provider-aws/lib/securityhub-finding-aggregator";
import { SecurityhubOrganizationAdminAccount } from "@cdktf/provider-aws/lib/securityhub-organization-admin-account";
import { SecurityhubOrganizationConfiguration } from "@cdktf/provider-aws/lib/securityhub-organization-configuration";
import { arn, type Partition } from "../../config/arn";
import { LZ_PREFIX } from "../../config/policies";

/**
 * The AWS Foundational Security Best Practices standard (no account in the ARN). A configuration
 * policy names it with the home region's ARN and enables it in every linked region as well.
 */
export const fsbpStandardArn = (partition: Partition, region: string) =>
  arn(
    partition,
    "securityhub",
    region,
    "",
    "standards/aws-foundational-security-best-practices/v/1.0.0",
  );

export interface OrganizationSecurityHubProps {
  /** The security account in the home region; undefined for the stack's default provider. */
  provider?: AwsProvider;
  /** The management account in the home region, which alone may designate the administrator. */
  managementProvider: AwsProvider;
  homeRegion: string;
  /** The other allowed regions, where the configuration policy applies too. */
  linkedRegions: string[];
  adminAccountId: string;
  /** The organization root, to which the policy is attached so every account inherits it. */
  rootId: string;
  partition: Partition;
}

export class OrganizationSecurityHub extends Construct {
  constructor(scope: Construct, id: string, props: OrganizationSecurityHubProps) {
    super(scope, id);
    const provider = props.provider;
    const hub = new SecurityhubAccount(this, "hub", {
      provider,
      // The configuration policy chooses the standards; the default set would add CIS v1.2.0.
      enableDefaultStandards: false,
      // One finding per control across standards, as AWS recommends for new hubs.
      controlFindingGenerator: "SECURITY_CONTROL",
      autoEnableControls: true,
    });
    const admin = new SecurityhubOrganizationAdminAccount(this, "admin-account", {
      provider: props.managementProvider,
      adminAccountId: props.adminAccountId,
      dependsOn: [hub],
      lifecycle: { preventDestroy: true },
    });
    const aggregator = new SecurityhubFindingAggregator(this, "aggregator", {
      provider,
      ...(props.linkedRegions.length > 0
        ? { linkingMode: "SPECIFIED_REGIONS", specifiedRegions: props.linkedRegions }
        : { linkingMode: "NO_REGIONS" }),
      dependsOn: [admin],
    });
    // CENTRAL takes enrolment away from auto-enable: the policy below covers existing and new accounts.
    const organization = new SecurityhubOrganizationConfiguration(this, "organization", {
      provider,
      autoEnable: false,
      autoEnableStandards: "NONE",
      organizationConfiguration: { configurationType: "CENTRAL" },
      dependsOn: [aggregator, admin],
    });
    const policy = new SecurityhubConfigurationPolicy(this, "policy", {
      provider,
      name: `${LZ_PREFIX}organization`,
      description: "Security Hub with AWS Foundational Security Best Practices in every account",
      configurationPolicy: {
        serviceEnabled: true,
        enabledStandardArns: [fsbpStandardArn(props.partition, props.homeRegion)],
        // No control disabled: every control, and every control AWS releases later, is enabled.
        securityControlsConfiguration: { disabledControlIdentifiers: [] },
      },
      dependsOn: [organization],
    });
    new SecurityhubConfigurationPolicyAssociation(this, "root", {
      provider,
      policyId: policy.id,
      targetId: props.rootId,
    });
  }
}

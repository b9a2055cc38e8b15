// Amazon Inspector in one region of the security account, administering the organization: the
// designation through the management account, scanning of Lambda functions (standard: packages and
// layers; code: the function's own code) switched on for every account the landing zone has, and
// auto-enabled for accounts that join later. EC2 and ECR scanning stay off: the blueprint runs
// neither. Inspector's findings reach the administrator's event bus, and FindingsRouting pages the
// high and critical ones.
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Inspector2DelegatedAdminAccount } from "@cdktf/provider-aws/lib/inspector2-delegated-admin-account";
import { Inspector2Enabler } from "@cdktf/provider-aws/lib/inspector2-enabler";
import { Inspector2OrganizationConfiguration } from "@cdktf/provider-aws/lib/inspector2-organization-configuration";

/** Inspector's resource types for Lambda standard and Lambda code scanning. */
export const INSPECTOR_RESOURCE_TYPES = ["LAMBDA", "LAMBDA_CODE"];

export interface OrganizationInspectorProps {
  /** The security account's provider in this region; undefined for the stack's default. */
  provider?: AwsProvider;
  /** The management account's provider in this region, which designates the administrator. */
  managementProvider: AwsProvider;
  /** The security account's id. */
  adminAccountId: string;
  /** Every other account to scan now (quote-free ids or plan-time expressions). */
  memberAccountIds: string[];
}

export class OrganizationInspector extends Construct {
  constructor(scope: Construct, id: string, props: OrganizationInspectorProps) {
    super(scope, id);
    const admin = new Inspector2DelegatedAdminAccount(this, "admin-account", {
      provider: props.managementProvider,
      accountId: props.adminAccountId,
      // Losing the administrator stops organization-wide scanning; moving it is deliberate.
      lifecycle: { preventDestroy: true },
    });
    // Auto-enable covers accounts that join later; the accounts that exist are enabled below.
    new Inspector2OrganizationConfiguration(this, "organization", {
      provider: props.provider,
      autoEnable: { ec2: false, ecr: false, lambda: true, lambdaCode: true },
      dependsOn: [admin],
    });
    // The provider takes the administrator or members in one enabler, never both; the members'
    // scanning is switched on by the administrator, which is enabled first.
    const self = new Inspector2Enabler(this, "administrator", {
      provider: props.provider,
      accountIds: [props.adminAccountId],
      resourceTypes: INSPECTOR_RESOURCE_TYPES,
      dependsOn: [admin],
    });
    if (props.memberAccountIds.length > 0) {
      new Inspector2Enabler(this, "members", {
        provider: props.provider,
        accountIds: props.memberAccountIds,
        resourceTypes: INSPECTOR_RESOURCE_TYPES,
        dependsOn: [self],
      });
    }
  }
}

// What the management account registers so the security account can run organization-wide
// services through AWS Organizations. GuardDuty and Security Hub designate their administrator
// through their own APIs (modules/security-baseline/guardduty.ts, security-hub.ts), which register
// with Organizations themselves, so they are not listed here.
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { OrganizationsDelegatedAdministrator } from "@cdktf/provider-aws/lib/organizations-delegated-administrator";

/** Services the security account administers through a plain Organizations registration. */
export const DELEGATED_SERVICES = [
  // The organization aggregator.
  "config.amazonaws.com",
  // Organization conformance packs and rules, should the security team deploy them.
  "config-multiaccountsetup.amazonaws.com",
  // The organization-wide access analyzer.
  "access-analyzer.amazonaws.com",
];

export interface SecurityDelegationProps {
  /** The security account's id (a literal or a quote-free plan-time expression). */
  securityAccountId: string;
  /** Registration needs trusted access, which the organization resource turns on. */
  dependsOn: ITerraformDependable[];
}

export class SecurityDelegation extends Construct {
  constructor(scope: Construct, id: string, props: SecurityDelegationProps) {
    super(scope, id);
    for (const service of DELEGATED_SERVICES) {
      new OrganizationsDelegatedAdministrator(this, service.split(".")[0], {
        accountId: props.securityAccountId,
        servicePrincipal: service,
        dependsOn: props.dependsOn,
        // Removing the administrator by accident would switch off the organization's aggregator and
        // analyzer; moving it to another account is a deliberate, documented step (docs/security.md).
        lifecycle: { preventDestroy: true },
      });
    }
  }
}

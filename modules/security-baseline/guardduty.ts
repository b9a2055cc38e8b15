// GuardDuty in one region of the security account, administering the organization: its own
// detector first (designating an account enables GuardDuty there, and a detector created afterwards
// would clash with that one), then the designation through the management account, then the
// organization configuration that enables every member, present and future. Member accounts never
// create detectors of their own.
//
// Protection plans for a serverless workload (GuardDuty User Guide): the foundational sources
// (CloudTrail management events, VPC flow logs, DNS logs) are always on; S3 Protection
// (S3_DATA_EVENTS) and Lambda Protection (LAMBDA_NETWORK_LOGS) are enabled. Runtime Monitoring is
// left off: its agent covers EC2, ECS and EKS, not Lambda. EKS, EBS malware and RDS protection do
// not apply to the blueprint.
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GuarddutyDetector } from "@cdktf/provider-aws/lib/guardduty-detector";
import { GuarddutyDetectorFeature } from "@cdktf/provider-aws/lib/guardduty-detector-feature";
import { GuarddutyOrganizationAdminAccount } from "@cdktf/provider-aws/lib/guardduty-organization-admin-account";
import { GuarddutyOrganizationConfiguration } from "@cdktf/provider-aws/lib/guardduty-organization-configuration";
import { GuarddutyOrganizationConfigurationFeature } from "@cdktf/provider-aws/lib/guardduty-organization-configuration-feature";

export const GUARDDUTY_FEATURES = ["S3_DATA_EVENTS", "LAMBDA_NETWORK_LOGS"] as const;

export interface OrganizationGuardDutyProps {
  /** The security account's provider in this region; undefined for the stack's default. */
  provider?: AwsProvider;
  /** The management account's provider in this region, which designates the administrator. */
  managementProvider: AwsProvider;
  /** The security account's id. */
  adminAccountId: string;
}

export class OrganizationGuardDuty extends Construct {
  readonly detector: GuarddutyDetector;

  constructor(scope: Construct, id: string, props: OrganizationGuardDutyProps) {
    super(scope, id);
    const provider = props.provider;
    this.detector = new GuarddutyDetector(this, "detector", {
      provider,
      enable: true,
      // Updates to existing findings reach EventBridge (and so the critical topic) within 15 min.
      findingPublishingFrequency: "FIFTEEN_MINUTES",
    });
    for (const name of GUARDDUTY_FEATURES) {
      new GuarddutyDetectorFeature(this, `feature-${slug(name)}`, {
        provider,
        detectorId: this.detector.id,
        name,
        status: "ENABLED",
      });
    }
    const admin = new GuarddutyOrganizationAdminAccount(this, "admin-account", {
      provider: props.managementProvider,
      adminAccountId: props.adminAccountId,
      dependsOn: [this.detector],
      // Losing the administrator stops organization-wide detection; moving it is deliberate.
      lifecycle: { preventDestroy: true },
    });
    const organization = new GuarddutyOrganizationConfiguration(this, "organization", {
      provider,
      detectorId: this.detector.id,
      autoEnableOrganizationMembers: "ALL",
      dependsOn: [admin],
    });
    for (const name of GUARDDUTY_FEATURES) {
      new GuarddutyOrganizationConfigurationFeature(this, `organization-feature-${slug(name)}`, {
        provider,
        detectorId: this.detector.id,
        name,
        autoEnable: "ALL",
        dependsOn: [organization],
      });
    }
  }
}

const slug = (s: string) => s.toLowerCase().replaceAll("_", "-");

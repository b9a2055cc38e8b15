// `security`: the audit account and the delegated administrator of the organization's security
// services. In every allowed region: GuardDuty for the whole organization (designated through the
// management account once this account's own detector exists), an organization access analyzer, and
// EventBridge rules that send high-severity findings to that region's central critical topic. In the
// home region: Security Hub's central configuration, which reaches every allowed region, and the
// organization's AWS Config aggregator.
import { Construct } from "constructs";
import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { ConfigConfigurationAggregator } from "@cdktf/provider-aws/lib/config-configuration-aggregator";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import type { LandingZone } from "../config/model";
import { SECURITY_FINDINGS_ROLE_NAME } from "../config/names";
import { LZ_PREFIX } from "../config/policies";
import { AccountBaseline } from "../modules/account-baseline";
import { assumeRolePolicy } from "../modules/policy-statements";
import {
  FindingsRouting,
  OrganizationGuardDuty,
  OrganizationSecurityHub,
} from "../modules/security-baseline";
import { AccountStack } from "./account-stack";
import { configRecordingOf } from "./config-recording";
import { addCoreQuotaAlarms, centralTopicArns, regionalProviders } from "./observability-wiring";
import { awsManagedPolicyArn } from "../config/partition";

export class SecurityStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.security;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, "baseline", {
      apiGatewayLogging: false,
      config: configRecordingOf(this, lz, account.configRecorder),
    });
    addCoreQuotaAlarms(this, lz, id);
    // Replaced when switched from ACCOUNT (Access Analyzer cannot change an analyzer's type): the
    // organization analyzer needs the delegation the organization stack registers.
    new AccessanalyzerAnalyzer(this, "access-analyzer", {
      analyzerName: `${LZ_PREFIX}organization-access`,
      type: "ORGANIZATION",
    });

    // GuardDuty, Security Hub and Access Analyzer are regional: AWS recommends them in every region
    // in use, which here is every allowed region (the SCP denies the rest). GuardDuty and the analyzer
    // are set up region by region; Security Hub's central configuration reaches them from the home one.
    const providers = regionalProviders(this, lz);
    const adminAccountId = this.accountIdExpression;
    for (const [region, provider] of providers) {
      const managementProvider = this.managementProvider(region);
      new OrganizationGuardDuty(this, `guardduty-${region}`, {
        provider,
        managementProvider,
        adminAccountId,
      });
      if (region !== lz.org.homeRegion) {
        new AccessanalyzerAnalyzer(this, `access-analyzer-${region}`, {
          provider,
          analyzerName: `${LZ_PREFIX}organization-access`,
          type: "ORGANIZATION",
        });
      }
    }
    // The construct id keeps the logical ids the home region's hub and designation had before.
    new OrganizationSecurityHub(this, `securityhub-${lz.org.homeRegion}`, {
      provider: providers.get(lz.org.homeRegion),
      managementProvider: this.managementProvider(lz.org.homeRegion),
      homeRegion: lz.org.homeRegion,
      linkedRegions: [...providers.keys()].filter((r) => r !== lz.org.homeRegion),
      adminAccountId,
      rootId: this.organizationRootIdExpression(),
    });
    new FindingsRouting(this, "findings", {
      providers,
      homeRegion: lz.org.homeRegion,
      criticalTopicArn: (region) => centralTopicArns(this, lz, region).critical,
      observabilityAccountId: this.accountIdOf(lz.coreAccounts.observability),
      accountId: adminAccountId,
      roleName: SECURITY_FINDINGS_ROLE_NAME,
    });

    // One aggregator sees every account and region (Config's aggregation is cross-region itself).
    const aggregatorRole = new IamRole(this, "config-aggregator-role", {
      name: `${LZ_PREFIX}config-aggregator`,
      description: "Lets AWS Config read the organization's accounts for the aggregator",
      // Config assumes it for this account's aggregator only (confused deputy).
      assumeRolePolicy: assumeRolePolicy("config.amazonaws.com", adminAccountId),
    });
    const attachment = new IamRolePolicyAttachment(this, "config-aggregator-policy", {
      role: aggregatorRole.name,
      policyArn: awsManagedPolicyArn("service-role/AWSConfigRoleForOrganizations"),
    });
    new ConfigConfigurationAggregator(this, "config-aggregator", {
      name: `${LZ_PREFIX}organization`,
      organizationAggregationSource: { allRegions: true, roleArn: aggregatorRole.arn },
      dependsOn: [attachment],
    });
  }
}

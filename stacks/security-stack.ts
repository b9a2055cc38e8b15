// `security`: the audit account and the delegated administrator of the organization's security
// services. In every allowed region: GuardDuty for the whole organization (designated through the
// management account once this account's own detector exists), Amazon Inspector's Lambda scanning, an
// organization access analyzer, and EventBridge rules that send high-severity findings to that
// region's central critical topic. In the home region: Security Hub's central configuration, which
// reaches every allowed region, the unused-access analyzer (IAM is global) and the organization's AWS
// Config aggregator.
import { Construct } from "constructs";
import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import { ConfigConfigurationAggregator } from "@cdktf/provider-aws/lib/config-configuration-aggregator";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { allAccounts, type LandingZone } from "../config/model";
import {
  EXTERNAL_ACCESS_ANALYZER_NAME,
  SECURITY_FINDINGS_ROLE_NAME,
  UNUSED_ACCESS_ANALYZER_NAME,
} from "../config/names";
import { LZ_PREFIX } from "../config/policies";
import { ACCOUNT_BASELINE_ID, AccountBaseline } from "../modules/account-baseline";
import { assumeRolePolicy } from "../modules/policy-statements";
import {
  FindingsRouting,
  OrganizationGuardDuty,
  OrganizationInspector,
  OrganizationSecurityHub,
} from "../modules/security-baseline";
import type { FindingSource } from "../modules/security-baseline/findings-routing";
import { AccountStack } from "./account-stack";
import { configRecordingOf } from "./config-recording";
import { addCoreQuotaAlarms, centralTopicArns, regionalProviders } from "./observability-wiring";
import { awsManagedPolicyArn } from "../config/partition";

export class SecurityStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.security;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, ACCOUNT_BASELINE_ID, {
      apiGatewayLogging: false,
      config: configRecordingOf(this, lz, account.configRecorder),
      settings: account.settings,
    });
    addCoreQuotaAlarms(this, lz, id);
    // Replaced when switched from ACCOUNT (Access Analyzer cannot change an analyzer's type): the
    // organization analyzer needs the delegation the organization stack registers.
    new AccessanalyzerAnalyzer(this, "access-analyzer", {
      analyzerName: EXTERNAL_ACCESS_ANALYZER_NAME,
      type: "ORGANIZATION",
    });
    // Roles, users and their permissions nobody used for the configured age. IAM is global, so one
    // analyzer (billed per role and user analyzed) covers every region.
    const unused = lz.org.securityServices.unusedAccessAnalyzer;
    if (unused.enabled) {
      new AccessanalyzerAnalyzer(this, "unused-access-analyzer", {
        analyzerName: UNUSED_ACCESS_ANALYZER_NAME,
        type: "ORGANIZATION_UNUSED_ACCESS",
        configuration: { unusedAccess: { unusedAccessAge: unused.unusedAccessAgeDays } },
      });
    }

    // GuardDuty, Security Hub and Access Analyzer are regional: AWS recommends them in every region
    // in use, which here is every allowed region (the SCP denies the rest). GuardDuty and the analyzer
    // are set up region by region; Security Hub's central configuration reaches them from the home one.
    const providers = regionalProviders(this, lz);
    const adminAccountId = this.accountIdExpression;
    const inspector = lz.org.securityServices.inspector.enabled;
    // Every other account the landing zone runs; suspended and closed ones deny all anyway.
    const members = allAccounts(lz)
      .filter((a) => a.status === "active" && a !== account)
      .map((a) => this.accountIdOf(a));
    for (const [region, provider] of providers) {
      const managementProvider = this.managementProvider(region);
      new OrganizationGuardDuty(this, `guardduty-${region}`, {
        provider,
        managementProvider,
        adminAccountId,
      });
      if (inspector) {
        new OrganizationInspector(this, `inspector-${region}`, {
          provider,
          managementProvider,
          adminAccountId,
          memberAccountIds: members,
        });
      }
      if (region !== lz.org.homeRegion) {
        new AccessanalyzerAnalyzer(this, `access-analyzer-${region}`, {
          provider,
          analyzerName: EXTERNAL_ACCESS_ANALYZER_NAME,
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
    const sources: FindingSource[] = [
      "guardduty",
      ...(inspector ? ["inspector" as const] : []),
      "securityhub",
    ];
    new FindingsRouting(this, "findings", {
      sources,
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

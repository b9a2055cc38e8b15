// `organization`: the management account. Organization, OUs, accounts, SCPs and, with an S3 backend,
// the state bucket. The organization trail is the `organization-trail` stack, applied after
// `log-archive` has created its bucket.
import { Construct } from "constructs";
import { allAccounts, type LandingZone } from "../config/model";
import { INSPECTOR_SERVICE_PRINCIPAL, Organization } from "../modules/organization";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { StateBucket } from "../modules/state-bucket";
import { SecurityDelegation } from "../modules/security-baseline";
import { AccountStack, SESSION_NAME } from "./account-stack";

export class OrganizationStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    super(scope, id, { lz, region: lz.org.homeRegion, tags: lz.baseTags });
    const org = new Organization(this, "org", {
      existing: lz.org.existingOrganization,
      organizationalUnits: lz.organizationalUnits,
      accounts: allAccounts(lz),
      platformRoleName: lz.org.platformRoleName,
      serviceControlPolicies: lz.policies,
      resourceControlPolicies: lz.resourceControlPolicies,
      managementPolicies: lz.managementPolicies,
      rootAccessFeatures: rootAccessFeatures(lz),
      extraServicePrincipals: lz.org.securityServices.inspector.enabled
        ? [INSPECTOR_SERVICE_PRINCIPAL]
        : [],
      mandatoryTagKeys: lz.org.tags.mandatory,
    });
    // The security account administers Config aggregation and the organization's access analyzer.
    // GuardDuty and Security Hub are designated from the security stack, after that account's own
    // detector and hub exist (designation would otherwise enable them first and the stack clash).
    new SecurityDelegation(this, "security-delegation", {
      securityAccountId: org.accounts.get(lz.coreAccounts.security.stackId)!.id,
      dependsOn: [org.organization],
    });
    this.adoptStateBucket(lz);
  }

  /** An S3 state backend's bucket is adopted here and kept with prevent_destroy. */
  private adoptStateBucket(lz: LandingZone): void {
    const backend = lz.org.stateBackend;
    if (backend.type !== "s3") return;
    // Same region and credentials as the backend itself, so Terraform manages the bucket it reads.
    const provider =
      backend.region === lz.org.homeRegion && !backend.roleArn
        ? undefined
        : new AwsProvider(this, "state", {
            alias: "state",
            region: backend.region,
            allowedAccountIds: backend.roleArn ? undefined : [lz.org.managementAccountId],
            assumeRole: backend.roleArn
              ? [{ roleArn: backend.roleArn, sessionName: SESSION_NAME }]
              : undefined,
            defaultTags: [{ tags: lz.baseTags }],
          });
    new StateBucket(this, "state-bucket", {
      bucketName: backend.bucket,
      kmsKeyId: backend.kmsKeyId,
      provider,
    });
  }
}

/** The centralized root access features the organization file turns on. */
export function rootAccessFeatures(lz: LandingZone): string[] {
  const root = lz.org.centralizedRootAccess;
  return [
    ...(root.rootCredentialsManagement ? ["RootCredentialsManagement"] : []),
    ...(root.rootSessions ? ["RootSessions"] : []),
  ];
}

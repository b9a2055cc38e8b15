// `organization`: the management account. Organization, OUs, accounts, SCPs, the organization
// trail (which writes to the log archive account's bucket) and, with an S3 backend, the state bucket.
import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import type { LandingZone } from "../config/model";
import { Organization } from "../modules/organization";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { StateBucket } from "../modules/state-bucket";
import { AccountStack, SESSION_NAME } from "./account-stack";

export const trailArn = (lz: LandingZone) =>
  `arn:aws:cloudtrail:${lz.org.homeRegion}:${lz.org.managementAccountId}:trail/${lz.org.cloudTrail.name}`;

export class OrganizationStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    super(scope, id, { lz, region: lz.org.homeRegion, tags: lz.baseTags });
    const organization = new Organization(this, "org", lz);
    new Cloudtrail(this, "organization-trail", {
      name: lz.org.cloudTrail.name,
      s3BucketName: lz.trailBucketName,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
      dependsOn: [organization.organization],
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

// `organization`: the management account. Organization, OUs, accounts, SCPs and the organization
// trail, which writes to the log archive account's bucket.
import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import type { LandingZone } from "../config/model";
import { Organization } from "../modules/organization";
import { AccountStack } from "./account-stack";

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
  }
}

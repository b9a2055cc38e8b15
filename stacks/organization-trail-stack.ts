// `organization-trail`: the organization's CloudTrail trail and the management account's AWS Config. It is its own
// stack so that a new organization applies in one pass: `organization` creates the accounts,
// `log-archive` the encrypted bucket, and only then this stack creates the trail that writes there
// (CloudTrail refuses a trail whose bucket does not exist yet).
import { Construct } from "constructs";
import { Cloudtrail } from "@cdktf/provider-aws/lib/cloudtrail";
import { DataAwsKmsAlias } from "@cdktf/provider-aws/lib/data-aws-kms-alias";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { MANAGEMENT_STACK_IDS, type LandingZone } from "../config/model";
import { TRAIL_KEY_ALIAS } from "../config/names";
import { ConfigRecording } from "../modules/security-baseline";
import { AccountStack, SESSION_NAME } from "./account-stack";
import { configRecordingOf } from "./config-recording";

export const ORGANIZATION_TRAIL_STACK_ID = MANAGEMENT_STACK_IDS[1];

export { trailArn } from "../config/names";

export class OrganizationTrailStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    super(scope, id, { lz, region: lz.org.homeRegion, tags: lz.baseTags });
    const logArchive = lz.coreAccounts.logArchive;
    // The key lives in the log archive account with the bucket; its ARN is assigned by AWS, so it is
    // read at plan time through that account (no remote state: this stack still plans on its own).
    const logArchiveProvider = new AwsProvider(this, "log-archive", {
      alias: "log_archive",
      region: lz.org.homeRegion,
      allowedAccountIds: logArchive.accountId ? [logArchive.accountId] : undefined,
      assumeRole: [
        {
          roleArn: this.memberRoleArn(this.accountIdOf(logArchive)),
          sessionName: SESSION_NAME,
        },
      ],
    });
    const key = new DataAwsKmsAlias(this, "trail-key", {
      provider: logArchiveProvider,
      name: TRAIL_KEY_ALIAS,
    });
    new Cloudtrail(this, "organization-trail", {
      name: lz.org.cloudTrail.name,
      s3BucketName: lz.trailBucketName,
      kmsKeyId: key.targetKeyArn,
      isOrganizationTrail: true,
      isMultiRegionTrail: true,
      includeGlobalServiceEvents: true,
      enableLogFileValidation: true,
    });
    // The management account's own AWS Config; here rather than in `organization` because its
    // delivery channel, like the trail, needs the log archive bucket to exist.
    const config = configRecordingOf(
      this,
      lz,
      lz.org.existingOrganization?.managementConfigRecorder ?? "landing-zone",
    );
    if (config) new ConfigRecording(this, "config", config);
  }
}

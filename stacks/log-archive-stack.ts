// `log-archive`: where the organization's audit trail lives.
import { Construct } from "constructs";
import type { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import type { LandingZone } from "../config/model";
import { ACCOUNT_BASELINE_ID, AccountBaseline } from "../modules/account-baseline";
import { TrailBucket } from "../modules/log-archive";
import { ConfigRecording } from "../modules/security-baseline";
import { AccountStack } from "./account-stack";
import { configRecordingOf } from "./config-recording";
import { addCoreQuotaAlarms } from "./observability-wiring";
import { trailArn } from "./organization-trail-stack";

export class LogArchiveStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.logArchive;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, ACCOUNT_BASELINE_ID, {
      apiGatewayLogging: false,
      settings: account.settings,
    });
    addCoreQuotaAlarms(this, lz, id);
    const trail = new TrailBucket(this, "trail", {
      bucketName: lz.trailBucketName,
      trailArn: trailArn(lz),
      managementAccountId: lz.org.managementAccountId,
      // The key policy is a JSON string: a plan-time lookup must sit in a local to parse there.
      accountId: this.accountIdExpression,
      glacierAfterDays: lz.org.cloudTrail.glacierAfterDays,
      expireAfterDays: lz.org.cloudTrail.expireAfterDays,
      organizationId: this.organizationIdExpression(),
    });
    // This account delivers to its own bucket, so its channel waits for the bucket's policy.
    const config = configRecordingOf(this, lz, account.configRecorder, [
      trail.node.findChild("policy") as S3BucketPolicy,
    ]);
    if (config) new ConfigRecording(this, "config", config);
  }
}

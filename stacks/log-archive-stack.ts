// `log-archive`: where the organization's audit trail lives.
import { Construct } from "constructs";
import type { LandingZone } from "../config/model";
import { AccountBaseline } from "../modules/account-baseline";
import { TrailBucket } from "../modules/log-archive";
import { AccountStack } from "./account-stack";
import { addCoreQuotaAlarms } from "./observability-wiring";
import { trailArn } from "./organization-trail-stack";

export class LogArchiveStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.logArchive;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, "baseline", { apiGatewayLogging: false });
    addCoreQuotaAlarms(this, lz, id);
    new TrailBucket(this, "trail", {
      bucketName: lz.trailBucketName,
      trailArn: trailArn(lz),
      managementAccountId: lz.org.managementAccountId,
      // The key policy is a JSON string: a plan-time lookup must sit in a local to parse there.
      accountId: this.accountIdExpression,
      glacierAfterDays: lz.org.cloudTrail.glacierAfterDays,
      expireAfterDays: lz.org.cloudTrail.expireAfterDays,
    });
  }
}

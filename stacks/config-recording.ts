// Whether a stack records its account with AWS Config. AWS allows one recorder per account and
// region, so an account that already has one (Control Tower's, say) is declared `existing` and the
// landing zone adds none there; the organization aggregator in `security` still sees it.
import type { ITerraformDependable } from "cdktf";
import type { LandingZone } from "../config/model";
import type { ConfigRecordingProps } from "../modules/security-baseline/config-recording";

export function configRecordingOf(
  lz: LandingZone,
  recorder: "landing-zone" | "existing",
  dependsOn?: ITerraformDependable[],
): ConfigRecordingProps | undefined {
  return recorder === "existing" ? undefined : { bucketName: lz.trailBucketName, dependsOn };
}

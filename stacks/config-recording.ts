// Whether and where a stack records its account with AWS Config: in every allowed region (Security
// Hub runs in each, and its controls evaluate through Config), the stack's own region first, which
// records the global resource types. AWS allows one recorder per account and region, so an account
// that already has one (Control Tower's, say) is declared `existing` and the landing zone adds none
// there; the organization aggregator in `security` still sees it.
import type { ITerraformDependable } from "cdktf";
import type { LandingZone } from "../config/model";
import type { ConfigRecordingProps } from "../modules/security-baseline/config-recording";
import type { AccountStack } from "./account-stack";

export function configRecordingOf(
  stack: AccountStack,
  lz: LandingZone,
  recorder: "landing-zone" | "existing",
  dependsOn?: ITerraformDependable[],
): ConfigRecordingProps | undefined {
  if (recorder === "existing") return undefined;
  const own = stack.region;
  const regions = [own, ...lz.org.allowedRegions.filter((r) => r !== own)];
  return {
    bucketName: lz.trailBucketName,
    regions: regions.map((region) => ({ region, provider: stack.providerIn(region) })),
    dependsOn,
  };
}

// One partition per organization (config/partition.ts): the home region decides it, and it must be
// one the landing zone supports; every region the configuration names and every ARN a user writes
// must be in it. An SCP that spares the platform role's ARN in one partition does not spare it in
// another, so a mix would lock the platform role out or point a policy at nothing.
import type { LandingZone } from "../model";
import {
  PARTITIONS,
  SUPPORTED_PARTITION,
  partitionOf,
  partitionOfArn,
  type Partition,
} from "../partition";
import type { Context, Report } from "./context";

/** The organization's partition, from its home region; undefined while the home region is unknown. */
export const organizationPartition = (lz: LandingZone): Partition | undefined =>
  partitionOf(lz.org.homeRegion);

/** Why `arn` (a user's) cannot be used in this organization, or undefined. */
export function arnPartitionProblem(arn: string, lz: LandingZone): string | undefined {
  const home = organizationPartition(lz);
  const written = partitionOfArn(arn);
  if (home === undefined || written === home) return undefined;
  return `is an ARN of the ${written} partition; this organization is in ${home} (homeRegion ${lz.org.homeRegion}), and an ARN of another partition names nothing there`;
}

export function checkPartition({ lz, report }: Context): void {
  const file = lz.organizationFile;
  const home = organizationPartition(lz);
  if (home === undefined) return; // an unknown home region is reported by checkRegionsKnown
  if (home !== SUPPORTED_PARTITION) {
    report(
      file,
      "homeRegion",
      `is in the ${home} partition (${PARTITIONS[home].name}); the landing zone supports only the ${SUPPORTED_PARTITION} partition (${PARTITIONS[SUPPORTED_PARTITION].name}): GovCloud and China accounts are created and governed differently (docs/configuration.md, "Partitions")`,
      lz.org.homeRegion,
    );
  }
  const region = (at: string, r: string, where = file) => {
    const p = partitionOf(r);
    if (p !== undefined && p !== home) {
      report(
        where,
        at,
        `is in the ${p} partition; every region must be in homeRegion's partition, ${home} (${lz.org.homeRegion})`,
        r,
      );
    }
  };
  lz.org.allowedRegions.forEach((r, i) => region(`allowedRegions[${i}]`, r));
  if (lz.org.stateBackend.type === "s3") region("stateBackend.region", lz.org.stateBackend.region);
  for (const team of lz.teams) {
    for (const [env, def] of Object.entries(team.raw.environments)) {
      if (def.region !== undefined) region(`environments.${env}.region`, def.region, team.file);
    }
  }
  checkArns(lz, report);
}

/** The ARNs organization.yaml holds (a team's table key is checked with its environment). */
function checkArns(lz: LandingZone, report: Report): void {
  const file = lz.organizationFile;
  const arn = (at: string, value: string | undefined) => {
    if (value === undefined || !value.startsWith("arn:")) return;
    const problem = arnPartitionProblem(value, lz);
    if (problem) report(file, at, problem, value);
  };
  if (lz.org.stateBackend.type === "s3") {
    arn("stateBackend.roleArn", lz.org.stateBackend.roleArn);
    arn("stateBackend.kmsKeyId", lz.org.stateBackend.kmsKeyId);
  }
  for (const [name, set] of Object.entries(lz.org.access?.permissionSets ?? {})) {
    const at = `access.permissionSets.${name}`;
    set.managedPolicies.forEach((p, i) => arn(`${at}.managedPolicies[${i}]`, p));
    arn(`${at}.permissionsBoundary.managedPolicyArn`, set.permissionsBoundary?.managedPolicyArn);
  }
}

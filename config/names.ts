// Names of the resources the blueprint creates in a team account. Alarms, dashboards and reports
// address resources by these names instead of construct references, so no stack depends on another.
import { arn } from "./partition";
import type { LandingZone, TeamEnvironment } from "./model";
import { LZ_PREFIX } from "./prefix";
import type { OrganizationFile } from "./schema";

export interface BlueprintNames {
  restApi: string;
  stage: string;
  apiFunction: string;
  workerFunction: string;
  alias: string;
  queue: string;
  deadLetterQueue: string;
  table: string;
  /** Prefix of every landing-zone alarm in the account (the protect SCP keys on `lz-`). */
  alarmPrefix: string;
}

export function blueprintNames(
  env: Pick<TeamEnvironment, "env"> & { team: { name: string } },
): BlueprintNames {
  const base = `${env.team.name}-${env.env}`;
  return {
    restApi: `${base}-api`,
    stage: env.env,
    apiFunction: `${base}-api`,
    workerFunction: `${base}-worker`,
    alias: "live",
    queue: `${base}-jobs`,
    deadLetterQueue: `${base}-jobs-dlq`,
    table: `${base}-items`,
    alarmPrefix: `${LZ_PREFIX}${base}-`,
  };
}

/** Central alarm topics in the observability account, by severity. */
export const ALARM_SEVERITIES = ["critical", "warning"] as const;
export type AlarmSeverity = (typeof ALARM_SEVERITIES)[number];
export const alarmTopicName = (severity: AlarmSeverity) => `${LZ_PREFIX}alarms-${severity}`;

/** The security account's role that EventBridge uses to publish findings to the critical topics. */
export const SECURITY_FINDINGS_ROLE_NAME = `${LZ_PREFIX}security-findings-to-critical`;

/** The organization trail's bucket in the log archive account: as configured, or derived. */
export function trailBucketName(
  org: Pick<OrganizationFile, "name" | "managementAccountId" | "cloudTrail">,
): string {
  return org.cloudTrail.bucketName ?? `${org.name}-cloudtrail-${org.managementAccountId}`;
}

/** The trail key's alias: the `organization-trail` stack finds the key by it. */
export const TRAIL_KEY_ALIAS = `alias/${LZ_PREFIX}cloudtrail`;
/** The alias of the key of the central alarm topics, in every region of the observability account. */
export const ALARM_TOPICS_KEY_ALIAS = `alias/${LZ_PREFIX}alarm-topics`;

/** The security account's analyzers: external access in every allowed region, unused access once. */
export const EXTERNAL_ACCESS_ANALYZER_NAME = `${LZ_PREFIX}organization-access`;
export const UNUSED_ACCESS_ANALYZER_NAME = `${LZ_PREFIX}organization-unused-access`;

/** Where AWS Config writes in the log archive bucket: <prefix>/AWSLogs/<account>/Config/... */
export const CONFIG_DELIVERY_PREFIX = "config";

/** The organization trail, in the management account's home region. */
export const trailArn = (lz: Pick<LandingZone, "org">) =>
  arn(
    "cloudtrail",
    lz.org.homeRegion,
    lz.org.managementAccountId,
    `trail/${lz.org.cloudTrail.name}`,
  );

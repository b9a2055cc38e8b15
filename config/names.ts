// Names of the resources the blueprint creates in a team account. Alarms, dashboards and reports
// address resources by these names instead of construct references, so no stack depends on another.
import type { TeamEnvironment } from "./model";
import { LZ_PREFIX } from "./policies";

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

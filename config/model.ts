// The resolved landing zone: every default applied, every reference followed. Stacks read only this.
import type { AlarmSettings, OrganizationFile, TeamFile } from "./schema";
import type { AccountQuotas, DerivedNumbers, TrafficProfile } from "./capacity";

export type AccountStatus = "active" | "suspended" | "closed";
export type CoreAccountKey = "logArchive" | "security" | "observability";
export type FunctionCode =
  | { kind: "reference" }
  | { kind: "s3"; bucket: string; key: string; objectVersion?: string; handler: string }
  | { kind: "path"; path: string; handler: string };

export interface ResolvedFunction {
  memoryMb: number;
  timeoutSeconds: number;
  provisionedConcurrency: number;
  code: FunctionCode;
  canary?: { stableVersion: string; weight: number };
}

export interface ResolvedBlueprint {
  headroom: number;
  api: {
    authorization: "iam" | "api-key" | "none";
    throttleHeadroom: number;
    burstMultiplier: number;
    usagePlanQuotaPerDay?: number;
    cache: { enabled: boolean; sizeGb: string; ttlSeconds: number };
  };
  functions: { api: ResolvedFunction; worker: ResolvedFunction };
  queue: {
    maxReceiveCount: number;
    retentionSeconds: number;
    batchSize: number;
    maximumBatchingWindowSeconds: number;
  };
  table: { kmsKeyArn?: string; ttlAttribute: string };
}

export type ResolvedAlarms = Required<
  Omit<AlarmSettings, "apiLatencyP90Ms" | "queueAgeSeconds">
> & {
  apiLatencyP90Ms: number;
  queueAgeSeconds: number;
};

export interface Account {
  /** Stack id, and the key other tools use: `log-archive`, `team-payments-prod`. */
  stackId: string;
  kind: "core" | "team";
  name: string;
  email: string;
  /** Effective OU path (a suspended account sits in the Suspended OU). */
  ou: string;
  accountId?: string;
  status: AccountStatus;
  /** File and field the account comes from, for messages. */
  source: { file: string; path: string; templated: boolean };
}

export interface TeamEnvironment {
  team: Team;
  env: string;
  account: Account;
  region: string;
  production: boolean;
  logRetentionDays: number;
  traffic: TrafficProfile;
  quotas: AccountQuotas;
  /** True when the team file asks for a Lambda concurrency quota (files an increase request). */
  requestsLambdaQuota: boolean;
  blueprint: ResolvedBlueprint;
  alarms: ResolvedAlarms;
  derived: DerivedNumbers;
  tags: Record<string, string>;
}

export interface Team {
  name: string;
  file: string;
  raw: TeamFile;
  owners: { name: string; email: string }[];
  costCenter: string;
  environments: TeamEnvironment[];
}

export interface OrganizationalUnit {
  path: string;
  name: string;
  parent?: string;
}

export interface ServiceControlPolicy {
  name: string;
  description: string;
  document: PolicyDocument;
  /** Minified JSON, exactly as sent to AWS. */
  content: string;
  targets: string[];
}

export interface PolicyDocument {
  Version: string;
  Statement: PolicyStatement[];
}

export interface PolicyStatement {
  Sid?: string;
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  NotResource?: string | string[];
  Condition?: Record<string, Record<string, string | string[] | boolean>>;
  Principal?: unknown;
}

export interface CoreAccount extends Account {
  key: CoreAccountKey;
}

export interface LandingZone {
  organizationFile: string;
  org: OrganizationFile;
  organizationalUnits: OrganizationalUnit[];
  coreAccounts: Record<CoreAccountKey, CoreAccount>;
  teams: Team[];
  policies: ServiceControlPolicy[];
  /** Default tags carried by every resource of the core stacks. */
  baseTags: Record<string, string>;
  trailBucketName: string;
}

/** The management account's stacks: the organization itself, and its trail (after log-archive). */
export const MANAGEMENT_STACK_IDS = ["organization", "organization-trail"] as const;

export const CORE_STACK_IDS: Record<CoreAccountKey, string> = {
  logArchive: "log-archive",
  security: "security",
  observability: "observability",
};

export const teamStackId = (team: string, env: string) => `team-${team}-${env}`;

export function allTeamEnvironments(lz: LandingZone): TeamEnvironment[] {
  return lz.teams.flatMap((t) => t.environments);
}

export function allAccounts(lz: LandingZone): Account[] {
  return [...Object.values(lz.coreAccounts), ...allTeamEnvironments(lz).map((e) => e.account)];
}

export type { OrganizationalUnitInput as OrganizationalUnitTree } from "./schema";

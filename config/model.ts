// The resolved landing zone: every default applied, every reference followed. Stacks read only this.
// Settings keep the schema's output types (config/schema.ts), so a field exists here only if the
// schema declares it, with its default.
import type { z } from "zod";
import type {
  accountStatus,
  alarmSettings,
  blueprintSettings,
  OrganizationFile,
  TeamFile,
} from "./schema";
import type { AccountQuotas, DerivedNumbers, TrafficProfile } from "./capacity";
import type { ResolvedAccess } from "./access";
import type { ManagementPolicy } from "./policies";
import type { AlternateContact, AlternateContactType } from "./schema/account-settings";
import type { BlueprintCapacity } from "../blueprints/blueprint";

export type AccountStatus = z.output<typeof accountStatus>;
export type CoreAccountKey = keyof OrganizationFile["coreAccounts"];

/** The blueprint settings of a team file, every default applied. */
export type BlueprintSettings = z.output<typeof blueprintSettings>;
export type FunctionSettings = BlueprintSettings["functions"]["api"];
/** Alarm thresholds of the organization file, the static defaults applied. */
export type AlarmSettings = z.output<typeof alarmSettings>;

type CodeSetting = NonNullable<FunctionSettings["code"]>;
/** The schema's `code` setting, tagged by kind; no code set means the bundled reference service. */
export type FunctionCode =
  | { kind: "reference" }
  | ({ kind: "s3"; handler: string } & Extract<CodeSetting, { s3: unknown }>["s3"])
  | ({ kind: "path" } & Extract<CodeSetting, { path: unknown }>);

export type ResolvedFunction = Omit<FunctionSettings, "code"> & { code: FunctionCode };

export type ResolvedBlueprint = Omit<BlueprintSettings, "functions"> & {
  functions: { api: ResolvedFunction; worker: ResolvedFunction };
};

/** Every threshold set: the ones no level sets are derived from traffic (config/layers.ts). */
export type ResolvedAlarms = Required<AlarmSettings>;

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
  /** Whether the landing zone records the account with AWS Config or leaves an existing recorder. */
  configRecorder: "landing-zone" | "existing";
  /** File and field the account comes from, for messages. */
  source: { file: string; path: string; templated: boolean };
  /** Settings written into the account itself (modules/account-baseline) or, for regions, for it. */
  settings: AccountSettings;
}

export interface AccountSettings {
  /** Each type set at some level (environment, team, organization); types set nowhere are left alone. */
  alternateContacts: Partial<Record<AlternateContactType, AlternateContact>>;
  /** The IAM account alias; undefined when accountAliases.enabled is false. */
  alias?: { value: string; file: string; path: string; templated: boolean };
  /** Opt-in regions of allowedRegions the management account enables in this account. */
  optInRegions: string[];
}

export interface TeamEnvironment {
  team: Team;
  env: string;
  account: Account;
  region: string;
  production: boolean;
  logRetentionDays: OrganizationFile["environments"][string]["logRetentionDays"];
  /** The serverless API's traffic; unset when the environment's blueprints need none. */
  traffic?: TrafficProfile;
  quotas: AccountQuotas;
  /** True when the team file asks for a Lambda concurrency quota (files an increase request). */
  requestsLambdaQuota: boolean;
  blueprint: ResolvedBlueprint;
  alarms: ResolvedAlarms;
  /** Sizes derived from `traffic`; unset without it. */
  derived?: DerivedNumbers;
  /** The blueprints of the account, in the order listed, each with its resolved settings. */
  blueprints: BlueprintInstanceOf[];
  /** What the account's blueprints ask of its quotas, summed; and what the Lambda quota leaves. */
  capacity: BlueprintCapacity & { reservableConcurrency: number };
  /** The team account's monthly budget: headroom over the estimate, or a declared limit. */
  budget: { headroom: number; monthlyLimit?: number };
  tags: Record<string, string>;
}

/**
 * One blueprint of an environment: its registered name (blueprints/index.ts, `blueprintOf`) and its
 * resolved settings. Plain data, so the landing zone crosses to synth's worker threads.
 */
export interface BlueprintInstanceOf {
  name: string;
  settings: unknown;
  /** Problems of the merged settings (config/validators report them); the settings are unusable. */
  issues?: { path: string; message: string; got?: unknown }[];
}

export interface Team {
  name: string;
  file: string;
  raw: TeamFile;
  owners: TeamFile["owners"];
  costCenter: string;
  environments: TeamEnvironment[];
}

export interface OrganizationalUnit {
  path: string;
  name: string;
  parent?: string;
}

/** An SCP or an RCP as AWS Organizations receives it. */
export interface OrganizationPolicy {
  name: string;
  description: string;
  document: PolicyDocument;
  /** Minified JSON, exactly as sent to AWS. */
  content: string;
  /** `Root`, OU paths, or `account:<stack id>`. */
  targets: string[];
}

export type ServiceControlPolicy = OrganizationPolicy;
export type ResourceControlPolicy = OrganizationPolicy;

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
  /** Resource control policies, read from their files (resourceControlPolicies in the organization file). */
  resourceControlPolicies: ResourceControlPolicy[];
  /** The EC2 declarative policy and the AI-services opt-out policy, when enabled. */
  managementPolicies: ManagementPolicy[];
  /** Default tags carried by every resource of the core stacks. */
  baseTags: Record<string, string>;
  trailBucketName: string;
  /** IAM Identity Center (config/access.ts); undefined when organization.yaml has no `access:`. */
  access?: ResolvedAccess;
}

/** Suspended (and closed) team accounts move to this top-level OU. */
export const SUSPENDED_OU = "Suspended";
/** The Suspended OU or an OU below it. */
export const inSuspendedOu = (ou: string) =>
  ou === SUSPENDED_OU || ou.startsWith(`${SUSPENDED_OU}/`);
/**
 * A policy attached only to the Suspended OU or OUs below it: the one place an SCP or RCP may deny
 * the platform role, where denying everyone is the point. Its statements are not held to sparing the
 * platform role; config/validators/lockout.ts checks that only suspended or closed accounts sit there.
 */
export const attachedOnlyInSuspended = (targets: string[]) => targets.every(inSuspendedOu);
/** An SCP target that is no OU: the organization's root. */
export const ROOT_TARGET = "Root";
/** A policy target naming one account by its stack id: `account:log-archive`. */
export const ACCOUNT_TARGET_PREFIX = "account:";
/** AWS Organizations allows five levels of OUs under the root. */
export const MAX_OU_DEPTH = 5;

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

/**
 * Every target whose policies reach an account: the root, each OU on its path, the account itself.
 * The management account is none of these for SCPs and RCPs: neither applies to it.
 */
export function policyTargetsOf(account: Pick<Account, "ou" | "stackId">): string[] {
  const parts = account.ou.split("/");
  return [
    ROOT_TARGET,
    ...parts.map((_, i) => parts.slice(0, i + 1).join("/")),
    `${ACCOUNT_TARGET_PREFIX}${account.stackId}`,
  ];
}

/** An environment with declared traffic, and so derived sizes (the serverless API's). */
export type SizedEnvironment = TeamEnvironment & {
  traffic: TrafficProfile;
  derived: DerivedNumbers;
};

export const isSized = (e: TeamEnvironment): e is SizedEnvironment =>
  e.traffic !== undefined && e.derived !== undefined;

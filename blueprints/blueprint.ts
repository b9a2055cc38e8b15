// What a blueprint is: one kind of workload a team environment can hold, declared in one folder
// under blueprints/ and registered in blueprints/index.ts. Blueprints sit between config/ and stacks/:
// they use the resolved configuration (config/) and the constructs (modules/), and the team stack,
// the validators' capacity checks, the budget, the capacity report and the load test reach them only
// through this interface, never by name.
import type { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import type { z } from "zod";
import type { TeamEnvironment } from "../config/model";
import type { AlarmRouting, AlarmSpec } from "../modules/alarms";

/** What a blueprint asks of the account's quotas; an account's needs are the sum over its blueprints. */
export interface BlueprintCapacity {
  /** Reserved Lambda concurrency of the blueprint's functions. */
  reservedConcurrency: number;
  /** API Gateway steady-state requests per second the blueprint's APIs carry. */
  apiRequestsPerSecond: number;
  /** SQS queues the blueprint creates (dead-letter queues included). */
  queues: number;
  /** EventBridge Scheduler schedules the blueprint creates. */
  schedules: number;
}

export const NO_CAPACITY: BlueprintCapacity = {
  reservedConcurrency: 0,
  apiRequestsPerSecond: 0,
  queues: 0,
  schedules: 0,
};

/** One environment's use of a blueprint: the environment and the blueprint's resolved settings. */
export interface BlueprintUse<S> {
  env: TeamEnvironment;
  settings: S;
}

/** A blueprint's alarms: construct id of their scope, name prefix, and the specs. */
export interface BlueprintAlarmSet {
  /** Construct id the alarms are created under in the team stack. */
  id: string;
  /** Every alarm's name starts with this (it starts with the account's `lz-<team>-<env>-`). */
  prefix: string;
  specs: AlarmSpec[];
}

/** A monthly cost estimate, in the price table's currency; undefined without a price table. */
export interface BlueprintCost {
  total: number;
  /** Named lines for the capacity report, summing to `total`. */
  lines: Record<string, number>;
}

/** What the team stack hands a blueprint's construct. */
export interface BlueprintProps<S> extends BlueprintUse<S> {
  /** This account's id (a literal, or a plan-time expression from the stack). */
  accountId: string;
  region: string;
  /** Where this account's alarms go: the central topics of its region, and how loud. */
  routing: AlarmRouting;
  /** Account-level settings the blueprint's resources may need first (the API Gateway role). */
  accountDependsOn: ITerraformDependable[];
}

/** What the construct returns to the team stack. */
export interface BlueprintInstance {
  /** Terraform outputs of the stack, by name (`api_url`). */
  outputs?: Record<string, string>;
  /** Called with the account's concurrency check before the blueprint reserves concurrency. */
  requireBeforeReserving?(precondition: import("cdktf").Precondition): void;
}

/** A load profile for `npm run loadtest`; blueprints without one are reported as such. */
export interface BlueprintLoadProfile {
  /** One sentence on what the load test drives. */
  summary: string;
}

export interface Blueprint<S = unknown> {
  /** Registered name, as team files list it: lowercase words joined by '-'. */
  name: string;
  /** One line for the configuration reference and `npm run onboard -- --help`. */
  description: string;
  /**
   * The blueprint's settings in a team file, under a key named like the blueprint (team level, with
   * defaults; each environment overrides field by field). Absent when the blueprint has none.
   */
  settings?: z.ZodObject;
  /** Settings problems the schema cannot see (across fields, against the environment). */
  validate?(
    use: BlueprintUse<S>,
    report: (path: string, message: string, got?: unknown) => void,
  ): void;
  /** Quota needs, summed over the account's blueprints and checked against its quotas. */
  capacity(use: BlueprintUse<S>): BlueprintCapacity;
  /** The blueprint's recommended alarms; routed to the central topics like every alarm. */
  alarms(use: BlueprintUse<S>): BlueprintAlarmSet | undefined;
  /** Monthly cost for the capacity report and the budget; undefined without a price table. */
  cost?(use: BlueprintUse<S>, prices: import("../config/cost/estimate").PriceTable): BlueprintCost;
  /** A limit the blueprint declares instead of an estimate (the baseline's `monthlyLimit`). */
  declaredMonthlyLimit?(use: BlueprintUse<S>): number | undefined;
  /** Creates the blueprint's resources in the team stack. */
  construct(scope: Construct, props: BlueprintProps<S>): BlueprintInstance;
  /**
   * `<kind>:<name>` of every named resource and alarm the blueprint creates in the account
   * (`lambda:payments-prod-api`, `alarm:lz-payments-prod-api-5xx`): two blueprints of one account
   * must not share one (config/validators/blueprints.ts).
   */
  resourceNames(use: BlueprintUse<S>): string[];
  loadProfile?: BlueprintLoadProfile;
  /**
   * The blueprint is sized from the environment's traffic: each environment's key named like the
   * blueprint takes `traffic` next to the settings; other blueprints' keys refuse it.
   */
  usesTraffic?: boolean;
  /**
   * The blueprint's settings and traffic may also be written in the team file's former layout, from
   * before blueprints had keys: `blueprint:` on the team and on an environment, `traffic:` on an
   * environment, read as if written under the blueprint's key (config/layout.ts). One blueprint at
   * most declares it; a level that writes both layouts is refused.
   */
  formerLayout?: boolean;
}

/** Keeps a blueprint's settings type inside its own definition. */
export function defineBlueprint<S>(b: Blueprint<S>): Blueprint<S> {
  return b;
}

// How every account stack reaches the observability account without a cross-stack reference:
// topic ARNs computed from config, the sink's ARN read at plan time, and the quota alarms and
// recommended alarms each stack adds. Stacks call these; modules stay unaware of stacks.
import { Fn } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsOamSinks } from "@cdktf/provider-aws/lib/data-aws-oam-sinks";
import { isSized, type LandingZone, type TeamEnvironment } from "../config/model";
import {
  ALARM_SEVERITIES,
  alarmTopicName,
  blueprintNames,
  type AlarmSeverity,
} from "../config/names";
import { LZ_PREFIX } from "../config/policies";
import { Construct } from "constructs";
import { billedFields, metricAlarms, type AlarmRouting } from "../modules/alarms";
import { blueprintOf } from "../blueprints";
import type { BlueprintAlarmSet } from "../blueprints/blueprint";
import { QuotaAlarms, quotaAlarmSpecs, type QuotaAlarmInputs } from "../modules/quota-alarms";
import { alarmMetricsOf } from "../config/cost/alarm-metrics";
import type { AlarmMetrics } from "../config/cost/estimate";
import { ObservabilityLink } from "../modules/observability";
import { SESSION_NAME, type AccountStack } from "./account-stack";
import { arn } from "../config/partition";

/**
 * One provider per allowed region for the stack's account, so the observability account has a sink and
 * topics wherever an alarm or a link can be. The stack's own region maps to undefined: its default provider.
 */
export function regionalProviders(
  stack: AccountStack,
  lz: LandingZone,
): Map<string, AwsProvider | undefined> {
  return new Map(lz.org.allowedRegions.map((region) => [region, stack.providerIn(region)]));
}

/** ARNs of the central alarm topics in `region`, from config alone. */
export function centralTopicArns(
  stack: AccountStack,
  lz: LandingZone,
  region: string,
): Record<AlarmSeverity, string> {
  const account = stack.accountIdOf(lz.coreAccounts.observability);
  return Object.fromEntries(
    ALARM_SEVERITIES.map((s) => [s, arn("sns", region, account, alarmTopicName(s))]),
  ) as Record<AlarmSeverity, string>;
}

/**
 * The observability sink's ARN in `region`, read at plan time through the observability account
 * (its id is assigned by AWS, so config cannot hold it). The observability stack must be applied
 * first; until then this stack's plan stops with an error from `one()`.
 */
export function sinkArnLookup(stack: AccountStack, lz: LandingZone, region: string): string {
  const observability = lz.coreAccounts.observability;
  const provider = new AwsProvider(stack, "observability", {
    alias: "observability",
    region,
    allowedAccountIds: observability.accountId ? [observability.accountId] : undefined,
    assumeRole: [
      {
        roleArn: stack.memberRoleArn(stack.accountIdOf(observability)),
        sessionName: SESSION_NAME,
      },
    ],
  });
  const sinks = new DataAwsOamSinks(stack, "observability-sinks", { provider });
  return Fn.one(sinks.arns) as string;
}

/** The quota alarms a core account gets in the home region, routed like every other alarm. */
export function addCoreQuotaAlarms(
  stack: AccountStack,
  lz: LandingZone,
  stackId: string,
  topics: Record<AlarmSeverity, string> = centralTopicArns(stack, lz, lz.org.homeRegion),
  options: { monitoringAccount?: boolean } = {},
): QuotaAlarms {
  return new QuotaAlarms(stack, "quota-alarms", {
    ownAccountOnly: options.monitoringAccount,
    prefix: `${LZ_PREFIX}${stackId}-`,
    warningPercent: lz.org.alarms.quotaWarningPercent,
    criticalPercent: lz.org.alarms.quotaCriticalPercent,
    quotas: lz.org.quotas,
    routing: { topics, production: true },
  });
}

/**
 * What a team account's alarms are made from: each blueprint's alarms and the account's quota alarms.
 * The team stack builds its alarms from these and the cost estimate (its budget, the capacity report)
 * counts them from the same specs, so the two cannot drift.
 */
export function teamAlarmInputs(env: TeamEnvironment): {
  blueprints: BlueprintAlarmSet[];
  quota: QuotaAlarmInputs & { prefix: string };
} {
  const names = blueprintNames(env);
  return {
    blueprints: env.blueprints.flatMap((use) => {
      const set = use.issues ? undefined : blueprintOf(use).alarms({ env, settings: use.settings });
      return set && set.specs.length > 0 ? [set] : [];
    }),
    quota: {
      prefix: names.alarmPrefix,
      warningPercent: env.alarms.quotaWarningPercent,
      criticalPercent: env.alarms.quotaCriticalPercent,
      quotas: env.quotas,
      // The table's throughput quota is watched where the account has the serverless API's table.
      table: isSized(env) ? names.table : undefined,
    },
  };
}

/** The metrics CloudWatch bills a team account's alarms by, counted from their specs. */
export function teamAlarmMetrics(env: TeamEnvironment): AlarmMetrics {
  const inputs = teamAlarmInputs(env);
  const specs = [...inputs.blueprints.flatMap((b) => b.specs), ...quotaAlarmSpecs(inputs.quota)];
  return alarmMetricsOf(specs.map(billedFields));
}

/** Where a team account's alarms go: the central topics of its region; production pages. */
export function teamAlarmRouting(
  stack: AccountStack,
  lz: LandingZone,
  env: TeamEnvironment,
): AlarmRouting {
  return { topics: centralTopicArns(stack, lz, env.region), production: env.production };
}

/** A team account's link to the sink, its blueprints' alarms and its quota alarms. */
export function addTeamObservability(
  stack: AccountStack,
  lz: LandingZone,
  env: TeamEnvironment,
  routing: AlarmRouting = teamAlarmRouting(stack, lz, env),
): QuotaAlarms {
  const inputs = teamAlarmInputs(env);
  new ObservabilityLink(stack, "observability-link", {
    sinkArn: sinkArnLookup(stack, lz, env.region),
  });
  for (const set of inputs.blueprints) {
    const scope = new Construct(stack, set.id);
    metricAlarms(scope, set.specs, { prefix: set.prefix, routing });
  }
  return new QuotaAlarms(stack, "quota-alarms", {
    ...inputs.quota,
    routing,
    requestLambdaConcurrency: env.requestsLambdaQuota
      ? env.quotas.lambdaConcurrentExecutions
      : undefined,
    // A declared API Gateway rate is a request too, as the capacity check's message promises.
    requestApiGatewayRate:
      env.team.raw.environments[env.env]?.quotas?.apiGatewayRequestsPerSecond !== undefined
        ? env.quotas.apiGatewayRequestsPerSecond
        : undefined,
  });
}

// `team-<team>-<env>`: one workload account. It plans on its own: no reference to any other stack.
// The account baseline, observability link, quota alarms and budget are every account's; what runs in
// it comes from the blueprints its environment lists (blueprints/), composed here without naming any.
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { LandingZone, TeamEnvironment } from "../config/model";
import { ACCOUNT_BASELINE_ID, AccountBaseline } from "../modules/account-baseline";
import { ConcurrencyCheck } from "../modules/service-blueprint/concurrency-check";
import { AccountStack } from "./account-stack";
import { addTeamBudget } from "./budget-wiring";
import { configRecordingOf } from "./config-recording";
import { addTeamObservability, teamAlarmRouting } from "./observability-wiring";
import { blueprintOf } from "../blueprints";
import type { BlueprintInstance } from "../blueprints/blueprint";

export class TeamStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone, env: TeamEnvironment) {
    super(scope, id, { lz, account: env.account, region: env.region, tags: env.tags });
    const baseline = new AccountBaseline(this, ACCOUNT_BASELINE_ID, {
      apiGatewayLogging: true,
      settings: env.account.settings,
      config: configRecordingOf(this, lz, env.account.configRecorder),
    });
    const routing = teamAlarmRouting(this, lz, env);
    const instances: BlueprintInstance[] = env.blueprints.map((use) =>
      blueprintOf(use).construct(this, {
        env,
        settings: use.settings,
        accountId: this.accountIdExpression,
        region: env.region,
        routing,
        accountDependsOn: baseline.apiGatewayAccount ? [baseline.apiGatewayAccount] : [],
      }),
    );
    // Link to the sink, each blueprint's alarms and quota alarms, addressed by name (config/names.ts).
    const quotaAlarms = addTeamObservability(this, lz, env, routing);
    const request = quotaAlarms.lambdaConcurrencyRequest;
    const check = new ConcurrencyCheck(this, "concurrency-check", {
      stackId: id,
      reserved: env.capacity.reservedConcurrency,
      unreservedMinimum: env.quotas.lambdaUnreservedMinimum,
      requestAddress: request && `${request.terraformResourceType}.${request.friendlyUniqueId}`,
    });
    for (const instance of instances) instance.requireBeforeReserving?.(check.precondition);
    addTeamBudget(this, lz, env);
    for (const instance of instances)
      for (const [name, value] of Object.entries(instance.outputs ?? {}))
        new TerraformOutput(this, name, { value });
  }
}

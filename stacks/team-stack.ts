// `team-<team>-<env>`: one workload account. It plans on its own: no reference to any other stack.
import { Construct } from "constructs";
import { TerraformOutput } from "cdktf";
import type { LandingZone, TeamEnvironment } from "../config/model";
import { blueprintNames } from "../config/names";
import { AccountBaseline } from "../modules/account-baseline";
import { ServiceBlueprint } from "../modules/service-blueprint";
import { ConcurrencyCheck } from "../modules/service-blueprint/concurrency-check";
import { AccountStack } from "./account-stack";
import { addTeamBudget } from "./budget-wiring";
import { configRecordingOf } from "./config-recording";
import { addTeamObservability } from "./observability-wiring";

export class TeamStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone, env: TeamEnvironment) {
    super(scope, id, { lz, account: env.account, region: env.region, tags: env.tags });
    const baseline = new AccountBaseline(this, "baseline", {
      apiGatewayLogging: true,
      settings: env.account.settings,
      config: configRecordingOf(this, lz, env.account.configRecorder),
    });
    const codeField = (fn: string) => `${env.team.file}: blueprint.functions.${fn}.code`;
    const service = new ServiceBlueprint(this, "service", {
      names: blueprintNames(env),
      region: env.region,
      accountId: this.accountIdExpression,
      settings: env.blueprint,
      derived: env.derived,
      production: env.production,
      logRetentionDays: env.logRetentionDays,
      codeFields: { api: codeField("api"), worker: codeField("worker") },
      // The stage's logging needs the account's API Gateway CloudWatch role to be set first.
      stageDependsOn: baseline.apiGatewayAccount ? [baseline.apiGatewayAccount] : [],
    });
    // Link to the sink, recommended alarms and quota alarms, addressed by name (config/names.ts).
    const quotaAlarms = addTeamObservability(this, lz, env);
    const request = quotaAlarms.lambdaConcurrencyRequest;
    const check = new ConcurrencyCheck(this, "concurrency-check", {
      stackId: id,
      reserved: env.derived.requiredConcurrency,
      unreservedMinimum: env.quotas.lambdaUnreservedMinimum,
      requestAddress: request && `${request.terraformResourceType}.${request.friendlyUniqueId}`,
    });
    service.requireBeforeReserving(check.precondition);
    addTeamBudget(this, lz, env);
    // The stage a load test targets: `npm run loadtest -- <team> <env> --target <api_url>`.
    new TerraformOutput(this, "api_url", { value: service.api.stage.invokeUrl });
  }
}

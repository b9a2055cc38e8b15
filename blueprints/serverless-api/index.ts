// `serverless-api`: API Gateway -> Lambda -> DynamoDB for requests a user waits on, API Gateway -> SQS
// -> worker Lambda for the rest (modules/service-blueprint). The default blueprint of every team
// environment. Its settings (config/schema/settings.ts) and each environment's traffic sit under
// `serverless-api:` in a team file; the former layout (`blueprint:` and `traffic:`) is still read
// (formerLayout, config/layout.ts), so every team file written before blueprints existed keeps its
// meaning and synthesizes the same JSON. The resolved settings and traffic are the environment's
// `blueprint`, `traffic` and `derived` (config/model.ts).
import { blueprintNames } from "../../config/names";
import { blueprintSettings } from "../../config/schema/settings";
import { isSized } from "../../config/model";
import { layoutPaths } from "../../config/layout";
import { estimate } from "../../config/cost/estimate";
import { DEFAULT_WRITE_PERCENT } from "../../config/cost/budget";
import { blueprintAlarmSpecs } from "../../modules/alarms";
import { ServiceBlueprint } from "../../modules/service-blueprint";
import { LAMBDA_ARCHITECTURE } from "../../modules/service-blueprint/functions";
import { defineBlueprint, NO_CAPACITY, type BlueprintUse } from "../blueprint";

/** The environment's traffic and its derived sizes; validation requires traffic with this blueprint. */
function sized({ env }: BlueprintUse<unknown>) {
  if (!env.traffic || !env.derived)
    throw new Error(`${env.account.stackId}: the serverless API needs declared traffic`);
  return { traffic: env.traffic, derived: env.derived };
}

export const serverlessApi = defineBlueprint<unknown>({
  name: "serverless-api",
  description:
    "API Gateway -> Lambda -> DynamoDB, and API Gateway -> SQS -> worker Lambda; sized from its `traffic`",
  settings: blueprintSettings,
  usesTraffic: true,
  formerLayout: true,
  validate({ env }, report) {
    if (!env.traffic)
      report("traffic", "required field is missing: the serverless-api blueprint is sized from it");
  },
  capacity(use) {
    if (!use.env.traffic) return NO_CAPACITY;
    const { traffic, derived } = sized(use);
    return {
      reservedConcurrency: derived.requiredConcurrency,
      apiRequestsPerSecond: traffic.sync.requestsPerSecond,
      queues: 2,
      schedules: 0,
    };
  },
  alarms(use) {
    const { env } = use;
    const names = blueprintNames(env);
    return {
      // The ids and names every account had before blueprints: renaming them would replace alarms.
      id: "alarms",
      prefix: names.alarmPrefix,
      specs: blueprintAlarmSpecs({
        names,
        thresholds: env.alarms,
        derived: sized(use).derived,
        timeoutSeconds: {
          api: env.blueprint.functions.api.timeoutSeconds,
          worker: env.blueprint.functions.worker.timeoutSeconds,
        },
      }),
    };
  },
  cost(use, prices) {
    if (!isSized(use.env)) return { total: 0, lines: {} };
    const row = estimate(
      use.env,
      {
        architecture: LAMBDA_ARCHITECTURE,
        writePercent: DEFAULT_WRITE_PERCENT,
        alarms: { standard: 0, highResolution: 0 },
      },
      prices,
    );
    const { total, alarms: _alarms, ...lines } = row.cost!;
    return { total, lines };
  },
  construct(scope, { env, accountId, region, accountDependsOn }) {
    const settingsAt = layoutPaths(env.team.raw, undefined).settings;
    const codeField = (fn: string) => `${env.team.file}: ${settingsAt}.functions.${fn}.code`;
    const service = new ServiceBlueprint(scope, "service", {
      names: blueprintNames(env),
      region,
      accountId,
      settings: env.blueprint,
      derived: sized({ env, settings: undefined }).derived,
      production: env.production,
      logRetentionDays: env.logRetentionDays,
      codeFields: { api: codeField("api"), worker: codeField("worker") },
      // The stage's logging needs the account's API Gateway CloudWatch role to be set first.
      stageDependsOn: accountDependsOn,
    });
    return {
      // The stage a load test targets: `npm run loadtest -- <team> <env> --target <api_url>`.
      outputs: { api_url: service.api.stage.invokeUrl },
      requireBeforeReserving: (p) => service.requireBeforeReserving(p),
    };
  },
  resourceNames({ env }) {
    const n = blueprintNames(env);
    return [
      `apigateway:${n.restApi}`,
      `lambda:${n.apiFunction}`,
      `lambda:${n.workerFunction}`,
      `sqs:${n.queue}`,
      `sqs:${n.deadLetterQueue}`,
      `dynamodb:${n.table}`,
      ...blueprintAlarmSpecs({
        names: n,
        thresholds: env.alarms,
        derived: { apiReservedConcurrency: 1, workerReservedConcurrency: 1 },
        timeoutSeconds: { api: 1, worker: 1 },
      }).map((s) => `alarm:${n.alarmPrefix}${s.id}`),
    ];
  },
  loadProfile: {
    summary:
      "GET and PUT /items/{id} at the declared sync rate, POST /jobs at the declared async rate",
  },
});

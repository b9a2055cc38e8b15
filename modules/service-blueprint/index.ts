// The service blueprint of a team account: API Gateway -> Lambda -> DynamoDB for requests a user
// waits on, API Gateway -> SQS -> worker Lambda for the rest. Every limit comes from env.derived
// (config/capacity.ts), every name from config/names.ts, so alarms and reports find the resources
// without a cross-stack reference.
import { Construct } from "constructs";
import type { ITerraformDependable, Precondition } from "cdktf";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import type { TeamEnvironment } from "../../config/model";
import { blueprintNames } from "../../config/names";
import { ServiceApi } from "./api";
import { ServiceFunction } from "./functions";
import { tableKeyStatement } from "./iam";
import { jobQueues } from "./queue";
import { serviceTable } from "./table";

export interface ServiceBlueprintProps {
  env: TeamEnvironment;
  /** This account's id (a literal, or a plan-time expression from the stack). */
  accountId: string;
  /** Account-level settings the API stage needs first (the API Gateway CloudWatch role). */
  stageDependsOn?: ITerraformDependable[];
}

export class ServiceBlueprint extends Construct {
  readonly api: ServiceApi;
  readonly apiFunction: ServiceFunction;
  readonly workerFunction: ServiceFunction;

  constructor(scope: Construct, id: string, props: ServiceBlueprintProps) {
    super(scope, id);
    const { env, accountId } = props;
    const names = blueprintNames(env);
    const bp = env.blueprint;
    const d = env.derived;

    const table = serviceTable(this, {
      name: names.table,
      settings: bp.table,
      production: env.production,
    });
    const { queue } = jobQueues(this, {
      name: names.queue,
      deadLetterName: names.deadLetterQueue,
      settings: bp.queue,
      visibilityTimeoutSeconds: d.queueVisibilityTimeoutSeconds,
      production: env.production,
    });

    const environment = {
      TABLE_NAME: names.table,
      QUEUE_NAME: names.queue,
      TTL_ATTRIBUTE: bp.table.ttlAttribute,
    };
    const keyStatements = bp.table.kmsKeyArn
      ? [tableKeyStatement(bp.table.kmsKeyArn, env.region)]
      : [];
    const common = {
      aliasName: names.alias,
      logRetentionDays: env.logRetentionDays,
      environment,
    };
    const teamField = (fn: string) => `${env.team.file}: blueprint.functions.${fn}.code`;

    this.apiFunction = new ServiceFunction(this, "api-function", {
      ...common,
      kind: "api",
      functionName: names.apiFunction,
      settings: bp.functions.api,
      reservedConcurrency: d.apiReservedConcurrency,
      field: teamField("api"),
      statements: [
        {
          Sid: "ItemsTable",
          Effect: "Allow",
          Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
          Resource: table.arn,
        },
        ...keyStatements,
      ],
    });
    this.workerFunction = new ServiceFunction(this, "worker-function", {
      ...common,
      kind: "worker",
      functionName: names.workerFunction,
      settings: bp.functions.worker,
      reservedConcurrency: d.workerReservedConcurrency,
      field: teamField("worker"),
      statements: [
        {
          Sid: "ConsumeJobs",
          Effect: "Allow",
          Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
          Resource: queue.arn,
        },
        {
          Sid: "JobResults",
          Effect: "Allow",
          Action: ["dynamodb:PutItem"],
          Resource: table.arn,
        },
        ...keyStatements,
      ],
    });

    new LambdaEventSourceMapping(this, "worker-events", {
      eventSourceArn: queue.arn,
      // The alias, like every other caller, so a canary on the worker gets its share of batches.
      functionName: this.workerFunction.alias.arn,
      batchSize: bp.queue.batchSize,
      maximumBatchingWindowInSeconds: bp.queue.maximumBatchingWindowSeconds,
      functionResponseTypes: ["ReportBatchItemFailures"],
      scalingConfig: { maximumConcurrency: d.workerMaximumConcurrency },
    });

    this.api = new ServiceApi(this, "api", {
      restApiName: names.restApi,
      stageName: names.stage,
      region: env.region,
      accountId,
      settings: bp.api,
      derived: d,
      logRetentionDays: env.logRetentionDays,
      apiFunctionName: names.apiFunction,
      apiAlias: this.apiFunction.alias,
      apiAliasName: names.alias,
      queue,
      queueName: names.queue,
      stageDependsOn: props.stageDependsOn,
    });
  }

  /** Stops the plan before anything reserves concurrency unless `precondition` holds. */
  requireBeforeReserving(precondition: Precondition): void {
    for (const fn of [this.apiFunction, this.workerFunction]) {
      const lifecycle = fn.function.lifecycle ?? {};
      fn.function.lifecycle = {
        ...lifecycle,
        precondition: [...(lifecycle.precondition ?? []), precondition],
      };
    }
  }
}

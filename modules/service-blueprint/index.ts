// The service blueprint of a team account: API Gateway -> Lambda -> DynamoDB for requests a user
// waits on, API Gateway -> SQS -> worker Lambda for the rest. Every limit comes from the derived
// numbers (config/capacity.ts), every name from config/names.ts, so alarms and reports find the
// resources without a cross-stack reference.
import { Construct } from "constructs";
import type { ITerraformDependable, Precondition } from "cdktf";
import type { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import type { DerivedNumbers } from "../../config/capacity";
import type { ResolvedBlueprint } from "../../config/model";
import type { BlueprintNames } from "../../config/names";
import { ServiceApi, type ServiceApiSettings } from "./api";
import { ServiceFunction } from "./functions";
import { tableKeyStatement } from "./iam";
import { jobQueues, type JobQueues } from "./queue";
import { serviceTable } from "./table";

/** The blueprint settings the resources are built from (sizes come from `derived`). */
export interface BlueprintSettings {
  api: ServiceApiSettings;
  functions: ResolvedBlueprint["functions"];
  queue: ResolvedBlueprint["queue"];
  table: ResolvedBlueprint["table"];
}

export interface ServiceBlueprintProps {
  names: Omit<BlueprintNames, "alarmPrefix">;
  region: string;
  /** This account's id (a literal, or a plan-time expression from the stack). */
  accountId: string;
  settings: BlueprintSettings;
  derived: Pick<
    DerivedNumbers,
    | "apiReservedConcurrency"
    | "workerReservedConcurrency"
    | "workerMaximumConcurrency"
    | "queueVisibilityTimeoutSeconds"
    | "apiThrottleRateLimit"
    | "apiThrottleBurstLimit"
    | "jobsThrottle"
    | "usagePlanThrottle"
  >;
  /** Production data and queues are protected from deletion and replacement. */
  production: boolean;
  logRetentionDays: number;
  /** The config field each function's code comes from, named when its zip is missing. */
  codeFields: Record<"api" | "worker", string>;
  /** Account-level settings the API stage needs first (the API Gateway CloudWatch role). */
  stageDependsOn?: ITerraformDependable[];
}

export class ServiceBlueprint extends Construct {
  readonly api: ServiceApi;
  readonly apiFunction: ServiceFunction;
  readonly workerFunction: ServiceFunction;
  readonly table: DynamodbTable;
  readonly queues: JobQueues;

  constructor(scope: Construct, id: string, props: ServiceBlueprintProps) {
    super(scope, id);
    const { names, accountId } = props;
    const bp = props.settings;
    const d = props.derived;

    this.table = serviceTable(this, {
      name: names.table,
      settings: bp.table,
      production: props.production,
    });
    const table = this.table;
    this.queues = jobQueues(this, {
      name: names.queue,
      deadLetterName: names.deadLetterQueue,
      settings: bp.queue,
      visibilityTimeoutSeconds: d.queueVisibilityTimeoutSeconds,
      production: props.production,
    });
    const { queue } = this.queues;

    const environment = {
      TABLE_NAME: names.table,
      QUEUE_NAME: names.queue,
      TTL_ATTRIBUTE: bp.table.ttlAttribute,
    };
    const keyStatements = bp.table.kmsKeyArn
      ? [tableKeyStatement(bp.table.kmsKeyArn, props.region)]
      : [];
    const common = {
      aliasName: names.alias,
      logRetentionDays: props.logRetentionDays,
      environment,
    };

    this.apiFunction = new ServiceFunction(this, "api-function", {
      ...common,
      kind: "api",
      functionName: names.apiFunction,
      settings: bp.functions.api,
      reservedConcurrency: d.apiReservedConcurrency,
      field: props.codeFields.api,
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
      field: props.codeFields.worker,
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
      region: props.region,
      accountId,
      settings: bp.api,
      derived: d,
      logRetentionDays: props.logRetentionDays,
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

// The REST API: one OpenAPI body (routes, models, validators, authorization, integrations), a
// deployment that rolls forward when that definition changes, a stage with access logs, tracing,
// metrics, throttling and optional caching, and the permissions behind the integrations.
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { Token, type ITerraformDependable } from "cdktf";
import { ApiGatewayApiKey } from "@cdktf/provider-aws/lib/api-gateway-api-key";
import { ApiGatewayDeployment } from "@cdktf/provider-aws/lib/api-gateway-deployment";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { ApiGatewayRestApi } from "@cdktf/provider-aws/lib/api-gateway-rest-api";
import { ApiGatewayStage } from "@cdktf/provider-aws/lib/api-gateway-stage";
import { ApiGatewayUsagePlan } from "@cdktf/provider-aws/lib/api-gateway-usage-plan";
import { ApiGatewayUsagePlanKey } from "@cdktf/provider-aws/lib/api-gateway-usage-plan-key";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { LambdaAlias } from "@cdktf/provider-aws/lib/lambda-alias";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import type { DerivedNumbers } from "../../config/capacity";
import type { ResolvedBlueprint } from "../../config/model";
import { LZ_PREFIX } from "../../config/policies";
import { apiDefinition, type ApiDefinitionInput } from "./openapi";
import { assumeRolePolicy, policyDocument } from "../policy-statements";

/** One JSON object per request in the access log group. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: "$context.requestId",
  extendedRequestId: "$context.extendedRequestId",
  ip: "$context.identity.sourceIp",
  caller: "$context.identity.caller",
  apiKeyId: "$context.identity.apiKeyId",
  requestTime: "$context.requestTime",
  httpMethod: "$context.httpMethod",
  resourcePath: "$context.resourcePath",
  status: "$context.status",
  protocol: "$context.protocol",
  responseLength: "$context.responseLength",
  responseLatency: "$context.responseLatency",
  integrationLatency: "$context.integrationLatency",
  integrationStatus: "$context.integrationStatus",
  integrationError: "$context.integration.error",
  xrayTraceId: "$context.xrayTraceId",
});

/** What the API uses of the blueprint's API settings; its throttles come from the derived numbers. */
export type ServiceApiSettings = Pick<
  ResolvedBlueprint["api"],
  "authorization" | "cache" | "usagePlanQuotaPerDay"
>;

export interface ServiceApiProps {
  restApiName: string;
  stageName: string;
  region: string;
  accountId: string;
  settings: ServiceApiSettings;
  derived: Pick<
    DerivedNumbers,
    "apiThrottleRateLimit" | "apiThrottleBurstLimit" | "jobsThrottle" | "usagePlanThrottle"
  >;
  logRetentionDays: number;
  apiFunctionName: string;
  apiAlias: LambdaAlias;
  /** The alias name as a plain string (the alias's own attribute is a Terraform reference). */
  apiAliasName: string;
  queue: SqsQueue;
  queueName: string;
  /** The account's API Gateway CloudWatch role must be set before a stage can log. */
  stageDependsOn?: ITerraformDependable[];
}

export class ServiceApi extends Construct {
  readonly restApi: ApiGatewayRestApi;
  readonly stage: ApiGatewayStage;
  readonly deployment: ApiGatewayDeployment;

  constructor(scope: Construct, id: string, props: ServiceApiProps) {
    super(scope, id);
    const queueRoleName = `${LZ_PREFIX}${props.restApiName}-sqs`;
    const queueRole = new IamRole(this, "queue-role", {
      name: queueRoleName,
      description: `Lets ${props.restApiName} send POST /jobs bodies to ${props.queueName}`,
      assumeRolePolicy: assumeRolePolicy("apigateway.amazonaws.com"),
    });
    new IamRolePolicy(this, "queue-role-policy", {
      name: "send-to-jobs-queue",
      role: queueRole.id,
      policy: policyDocument([
        {
          Sid: "SendJobs",
          Effect: "Allow",
          Action: "sqs:SendMessage",
          Resource: props.queue.arn,
        },
      ]),
    });

    const input = (refs: ApiDefinitionInput["refs"]): ApiDefinitionInput => ({
      title: props.restApiName,
      region: props.region,
      queueName: props.queueName,
      authorization: props.settings.authorization,
      refs,
    });
    this.restApi = new ApiGatewayRestApi(this, "rest-api", {
      name: props.restApiName,
      description: `Service blueprint API of ${props.restApiName}`,
      endpointConfiguration: { types: ["REGIONAL"] },
      body: JSON.stringify(
        apiDefinition(
          input({
            apiFunctionInvokeArn: props.apiAlias.invokeArn,
            queueRoleArn: queueRole.arn,
            accountId: props.accountId,
          }),
        ),
      ),
    });
    // Every reference in the definition follows from a name, so hashing the definition with the
    // names in place of Terraform references gives a trigger that changes exactly when the API does.
    const stable = apiDefinition(
      input({
        apiFunctionInvokeArn: `lambda:${props.apiFunctionName}:${props.apiAliasName}`,
        queueRoleArn: `role:${queueRoleName}`,
        // A looked-up id is a Terraform reference: hash what it stands for, not the token's text.
        accountId: Token.isUnresolved(props.accountId) ? "looked-up-account-id" : props.accountId,
      }),
    );
    this.deployment = new ApiGatewayDeployment(this, "deployment", {
      restApiId: this.restApi.id,
      description: "Rolled forward when the API definition changes (see triggers)",
      triggers: { redeployment: definitionHash(stable) },
      lifecycle: { createBeforeDestroy: true },
    });

    const accessLogs = new CloudwatchLogGroup(this, "access-logs", {
      name: `/aws/apigateway/${props.restApiName}/access`,
      retentionInDays: props.logRetentionDays,
    });
    // API Gateway creates this group itself, without retention, unless it already exists.
    const executionLogs = new CloudwatchLogGroup(this, "execution-logs", {
      name: `API-Gateway-Execution-Logs_${this.restApi.id}/${props.stageName}`,
      retentionInDays: props.logRetentionDays,
    });
    const { cache } = props.settings;
    this.stage = new ApiGatewayStage(this, "stage", {
      restApiId: this.restApi.id,
      stageName: props.stageName,
      deploymentId: this.deployment.id,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: accessLogs.arn, format: ACCESS_LOG_FORMAT },
      cacheClusterEnabled: cache.enabled,
      cacheClusterSize: cache.enabled ? cache.sizeGb : undefined,
      dependsOn: [accessLogs, executionLogs, ...(props.stageDependsOn ?? [])],
    });

    const base = {
      metricsEnabled: true,
      loggingLevel: "ERROR",
      dataTraceEnabled: false,
      throttlingRateLimit: props.derived.apiThrottleRateLimit,
      throttlingBurstLimit: props.derived.apiThrottleBurstLimit,
    };
    new ApiGatewayMethodSettings(this, "all-methods", {
      restApiId: this.restApi.id,
      stageName: this.stage.stageName,
      methodPath: "*/*",
      settings: { ...base, cachingEnabled: false },
    });
    const jobs = props.derived.jobsThrottle;
    if (jobs) {
      // A method override replaces the stage-wide settings, so it repeats them.
      new ApiGatewayMethodSettings(this, "post-jobs-throttle", {
        restApiId: this.restApi.id,
        stageName: this.stage.stageName,
        methodPath: methodPath("/jobs", "POST"),
        settings: {
          ...base,
          cachingEnabled: false,
          throttlingRateLimit: jobs.rateLimit,
          throttlingBurstLimit: jobs.burstLimit,
        },
      });
    }
    if (cache.enabled) {
      // A method override replaces the stage-wide settings, so it repeats them.
      new ApiGatewayMethodSettings(this, "get-item-cache", {
        restApiId: this.restApi.id,
        stageName: this.stage.stageName,
        // Inside method_path a `/` of the resource path is written `~1`; only `/<METHOD>` stays.
        methodPath: methodPath("/items/{id}", "GET"),
        settings: {
          ...base,
          cachingEnabled: true,
          cacheTtlInSeconds: cache.ttlSeconds,
          cacheDataEncrypted: true,
          requireAuthorizationForCacheControl: true,
          unauthorizedCacheControlHeaderStrategy: "FAIL_WITH_403",
        },
      });
    }

    for (const [id, route] of [
      ["invoke-create-item", "POST/items"],
      ["invoke-get-item", "GET/items/*"],
    ] as const) {
      new LambdaPermission(this, id, {
        statementId: `apigateway-${id}`,
        action: "lambda:InvokeFunction",
        functionName: props.apiFunctionName,
        qualifier: props.apiAliasName,
        principal: "apigateway.amazonaws.com",
        sourceArn: `${this.restApi.executionArn}/${props.stageName}/${route}`,
        // The qualifier is a plain name, so the alias must exist first.
        dependsOn: [props.apiAlias],
      });
    }

    if (props.settings.authorization === "api-key") {
      this.usagePlan(props);
    }
  }

  private usagePlan(props: ServiceApiProps): void {
    const key = new ApiGatewayApiKey(this, "api-key", {
      name: `${props.restApiName}-default`,
      description: "Default key of the usage plan; add one key per client",
      enabled: true,
    });
    const quota = props.settings.usagePlanQuotaPerDay;
    const plan = new ApiGatewayUsagePlan(this, "usage-plan", {
      name: `${props.restApiName}-${props.stageName}`,
      apiStages: [{ apiId: this.restApi.id, stage: this.stage.stageName }],
      throttleSettings: {
        rateLimit: props.derived.usagePlanThrottle.rateLimit,
        burstLimit: props.derived.usagePlanThrottle.burstLimit,
      },
      quotaSettings: quota !== undefined ? { limit: quota, period: "DAY" } : undefined,
    });
    new ApiGatewayUsagePlanKey(this, "usage-plan-key", {
      keyId: key.id,
      keyType: "API_KEY",
      usagePlanId: plan.id,
    });
  }
}

/** `/items/{id}` + GET → `~1items~1{id}/GET`, as API Gateway's method settings address a method. */
export function methodPath(resourcePath: string, method: string): string {
  return `${resourcePath.replaceAll("/", "~1")}/${method}`;
}

export function definitionHash(definition: unknown): string {
  return createHash("sha256").update(JSON.stringify(definition)).digest("hex");
}

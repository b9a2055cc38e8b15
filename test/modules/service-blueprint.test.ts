// The service blueprint alone, from explicit props: API Gateway -> Lambda -> DynamoDB and API
// Gateway -> SQS -> worker, each resource from the settings, names and derived sizes it is given.
// Code comes from S3 or a repository zip here; the bundled reference package is covered by the
// organization test (test/service-blueprint.test.ts).
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { App, TerraformLocal, TerraformOutput, TerraformStack } from "cdktf";
import { ApiGatewayAccount } from "@cdktf/provider-aws/lib/api-gateway-account";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ServiceBlueprint, type ServiceBlueprintProps } from "../../modules/service-blueprint";
import { ConcurrencyCheck } from "../../modules/service-blueprint/concurrency-check";
import {
  REPO,
  removeDir,
  statementsOf,
  synthModule,
  type ModuleJson,
  type TfJson,
  moduleRef,
} from "../helpers";

const OWN_ZIP = "test/fixtures/own-code/api.zip";
const KEY = "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const s3Code = (key: string) =>
  ({ kind: "s3", bucket: "artifacts", key, handler: "index.handler" }) as const;

const PROPS: ServiceBlueprintProps = {
  names: {
    restApi: "a-prod-api",
    stage: "prod",
    apiFunction: "a-prod-api",
    workerFunction: "a-prod-worker",
    alias: "live",
    queue: "a-prod-jobs",
    deadLetterQueue: "a-prod-jobs-dlq",
    table: "a-prod-items",
  },
  region: "eu-west-1",
  accountId: "210987654321",
  settings: {
    api: {
      authorization: "iam",
      cache: { enabled: false, sizeGb: "0.5", ttlSeconds: 300 },
    },
    functions: {
      api: { memoryMb: 1024, timeoutSeconds: 10, provisionedConcurrency: 0, code: s3Code("api") },
      worker: {
        memoryMb: 512,
        timeoutSeconds: 120,
        provisionedConcurrency: 0,
        code: s3Code("worker"),
      },
    },
    queue: {
      maxReceiveCount: 5,
      retentionSeconds: 345_600,
      batchSize: 10,
      maximumBatchingWindowSeconds: 5,
    },
    table: { ttlAttribute: "expiresAt" },
  },
  derived: {
    apiReservedConcurrency: 40,
    workerReservedConcurrency: 120,
    workerMaximumConcurrency: 110,
    queueVisibilityTimeoutSeconds: 725,
    apiThrottleRateLimit: 300,
    apiThrottleBurstLimit: 600,
    jobsThrottle: { rateLimit: 8, burstLimit: 16 },
    usagePlanThrottle: { rateLimit: 308, burstLimit: 616 },
  },
  production: true,
  logRetentionDays: 365,
  codeFields: {
    api: "teams/a.yaml: blueprint.functions.api.code",
    worker: "teams/a.yaml: blueprint.functions.worker.code",
  },
};

/** PROPS with some settings replaced. */
function variant(change: (p: ServiceBlueprintProps) => void): ServiceBlueprintProps {
  const p = structuredClone(PROPS);
  change(p);
  return p;
}

function build(props: ServiceBlueprintProps = PROPS) {
  let service!: ServiceBlueprint;
  const m = synthModule((s) => {
    service = new ServiceBlueprint(s, "service", props);
  });
  return { m, service };
}

const ref = moduleRef;
const any = () => true;
const named = (name: string) => (r: TfJson) => r.name === name;
const fnNamed = (name: string) => (r: TfJson) => r.function_name === name;
const fn = (m: ModuleJson, name: string) =>
  Object.values(m.resources("aws_lambda_function")).find(fnNamed(name))!;
const definition = (m: ModuleJson) => JSON.parse(m.resource("aws_api_gateway_rest_api").body);
const methodSettings = (m: ModuleJson, path: string) =>
  Object.values(m.resources("aws_api_gateway_method_settings")).find((s) => s.method_path === path);
function policyOfRole(m: ModuleJson, roleName: string): TfJson[] {
  const role = ref(m, "aws_iam_role", named(roleName), "id");
  const p = Object.values(m.resources("aws_iam_role_policy")).find((r) => r.role === role)!;
  return statementsOf(p.policy);
}

describe("an IAM-authorized production service", () => {
  let m: ModuleJson;
  let service: ServiceBlueprint;
  beforeAll(() => ({ m, service } = build()));

  test("obeys every synth-time guardrail on its own", () => {
    expect(m.violations()).toEqual([]);
  });

  test("the whole service, once, with typed fields for callers", () => {
    const count = (type: string) => Object.keys(m.resources(type)).length;
    expect({
      api: count("aws_api_gateway_rest_api"),
      deployment: count("aws_api_gateway_deployment"),
      stage: count("aws_api_gateway_stage"),
      functions: count("aws_lambda_function"),
      aliases: count("aws_lambda_alias"),
      mapping: count("aws_lambda_event_source_mapping"),
      queues: count("aws_sqs_queue"),
      queuePolicies: count("aws_sqs_queue_policy"),
      table: count("aws_dynamodb_table"),
      permissions: count("aws_lambda_permission"),
      usagePlans: count("aws_api_gateway_usage_plan"),
      provisioned: count("aws_lambda_provisioned_concurrency_config"),
    }).toEqual({
      api: 1,
      deployment: 1,
      stage: 1,
      functions: 2,
      aliases: 2,
      mapping: 1,
      queues: 2,
      queuePolicies: 2,
      table: 1,
      permissions: 2,
      usagePlans: 0,
      provisioned: 0,
    });
    expect(m.resources("aws_dynamodb_table")[service.table.friendlyUniqueId].name).toBe(
      "a-prod-items",
    );
    const queues = m.resources("aws_sqs_queue");
    expect(queues[service.queues.queue.friendlyUniqueId].name).toBe("a-prod-jobs");
    expect(queues[service.queues.deadLetterQueue.friendlyUniqueId].name).toBe("a-prod-jobs-dlq");
    expect(fn(m, "a-prod-api")).toBe(
      m.resources("aws_lambda_function")[service.apiFunction.function.friendlyUniqueId],
    );
  });

  test("functions: nodejs22.x on arm64, traced, published, sized, reserved and logging to their own group", () => {
    for (const [name, memory, timeout, reserved] of [
      ["a-prod-api", 1024, 10, 40],
      ["a-prod-worker", 512, 120, 120],
    ] as const) {
      const f = fn(m, name);
      expect(f).toMatchObject({
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        publish: true,
        tracing_config: { mode: "Active" },
        memory_size: memory,
        timeout,
        reserved_concurrent_executions: reserved,
        environment: {
          variables: {
            TABLE_NAME: "a-prod-items",
            QUEUE_NAME: "a-prod-jobs",
            TTL_ATTRIBUTE: "expiresAt",
          },
        },
        logging_config: {
          log_format: "JSON",
          log_group: ref(m, "aws_cloudwatch_log_group", named(`/aws/lambda/${name}`), "name"),
        },
      });
      // The group exists, with retention, before the first invocation could create one without.
      const group = ref(m, "aws_cloudwatch_log_group", named(`/aws/lambda/${name}`), "x");
      expect(f.depends_on).toContain(group.slice(2, -3));
      expect(
        Object.values(m.resources("aws_cloudwatch_log_group")).find(named(`/aws/lambda/${name}`))!
          .retention_in_days,
      ).toBe(365);
    }
  });

  test("each function's role allows only what its code does, on its own resources", () => {
    const table = ref(m, "aws_dynamodb_table", any, "arn");
    const queue = ref(m, "aws_sqs_queue", named("a-prod-jobs"), "arn");
    const logs = (name: string) =>
      `${ref(m, "aws_cloudwatch_log_group", named(`/aws/lambda/${name}`), "arn")}:*`;
    const common = (name: string) => [
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: logs(name),
      },
      {
        Sid: "Tracing",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
    ];
    expect(policyOfRole(m, "lz-a-prod-api")).toEqual([
      ...common("a-prod-api"),
      {
        Sid: "ItemsTable",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
        Resource: table,
      },
    ]);
    expect(policyOfRole(m, "lz-a-prod-worker")).toEqual([
      ...common("a-prod-worker"),
      {
        Sid: "ConsumeJobs",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: queue,
      },
      { Sid: "JobResults", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: table },
    ]);
    expect(policyOfRole(m, "lz-a-prod-api-sqs")).toEqual([
      { Sid: "SendJobs", Effect: "Allow", Action: "sqs:SendMessage", Resource: queue },
    ]);
    const trust = (role: string) =>
      statementsOf(
        Object.values(m.resources("aws_iam_role")).find(named(role))!.assume_role_policy,
      );
    for (const [role, service] of [
      ["lz-a-prod-api", "lambda.amazonaws.com"],
      ["lz-a-prod-worker", "lambda.amazonaws.com"],
      ["lz-a-prod-api-sqs", "apigateway.amazonaws.com"],
    ]) {
      expect(trust(role)).toEqual([
        { Effect: "Allow", Principal: { Service: service }, Action: "sts:AssumeRole" },
      ]);
    }
  });

  test("the live alias points at the published version; the worker drains the queue through it", () => {
    const version = ref(m, "aws_lambda_function", fnNamed("a-prod-api"), "version");
    const alias = Object.values(m.resources("aws_lambda_alias")).find(
      (a) => a.function_version === version,
    )!;
    expect(alias.name).toBe("live");
    expect(alias.routing_config).toBeUndefined();
    expect(m.resource("aws_lambda_event_source_mapping")).toEqual({
      event_source_arn: ref(m, "aws_sqs_queue", named("a-prod-jobs"), "arn"),
      function_name: ref(m, "aws_lambda_alias", (a) => a.function_name.includes("worker"), "arn"),
      batch_size: 10,
      maximum_batching_window_in_seconds: 5,
      function_response_types: ["ReportBatchItemFailures"],
      scaling_config: { maximum_concurrency: 110 },
    });
  });

  test("queues: encrypted, TLS only, dead letters after maxReceiveCount, kept in production", () => {
    const queues = m.resources("aws_sqs_queue");
    const main = Object.values(queues).find(named("a-prod-jobs"))!;
    const dlq = Object.values(queues).find(named("a-prod-jobs-dlq"))!;
    expect(main).toMatchObject({
      sqs_managed_sse_enabled: true,
      visibility_timeout_seconds: 725,
      message_retention_seconds: 345_600,
      lifecycle: { prevent_destroy: true },
    });
    expect(dlq).toMatchObject({
      sqs_managed_sse_enabled: true,
      message_retention_seconds: 1_209_600,
      lifecycle: { prevent_destroy: true },
    });
    expect(JSON.parse(main.redrive_policy)).toEqual({
      deadLetterTargetArn: ref(m, "aws_sqs_queue", named("a-prod-jobs-dlq"), "arn"),
      maxReceiveCount: 5,
    });
    for (const name of ["a-prod-jobs", "a-prod-jobs-dlq"]) {
      const url = ref(m, "aws_sqs_queue", named(name), "url");
      const policy = Object.values(m.resources("aws_sqs_queue_policy")).find(
        (p) => p.queue_url === url,
      )!;
      expect(statementsOf(policy.policy)).toEqual([
        {
          Sid: "DenyInsecureTransport",
          Effect: "Deny",
          Principal: "*",
          Action: "sqs:*",
          Resource: ref(m, "aws_sqs_queue", named(name), "arn"),
          Condition: { Bool: { "aws:SecureTransport": "false" } },
        },
      ]);
    }
  });

  test("the table: on demand, PITR, encrypted, TTL, deletion protection and prevent_destroy", () => {
    expect(m.resource("aws_dynamodb_table")).toEqual({
      name: "a-prod-items",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "pk",
      attribute: [{ name: "pk", type: "S" }],
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      ttl: { attribute_name: "expiresAt", enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the stage: JSON access logs with retention, X-Ray, no cache; throttles on every method", () => {
    const stage = m.resource("aws_api_gateway_stage");
    const access = ref(
      m,
      "aws_cloudwatch_log_group",
      named("/aws/apigateway/a-prod-api/access"),
      "arn",
    );
    expect(stage).toMatchObject({
      stage_name: "prod",
      xray_tracing_enabled: true,
      cache_cluster_enabled: false,
      deployment_id: ref(m, "aws_api_gateway_deployment", any, "id"),
      access_log_settings: { destination_arn: access },
    });
    expect(JSON.parse(stage.access_log_settings.format)).toMatchObject({
      requestId: "$context.requestId",
      status: "$context.status",
    });
    const execution = Object.values(m.resources("aws_cloudwatch_log_group")).find((g) =>
      g.name.startsWith("API-Gateway-Execution-Logs_"),
    )!;
    expect(execution.name).toBe(
      `API-Gateway-Execution-Logs_${ref(m, "aws_api_gateway_rest_api", any, "id")}/prod`,
    );
    expect(execution.retention_in_days).toBe(365);
    expect(methodSettings(m, "*/*")!.settings).toEqual({
      metrics_enabled: true,
      logging_level: "ERROR",
      data_trace_enabled: false,
      throttling_rate_limit: 300,
      throttling_burst_limit: 600,
      caching_enabled: false,
    });
    expect(methodSettings(m, "~1items~1{id}/GET")).toBeUndefined();
  });

  test("POST /jobs is throttled at the declared job rate, not the synchronous one", () => {
    expect(methodSettings(m, "~1jobs/POST")!.settings).toEqual({
      metrics_enabled: true,
      logging_level: "ERROR",
      data_trace_enabled: false,
      throttling_rate_limit: 8,
      throttling_burst_limit: 16,
      caching_enabled: false,
    });
  });

  test("routes: Lambda proxy on the live alias, SQS directly for jobs, IAM-authorized, validated", () => {
    const doc = definition(m);
    const aliasInvokeArn = ref(
      m,
      "aws_lambda_alias",
      (a) => !a.function_name.includes("worker"),
      "invoke_arn",
    );
    for (const op of [doc.paths["/items"].post, doc.paths["/items/{id}"].get]) {
      expect(op["x-amazon-apigateway-integration"]).toMatchObject({
        type: "aws_proxy",
        httpMethod: "POST",
        uri: aliasInvokeArn,
      });
      expect(op.security).toEqual([{ sigv4: [] }]);
    }
    expect(doc.paths["/items"].post["x-amazon-apigateway-request-validator"]).toBe("body");
    expect(doc.paths["/jobs"].post["x-amazon-apigateway-integration"]).toMatchObject({
      type: "aws",
      uri: "arn:aws:apigateway:eu-west-1:sqs:path/210987654321/a-prod-jobs",
      credentials: ref(m, "aws_iam_role", named("lz-a-prod-api-sqs"), "arn"),
    });
    const exec = ref(m, "aws_api_gateway_rest_api", any, "execution_arn");
    const perms = Object.values(m.resources("aws_lambda_permission"));
    expect(perms.map((p) => p.source_arn).sort()).toEqual(
      [`${exec}/prod/GET/items/*`, `${exec}/prod/POST/items`].sort(),
    );
    for (const p of perms) {
      expect(p).toMatchObject({
        principal: "apigateway.amazonaws.com",
        function_name: "a-prod-api",
        qualifier: "live",
        action: "lambda:InvokeFunction",
      });
      // The qualifier is a plain name, so the alias must exist first.
      expect(p.depends_on).toHaveLength(1);
      expect(p.depends_on[0]).toMatch(/^aws_lambda_alias\./);
    }
  });

  test("requireBeforeReserving puts the precondition on both functions", () => {
    const checked = synthModule((stack) => {
      const service = new ServiceBlueprint(stack, "service", PROPS);
      service.requireBeforeReserving({ condition: "${1 >= 2}", errorMessage: "too few" });
    });
    for (const name of ["a-prod-api", "a-prod-worker"]) {
      expect(fn(checked, name).lifecycle.precondition).toEqual([
        { condition: "${1 >= 2}", error_message: "too few" },
      ]);
    }
    expect(fn(m, "a-prod-api").lifecycle).toBeUndefined();
  });
});

test("the stage waits for what it is told to (the account's API Gateway log role)", () => {
  const m = synthModule((s) => {
    const account = new ApiGatewayAccount(s, "apigateway-account", { cloudwatchRoleArn: "arn:r" });
    new ServiceBlueprint(s, "service", { ...PROPS, stageDependsOn: [account] });
  });
  const dependsOn: string[] = m.resource("aws_api_gateway_stage").depends_on;
  expect(dependsOn).toContain(
    `aws_api_gateway_account.${Object.keys(m.resources("aws_api_gateway_account"))[0]}`,
  );
  expect(dependsOn.filter((d) => d.startsWith("aws_cloudwatch_log_group."))).toHaveLength(2);
});

test("outside production, the table and queues can be deleted", () => {
  const { m } = build(variant((p) => (p.production = false)));
  expect(m.resource("aws_dynamodb_table")).toMatchObject({ deletion_protection_enabled: false });
  expect(m.resource("aws_dynamodb_table").lifecycle).toBeUndefined();
  expect(m.violations()).toEqual([]);
  for (const q of Object.values(m.resources("aws_sqs_queue"))) expect(q.lifecycle).toBeUndefined();
});

describe("the deployment", () => {
  test("rolls forward on a hash of the definition: same props, same hash, in another synth", () => {
    const hash = (p: ServiceBlueprintProps) =>
      build(p).m.resource("aws_api_gateway_deployment").triggers.redeployment;
    const first = build().m.resource("aws_api_gateway_deployment");
    expect(first.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(first.lifecycle).toEqual({ create_before_destroy: true });
    expect(hash(PROPS)).toBe(first.triggers.redeployment);
    expect(hash(variant((p) => (p.settings.api.authorization = "none")))).not.toBe(
      first.triggers.redeployment,
    );
    // A looked-up account id (a Terraform local, as the stack passes it) is hashed as what it
    // stands for, whatever the lookup's expression.
    const lookedUp = (expression: string) =>
      synthModule((s) => {
        const accountId = new TerraformLocal(s, "account_id", expression).asString;
        new ServiceBlueprint(s, "service", { ...PROPS, accountId });
      }).resource("aws_api_gateway_deployment").triggers.redeployment;
    expect(lookedUp("${one(a)}")).toBe(lookedUp("${one(b)}"));
    expect(lookedUp("${one(a)}")).not.toBe(first.triggers.redeployment);
  });
});

describe("API keys with a usage plan, and a cached GET", () => {
  let m: ModuleJson;
  beforeAll(() => {
    m = build(
      variant((p) => {
        p.settings.api = {
          authorization: "api-key",
          usagePlanQuotaPerDay: 50_000_000,
          cache: { enabled: true, sizeGb: "1.6", ttlSeconds: 300 },
        };
      }),
    ).m;
  });

  test("obeys every synth-time guardrail on its own", () => {
    expect(m.violations()).toEqual([]);
  });

  test("the usage plan throttles from the derived numbers, with the daily quota, and a key", () => {
    expect(m.resource("aws_api_gateway_usage_plan")).toMatchObject({
      name: "a-prod-api-prod",
      // The key meters every route: synchronous and job limits together.
      throttle_settings: { rate_limit: 308, burst_limit: 616 },
      quota_settings: { limit: 50_000_000, period: "DAY" },
      api_stages: [
        {
          api_id: ref(m, "aws_api_gateway_rest_api", any, "id"),
          stage: ref(m, "aws_api_gateway_stage", any, "stage_name"),
        },
      ],
    });
    expect(m.resource("aws_api_gateway_api_key")).toMatchObject({
      name: "a-prod-api-default",
      enabled: true,
    });
    expect(m.resource("aws_api_gateway_usage_plan_key")).toEqual({
      key_id: ref(m, "aws_api_gateway_api_key", any, "id"),
      key_type: "API_KEY",
      usage_plan_id: ref(m, "aws_api_gateway_usage_plan", any, "id"),
    });
    const doc = definition(m);
    expect(doc.paths["/items"].post.security).toEqual([{ api_key: [] }]);
    expect(doc.components.securitySchemes).toEqual({
      api_key: { type: "apiKey", name: "x-api-key", in: "header" },
    });
  });

  test("GET /items/{id} is cached, encrypted, keyed on the id, repeating the stage's throttles", () => {
    expect(m.resource("aws_api_gateway_stage")).toMatchObject({
      cache_cluster_enabled: true,
      cache_cluster_size: "1.6",
    });
    expect(methodSettings(m, "~1items~1{id}/GET")!.settings).toEqual({
      metrics_enabled: true,
      logging_level: "ERROR",
      data_trace_enabled: false,
      throttling_rate_limit: 300,
      throttling_burst_limit: 600,
      caching_enabled: true,
      cache_ttl_in_seconds: 300,
      cache_data_encrypted: true,
      require_authorization_for_cache_control: true,
      unauthorized_cache_control_header_strategy: "FAIL_WITH_403",
    });
    expect(methodSettings(m, "*/*")!.settings.caching_enabled).toBe(false);
    expect(
      definition(m).paths["/items/{id}"].get["x-amazon-apigateway-integration"].cacheKeyParameters,
    ).toEqual(["method.request.path.id"]);
  });
});

describe("own code, a canary, provisioned concurrency, no authorization and a customer key", () => {
  const props = variant((p) => {
    p.settings.api = {
      authorization: "none",
      cache: { enabled: true, sizeGb: "0.5", ttlSeconds: 60 },
    };
    p.settings.functions.api.code = { kind: "path", path: OWN_ZIP, handler: "index.handler" };
    p.settings.functions.api.canary = { stableVersion: "3", weight: 0.1 };
    p.settings.functions.api.provisionedConcurrency = 10;
    p.settings.functions.worker.code = {
      kind: "s3",
      bucket: "variant-artifacts",
      key: "worker/v42.zip",
      objectVersion: "v42",
      handler: "main.handle",
    };
    p.settings.table.kmsKeyArn = KEY;
  });
  let m: ModuleJson;
  beforeAll(() => {
    m = build(props).m;
  });

  test("obeys every synth-time guardrail on its own", () => {
    expect(m.violations()).toEqual([]);
  });

  test("a zip from the repository: an asset of the stack, hashed from its bytes", () => {
    const api = fn(m, "a-prod-api");
    const own = readFileSync(join(REPO, OWN_ZIP));
    expect(api.source_code_hash).toBe(createHash("sha256").update(own).digest("base64"));
    expect(api.filename).toMatch(/^assets\/[^/]+\/[0-9A-F]+\/api\.zip$/);
    expect(api.handler).toBe("index.handler");
  });

  test("the zip is copied next to the stack's Terraform, so the stack's folder deploys on its own", () => {
    const outdir = mkdtempSync(join(tmpdir(), "lz-module-"));
    try {
      const app = new App({ outdir });
      const stack = new TerraformStack(app, "test");
      new AwsProvider(stack, "aws", { region: "eu-west-1" });
      new ServiceBlueprint(stack, "service", props);
      app.synth();
      const stackDir = join(outdir, "stacks", "test");
      const tf = JSON.parse(readFileSync(join(stackDir, "cdk.tf.json"), "utf8")) as TfJson;
      const api = Object.values(tf.resource.aws_lambda_function as TfJson).find(
        fnNamed("a-prod-api"),
      );
      expect(readFileSync(join(stackDir, api.filename))).toEqual(readFileSync(join(REPO, OWN_ZIP)));
    } finally {
      removeDir(outdir);
    }
  });

  test("an object in S3: bucket, key and version, no local file", () => {
    const worker = fn(m, "a-prod-worker");
    expect(worker).toMatchObject({
      s3_bucket: "variant-artifacts",
      s3_key: "worker/v42.zip",
      s3_object_version: "v42",
      handler: "main.handle",
    });
    expect(worker.filename).toBeUndefined();
    expect(worker.source_code_hash).toBeUndefined();
  });

  test("a weighted alias keeps live on the stable version and sends 10 % to the new one; provisioned concurrency sits on it", () => {
    const version = ref(m, "aws_lambda_function", fnNamed("a-prod-api"), "version");
    const alias = Object.values(m.resources("aws_lambda_alias")).find(
      (a) => a.routing_config !== undefined,
    )!;
    expect(alias).toMatchObject({
      name: "live",
      function_version: "3",
      routing_config: { additional_version_weights: { [version]: 0.1 } },
    });
    expect(m.resource("aws_lambda_provisioned_concurrency_config")).toEqual({
      function_name: ref(m, "aws_lambda_function", fnNamed("a-prod-api"), "function_name"),
      qualifier: ref(m, "aws_lambda_alias", (a) => a.routing_config !== undefined, "name"),
      provisioned_concurrent_executions: 10,
    });
  });

  test("no stage canary, the cache with its TTL, and no authorization", () => {
    const stage = m.resource("aws_api_gateway_stage");
    expect(stage.canary_settings).toBeUndefined();
    expect(stage).toMatchObject({ cache_cluster_enabled: true, cache_cluster_size: "0.5" });
    expect(methodSettings(m, "~1items~1{id}/GET")!.settings.cache_ttl_in_seconds).toBe(60);
    const doc = definition(m);
    expect(doc.paths["/items"].post.security).toBeUndefined();
    expect(doc.components.securitySchemes).toEqual({});
    expect(m.resources("aws_api_gateway_usage_plan")).toEqual({});
  });

  test("the customer key encrypts the table, and the roles may use it only through DynamoDB", () => {
    expect(m.resource("aws_dynamodb_table").server_side_encryption).toEqual({
      enabled: true,
      kms_key_arn: KEY,
    });
    for (const role of ["lz-a-prod-api", "lz-a-prod-worker"]) {
      expect(policyOfRole(m, role).find((s) => s.Sid === "TableKey")).toEqual({
        Sid: "TableKey",
        Effect: "Allow",
        Action: ["kms:Decrypt", "kms:GenerateDataKey"],
        Resource: KEY,
        Condition: { StringEquals: { "kms:ViaService": "dynamodb.eu-west-1.amazonaws.com" } },
      });
    }
  });
});

test("a missing zip stops synth naming the field the code came from", () => {
  const props = variant((p) => {
    p.settings.functions.api.code = { kind: "path", path: "dist/missing.zip", handler: "h" };
  });
  expect(() => build(props)).toThrow(
    'teams/a.yaml: blueprint.functions.api.code: path "dist/missing.zip" does not exist (relative to the repository root); build the zip before synth',
  );
});

describe("the concurrency check", () => {
  const check = (requestAddress?: string) =>
    synthModule((s) => {
      const c = new ConcurrencyCheck(s, "concurrency-check", {
        stackId: "team-a-prod",
        reserved: 160,
        unreservedMinimum: 100,
        requestAddress,
      });
      // What the blueprint receives through requireBeforeReserving, in an output to read back.
      new TerraformOutput(s, "precondition", { value: c.precondition });
    });

  test("reads the account's Lambda quota at plan time into the stack-level local", () => {
    const m = check();
    expect(Object.values(m.data("aws_servicequotas_service_quota"))).toEqual([
      { service_code: "lambda", quota_code: "L-B99A9384" },
    ]);
    const data = Object.keys(m.data("aws_servicequotas_service_quota"))[0];
    expect(m.json.locals).toEqual({
      lambda_concurrency_quota: `\${data.aws_servicequotas_service_quota.${data}.value}`,
    });
  });

  test("requires reserved + unreserved minimum, and says how to get more", () => {
    expect(check().json.output.precondition.value).toEqual({
      condition: "${local.lambda_concurrency_quota >= 260}",
      errorMessage:
        "team-a-prod: this account's Lambda concurrent executions quota is ${local.lambda_concurrency_quota}, but the blueprint reserves 160 and AWS keeps 100 unreserved, so it needs at least 260. Request an increase (quotas.lambdaConcurrentExecutions in the team file files the request) or lower the declared traffic.",
    });
    expect(
      check("aws_servicequotas_service_quota.q").json.output.precondition.value.errorMessage,
    ).toContain(
      "The increase this stack requests is filed by: terraform apply -target=aws_servicequotas_service_quota.q; plan again once AWS has granted it.",
    );
  });
});

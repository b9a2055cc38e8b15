// The service blueprint as a user reads it: cdk.tf.json of the team stacks of the example
// organization, synthesized once, with the numbers and names config derives for each team. What the
// module does with any one setting (own code, canary, cache, no auth, customer key) is tested on the
// module alone in test/modules/service-blueprint.test.ts; here a team file with those settings is
// checked to resolve into exactly those module inputs.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { unzipSync } from "fflate";
import { loadLandingZone } from "../config/load";
import { allTeamEnvironments, isSized, type TeamEnvironment } from "../config/model";
import { blueprintNames } from "../config/names";
import { definitionHash } from "../modules/service-blueprint/api";
import { apiDefinition, type ApiDefinitionInput } from "../modules/service-blueprint/openapi";
import {
  bundleReference,
  referencePackage,
  zipDeterministic,
} from "../modules/service-blueprint/reference-package";
import {
  copyExampleAccounts,
  removeDir,
  REPO,
  synthAccounts,
  writeFiles,
  type Synthesized,
  type TfJson,
} from "./helpers";

const VARIANT = `name: variant
owners:
  - name: Vera Variant
    email: vera.variant@acme.example
costCenter: CC-9999
blueprint:
  api:
    authorization: none
    cache: { enabled: true, sizeGb: "0.5", ttlSeconds: 60 }
  functions:
    api:
      code: { path: test/fixtures/own-code/api.zip, handler: index.handler }
      canary: { stableVersion: "3", weight: 0.1 }
    worker:
      code:
        s3: { bucket: variant-artifacts, key: worker/v42.zip, objectVersion: v42 }
        handler: main.handle
  table:
    kmsKeyArn: arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab
environments:
  dev:
    traffic:
      sync: { requestsPerSecond: 0.5, averageDurationMs: 20, p99DurationMs: 100 }
`;

let example: Synthesized;

beforeAll(() => {
  example = synthAccounts(undefined, "team-*");
});

/** The example's accounts holding the serverless API (the reporting team's hold other blueprints). */
const teamEnvs = () => allTeamEnvironments(example.lz).filter(isSized);
const envOf = (stackId: string): TeamEnvironment =>
  teamEnvs().find((e) => e.account.stackId === stackId)!;

/** `${aws_x.key.attr}` for the only resource of a type whose field matches. */
function ref(
  s: Synthesized,
  id: string,
  type: string,
  match: (r: TfJson) => boolean,
  attr: string,
) {
  const keys = Object.entries(s.resources(id, type))
    .filter(([, r]) => match(r))
    .map(([k]) => k);
  expect(keys).toHaveLength(1);
  return `\${${type}.${keys[0]}.${attr}}`;
}
const byName = (name: string) => (r: TfJson) => r.name === name;
const fnNamed = (name: string) => (r: TfJson) => r.function_name === name;

function fn(s: Synthesized, id: string, name: string): TfJson {
  return Object.values(s.resources(id, "aws_lambda_function")).find(fnNamed(name))!;
}
function definition(s: Synthesized, id: string): TfJson {
  return JSON.parse(s.resource(id, "aws_api_gateway_rest_api").body as string) as TfJson;
}
function methodSettings(s: Synthesized, id: string, path: string): TfJson | undefined {
  return Object.values(s.resources(id, "aws_api_gateway_method_settings")).find(
    (m) => m.method_path === path,
  );
}
function policyOf(s: Synthesized, id: string, roleKeyRef: string): TfJson {
  const p = Object.values(s.resources(id, "aws_iam_role_policy")).find(
    (r) => r.role === roleKeyRef,
  );
  return JSON.parse(p!.policy as string) as TfJson;
}
const roleId = (s: Synthesized, id: string, name: string) =>
  ref(s, id, "aws_iam_role", byName(name), "id");

describe("every team stack", () => {
  test("gets the whole service, once", () => {
    const ids = teamEnvs().map((e) => e.account.stackId);
    expect(ids).toHaveLength(7);
    for (const id of ids) {
      const count = (type: string) => Object.keys(example.resources(id, type)).length;
      expect([
        count("aws_api_gateway_rest_api"),
        count("aws_api_gateway_deployment"),
        count("aws_api_gateway_stage"),
        count("aws_lambda_function"),
        count("aws_lambda_alias"),
        count("aws_lambda_event_source_mapping"),
        count("aws_sqs_queue"),
        count("aws_sqs_queue_policy"),
        count("aws_dynamodb_table"),
        count("aws_lambda_permission"),
      ]).toEqual([1, 1, 1, 2, 2, 1, 2, 2, 1, 2]);
    }
  });

  test("sizes every limit from env.derived", () => {
    for (const env of teamEnvs()) {
      const id = env.account.stackId;
      const n = blueprintNames(env);
      const d = env.derived!;
      expect(fn(example, id, n.apiFunction).reserved_concurrent_executions).toBe(
        d.apiReservedConcurrency,
      );
      expect(fn(example, id, n.workerFunction).reserved_concurrent_executions).toBe(
        d.workerReservedConcurrency,
      );
      expect(example.resource(id, "aws_lambda_event_source_mapping").scaling_config).toEqual({
        maximum_concurrency: d.workerMaximumConcurrency,
      });
      const queue = Object.values(example.resources(id, "aws_sqs_queue")).find(byName(n.queue))!;
      expect(queue.visibility_timeout_seconds).toBe(d.queueVisibilityTimeoutSeconds);
      expect(methodSettings(example, id, "*/*")!.settings).toMatchObject({
        throttling_rate_limit: d.apiThrottleRateLimit,
        throttling_burst_limit: d.apiThrottleBurstLimit,
        metrics_enabled: true,
      });
    }
  });

  test("uses the names of config/names.ts and lz- role names", () => {
    for (const env of teamEnvs()) {
      const id = env.account.stackId;
      const n = blueprintNames(env);
      expect(example.resource(id, "aws_api_gateway_rest_api").name).toBe(n.restApi);
      expect(example.resource(id, "aws_api_gateway_stage").stage_name).toBe(n.stage);
      expect(example.resource(id, "aws_dynamodb_table").name).toBe(n.table);
      expect(
        Object.values(example.resources(id, "aws_sqs_queue"))
          .map((q) => q.name)
          .sort(),
      ).toEqual([n.queue, n.deadLetterQueue].sort());
      expect(Object.values(example.resources(id, "aws_lambda_alias")).map((a) => a.name)).toEqual([
        n.alias,
        n.alias,
      ]);
      const roles = Object.values(example.resources(id, "aws_iam_role")).map((r) => r.name);
      expect(roles).toEqual(
        expect.arrayContaining([
          `lz-${n.apiFunction}`,
          `lz-${n.workerFunction}`,
          `lz-${n.restApi}-sqs`,
        ]),
      );
      for (const r of roles) expect(r).toMatch(/^lz-/);
    }
  });

  test("grants no wildcard actions and no Allow on all resources beyond X-Ray", () => {
    for (const env of teamEnvs()) {
      for (const p of Object.values(
        example.resources(env.account.stackId, "aws_iam_role_policy"),
      )) {
        for (const s of (JSON.parse(p.policy as string) as TfJson).Statement as TfJson[]) {
          const actions = ([] as string[]).concat(s.Action);
          for (const a of actions) expect(a).not.toContain("*");
          // A Deny on all resources takes away (the plan role's deny-data-reads); only Allows grant.
          if (s.Resource === "*" && s.Effect === "Allow")
            expect(actions.every((a) => a.startsWith("xray:"))).toBe(true);
        }
      }
    }
  });
});

describe("Terraform expressions inside JSON documents", () => {
  // A policy or API body is JSON inside a Terraform string: a quote inside ${...} arrives as \" and
  // breaks the template at plan time. Account ids looked up by email contain quotes.
  const ESCAPED_QUOTE_IN_EXPRESSION = /\$\{[^}]*\\"/;
  function strings(x: unknown, out: string[] = []): string[] {
    if (typeof x === "string") out.push(x);
    else if (Array.isArray(x)) x.forEach((v) => strings(v, out));
    else if (x && typeof x === "object") Object.values(x).forEach((v) => strings(v, out));
    return out;
  }

  test("never carry an escaped quote, in any team stack", () => {
    for (const env of teamEnvs()) {
      const bad = strings(example.stack(env.account.stackId).resource).filter((v) =>
        ESCAPED_QUOTE_IN_EXPRESSION.test(v),
      );
      expect(bad).toEqual([]);
    }
  });

  test("an account looked up at plan time reaches the SQS path through a local", () => {
    const id = "team-notifications-prod";
    const uri = definition(example, id).paths["/jobs"].post["x-amazon-apigateway-integration"].uri;
    const [, local] =
      /^arn:aws:apigateway:eu-west-1:sqs:path\/\$\{local\.([^}]+)\}\/notifications-prod-jobs$/.exec(
        uri as string,
      )!;
    expect(example.stack(id).locals[local]).toMatch(
      /^\$\{one\(\[for a in data\.aws_organizations_organization\..+ == "aws\+notifications-prod@acme\.example"\]\)\}$/,
    );
    // A recorded id stays a literal, readable in the plan.
    expect(
      example.stack("team-payments-prod").locals?.account_id_team_payments_prod,
    ).toBeUndefined();
    expect(
      definition(example, "team-payments-prod").paths["/jobs"].post[
        "x-amazon-apigateway-integration"
      ].uri,
    ).toBe("arn:aws:apigateway:eu-west-1:sqs:path/210987654321/payments-prod-jobs");
  });
});

describe("payments prod (200 rps × 120 ms, 5 msg/s × 20 s, headroom 1.2)", () => {
  const id = "team-payments-prod";

  test("hand-computed numbers reach the resources", () => {
    expect(fn(example, id, "payments-prod-api").reserved_concurrent_executions).toBe(40);
    expect(fn(example, id, "payments-prod-worker").reserved_concurrent_executions).toBe(120);
    expect(example.resource(id, "aws_lambda_event_source_mapping").scaling_config).toEqual({
      maximum_concurrency: 120,
    });
    const queue = Object.values(example.resources(id, "aws_sqs_queue")).find(
      byName("payments-prod-jobs"),
    )!;
    expect(queue.visibility_timeout_seconds).toBe(725); // 6 × 120 + 5
    expect(methodSettings(example, id, "*/*")!.settings).toMatchObject({
      throttling_rate_limit: 300,
      throttling_burst_limit: 600,
    });
  });

  test("functions: nodejs22.x on arm64, traced, published, sized from the team file", () => {
    for (const name of ["payments-prod-api", "payments-prod-worker"]) {
      const f = fn(example, id, name);
      expect(f).toMatchObject({
        runtime: "nodejs22.x",
        architectures: ["arm64"],
        publish: true,
        tracing_config: { mode: "Active" },
        memory_size: 1024,
        handler: "index.handler",
        environment: {
          variables: {
            TABLE_NAME: "payments-prod-items",
            QUEUE_NAME: "payments-prod-jobs",
            TTL_ATTRIBUTE: "expiresAt",
          },
        },
      });
      const logGroup = ref(
        example,
        id,
        "aws_cloudwatch_log_group",
        byName(`/aws/lambda/${name}`),
        "name",
      );
      expect(f.logging_config.log_group).toBe(logGroup);
      // Created before the function, with the environment's retention.
      expect(f.depends_on).toContain(logGroup.slice(2, -6));
      const group = Object.values(example.resources(id, "aws_cloudwatch_log_group")).find(
        byName(`/aws/lambda/${name}`),
      )!;
      expect(group.retention_in_days).toBe(365);
    }
    expect(fn(example, id, "payments-prod-api").timeout).toBe(10);
    expect(fn(example, id, "payments-prod-worker").timeout).toBe(120);
  });

  test("the live alias points at the published version; provisioned concurrency sits on it", () => {
    const api = ref(example, id, "aws_lambda_function", fnNamed("payments-prod-api"), "version");
    const alias = Object.values(example.resources(id, "aws_lambda_alias")).find(
      (a) => a.function_version === api,
    )!;
    expect(alias.name).toBe("live");
    expect(alias.routing_config).toBeUndefined();
    expect(example.resource(id, "aws_lambda_provisioned_concurrency_config")).toMatchObject({
      provisioned_concurrent_executions: 10,
      qualifier: ref(example, id, "aws_lambda_alias", (a) => a.function_version === api, "name"),
    });
  });

  test("the reference code is the deterministic zip, with its hash", () => {
    const pkg = referencePackage("api");
    const f = fn(example, id, "payments-prod-api");
    expect(f.source_code_hash).toBe(pkg.sha256);
    const shipped = readFileSync(join(example.outdir, "stacks", id, f.filename as string));
    expect(createHash("sha256").update(shipped).digest("base64")).toBe(pkg.sha256);
    expect(f.filename).toMatch(/^assets\/[^/]+\/[0-9A-F]+\/api\.zip$/);
  });

  test("POST /items and GET /items/{id} are proxy integrations on the live alias, IAM-authorized", () => {
    const doc = definition(example, id);
    const aliasInvokeArn = ref(
      example,
      id,
      "aws_lambda_alias",
      (a) =>
        a.function_name ===
        ref(example, id, "aws_lambda_function", fnNamed("payments-prod-api"), "function_name"),
      "invoke_arn",
    );
    const post = doc.paths["/items"].post;
    const get = doc.paths["/items/{id}"].get;
    for (const op of [post, get]) {
      expect(op["x-amazon-apigateway-integration"]).toMatchObject({
        type: "aws_proxy",
        httpMethod: "POST",
        uri: aliasInvokeArn,
      });
      expect(op.security).toEqual([{ sigv4: [] }]);
    }
    expect(doc.components.securitySchemes.sigv4["x-amazon-apigateway-authtype"]).toBe("awsSigv4");
    // The POST body is validated against the NewItem model before the function runs.
    expect(post["x-amazon-apigateway-request-validator"]).toBe("body");
    expect(doc["x-amazon-apigateway-request-validators"].body.validateRequestBody).toBe(true);
    expect(post.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/NewItem",
    );
    expect(doc.components.schemas.NewItem).toMatchObject({ type: "object", required: ["name"] });
    // API Gateway may invoke the alias, on these routes of this stage only.
    const perms = Object.values(example.resources(id, "aws_lambda_permission"));
    const exec = ref(example, id, "aws_api_gateway_rest_api", () => true, "execution_arn");
    expect(perms.map((p) => p.source_arn).sort()).toEqual(
      [`${exec}/prod/GET/items/*`, `${exec}/prod/POST/items`].sort(),
    );
    for (const p of perms) {
      expect(p).toMatchObject({
        principal: "apigateway.amazonaws.com",
        function_name: "payments-prod-api",
        action: "lambda:InvokeFunction",
      });
      expect(p.qualifier).toBe("live");
    }
  });

  test("POST /jobs integrates API Gateway directly with SQS, with a send-only role", () => {
    const job = definition(example, id).paths["/jobs"].post;
    const integration = job["x-amazon-apigateway-integration"];
    expect(integration).toMatchObject({
      type: "aws",
      httpMethod: "POST",
      uri: "arn:aws:apigateway:eu-west-1:sqs:path/210987654321/payments-prod-jobs",
      credentials: ref(example, id, "aws_iam_role", byName("lz-payments-prod-api-sqs"), "arn"),
      passthroughBehavior: "never",
      requestParameters: {
        "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'",
      },
      requestTemplates: {
        "application/json": "Action=SendMessage&MessageBody=$util.urlEncode($input.body)",
      },
    });
    expect(integration.responses["2\\d{2}"]).toEqual({
      statusCode: "202",
      responseTemplates: {
        "application/json":
          '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}',
      },
    });
    expect(integration.responses.default.statusCode).toBe("500");
    expect(job.requestBody.content["application/json"].schema.$ref).toBe(
      "#/components/schemas/Job",
    );
    const policy = policyOf(example, id, roleId(example, id, "lz-payments-prod-api-sqs"));
    expect(policy.Statement).toEqual([
      {
        Sid: "SendJobs",
        Effect: "Allow",
        Action: "sqs:SendMessage",
        Resource: ref(example, id, "aws_sqs_queue", byName("payments-prod-jobs"), "arn"),
      },
    ]);
    const trust = JSON.parse(
      Object.values(example.resources(id, "aws_iam_role")).find(byName("lz-payments-prod-api-sqs"))!
        .assume_role_policy as string,
    ) as TfJson;
    expect(trust.Statement[0].Principal).toEqual({ Service: "apigateway.amazonaws.com" });
  });

  test("the worker drains the queue through its alias, in deliberate batches, reporting failures", () => {
    expect(example.resource(id, "aws_lambda_event_source_mapping")).toMatchObject({
      event_source_arn: ref(example, id, "aws_sqs_queue", byName("payments-prod-jobs"), "arn"),
      function_name: ref(
        example,
        id,
        "aws_lambda_alias",
        (a) => a.function_name.includes("worker"),
        "arn",
      ),
      batch_size: 10,
      maximum_batching_window_in_seconds: 5,
      function_response_types: ["ReportBatchItemFailures"],
    });
  });

  test("each function's role allows only what its code does, on its own resources", () => {
    const table = ref(example, id, "aws_dynamodb_table", () => true, "arn");
    const queue = ref(example, id, "aws_sqs_queue", byName("payments-prod-jobs"), "arn");
    const api = policyOf(example, id, roleId(example, id, "lz-payments-prod-api")).Statement;
    const worker = policyOf(example, id, roleId(example, id, "lz-payments-prod-worker")).Statement;
    const logArn = (name: string) =>
      `${ref(example, id, "aws_cloudwatch_log_group", byName(`/aws/lambda/${name}`), "arn")}:*`;
    expect(api).toEqual([
      {
        Sid: "WriteOwnLogs",
        Effect: "Allow",
        Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
        Resource: logArn("payments-prod-api"),
      },
      {
        Sid: "Tracing",
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      },
      {
        Sid: "ItemsTable",
        Effect: "Allow",
        Action: ["dynamodb:GetItem", "dynamodb:PutItem"],
        Resource: table,
      },
    ]);
    expect(worker.slice(2)).toEqual([
      {
        Sid: "ConsumeJobs",
        Effect: "Allow",
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"],
        Resource: queue,
      },
      { Sid: "JobResults", Effect: "Allow", Action: ["dynamodb:PutItem"], Resource: table },
    ]);
    expect(worker[0].Resource).toBe(logArn("payments-prod-worker"));
  });

  test("queues: encrypted, TLS only, dead letters after maxReceiveCount", () => {
    const queues = example.resources(id, "aws_sqs_queue");
    const main = Object.values(queues).find(byName("payments-prod-jobs"))!;
    const dlq = Object.values(queues).find(byName("payments-prod-jobs-dlq"))!;
    expect(main.sqs_managed_sse_enabled).toBe(true);
    expect(dlq.sqs_managed_sse_enabled).toBe(true);
    expect(main.message_retention_seconds).toBe(345_600);
    expect(dlq.message_retention_seconds).toBe(1_209_600);
    // Production: neither queue may be destroyed with messages in it.
    expect(main.lifecycle).toEqual({ prevent_destroy: true });
    expect(dlq.lifecycle).toEqual({ prevent_destroy: true });
    for (const q of Object.values(example.resources("team-payments-dev", "aws_sqs_queue"))) {
      expect(q.lifecycle).toBeUndefined();
    }
    expect(JSON.parse(main.redrive_policy as string)).toEqual({
      deadLetterTargetArn: ref(
        example,
        id,
        "aws_sqs_queue",
        byName("payments-prod-jobs-dlq"),
        "arn",
      ),
      maxReceiveCount: 5,
    });
    const policies = Object.values(example.resources(id, "aws_sqs_queue_policy"));
    expect(policies.map((p) => p.queue_url).sort()).toEqual(
      [
        ref(example, id, "aws_sqs_queue", byName("payments-prod-jobs"), "url"),
        ref(example, id, "aws_sqs_queue", byName("payments-prod-jobs-dlq"), "url"),
      ].sort(),
    );
    for (const p of policies) {
      expect((JSON.parse(p.policy as string) as TfJson).Statement[0]).toMatchObject({
        Effect: "Deny",
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      });
    }
  });

  test("the table: on demand, PITR, encrypted, TTL, deletion protection and prevent_destroy", () => {
    expect(example.resource(id, "aws_dynamodb_table")).toMatchObject({
      name: "payments-prod-items",
      billing_mode: "PAY_PER_REQUEST",
      hash_key: "pk",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: { enabled: true },
      ttl: { attribute_name: "expiresAt", enabled: true },
      deletion_protection_enabled: true,
      lifecycle: { prevent_destroy: true },
    });
  });

  test("the stage: JSON access logs with retention, X-Ray, no cache, after the account's log role", () => {
    const stage = example.resource(id, "aws_api_gateway_stage");
    expect(stage).toMatchObject({
      stage_name: "prod",
      xray_tracing_enabled: true,
      cache_cluster_enabled: false,
      deployment_id: ref(example, id, "aws_api_gateway_deployment", () => true, "id"),
    });
    expect(stage.canary_settings).toBeUndefined();
    const access = Object.values(example.resources(id, "aws_cloudwatch_log_group")).find(
      byName("/aws/apigateway/payments-prod-api/access"),
    )!;
    expect(access.retention_in_days).toBe(365);
    expect(stage.access_log_settings.destination_arn).toBe(
      ref(
        example,
        id,
        "aws_cloudwatch_log_group",
        byName("/aws/apigateway/payments-prod-api/access"),
        "arn",
      ),
    );
    expect(JSON.parse(stage.access_log_settings.format as string)).toMatchObject({
      requestId: "$context.requestId",
      status: "$context.status",
    });
    expect(stage.depends_on).toContain(
      "aws_api_gateway_account.baseline_apigateway-account_8155DF72",
    );
    expect(methodSettings(example, id, "~1items~1{id}/GET")).toBeUndefined();
  });

  test("the deployment rolls forward on a hash of the definition", () => {
    const deployment = example.resource(id, "aws_api_gateway_deployment");
    expect(deployment.triggers.redeployment).toMatch(/^[0-9a-f]{64}$/);
    expect(deployment.lifecycle).toEqual({ create_before_destroy: true });
    // The hash's stability across synths: test/modules/service-blueprint.test.ts.
  });
});

describe("the API definition hash", () => {
  const input: ApiDefinitionInput = {
    title: "t-dev-api",
    region: "eu-west-1",
    queueName: "t-dev-jobs",
    authorization: "iam",
    refs: {
      apiFunctionInvokeArn: "lambda:t-dev-api:live",
      queueRoleArn: "role:r",
      accountId: "111111111111",
    },
  };
  test("is stable for the same definition and changes with it", () => {
    expect(definitionHash(apiDefinition(input))).toBe(definitionHash(apiDefinition({ ...input })));
    expect(definitionHash(apiDefinition({ ...input, authorization: "api-key" }))).not.toBe(
      definitionHash(apiDefinition(input)),
    );
    expect(definitionHash(apiDefinition({ ...input, queueName: "other" }))).not.toBe(
      definitionHash(apiDefinition(input)),
    );
  });
});

describe("catalog: API keys with a usage plan, and a stage cache in prod", () => {
  test("usage plan throttles from the derived numbers, with the daily quota of the team file", () => {
    const id = "team-catalog-prod";
    const d = envOf(id).derived!;
    // 4000 rps + 50 jobs/s, × 1.5 = 6075, within the account's 10000; burst capped at its 5000.
    expect(d.usagePlanThrottle).toEqual({ rateLimit: 6075, burstLimit: 5000 });
    expect(example.resource(id, "aws_api_gateway_usage_plan")).toMatchObject({
      throttle_settings: {
        rate_limit: d.usagePlanThrottle.rateLimit,
        burst_limit: d.usagePlanThrottle.burstLimit,
      },
      quota_settings: { limit: 50_000_000, period: "DAY" },
      api_stages: [
        {
          api_id: ref(example, id, "aws_api_gateway_rest_api", () => true, "id"),
          stage: ref(example, id, "aws_api_gateway_stage", () => true, "stage_name"),
        },
      ],
    });
    expect(d.apiThrottleRateLimit).toBe(6000);
    expect(d.apiThrottleBurstLimit).toBe(5000);
    expect(example.resource(id, "aws_api_gateway_usage_plan_key")).toMatchObject({
      key_type: "API_KEY",
      key_id: ref(example, id, "aws_api_gateway_api_key", () => true, "id"),
    });
    const doc = definition(example, id);
    expect(doc.paths["/items"].post.security).toEqual([{ api_key: [] }]);
    expect(doc.components.securitySchemes.api_key).toEqual({
      type: "apiKey",
      name: "x-api-key",
      in: "header",
    });
  });

  test("prod caches GET /items/{id}, encrypted, keyed on the id; dev does not", () => {
    const id = "team-catalog-prod";
    expect(example.resource(id, "aws_api_gateway_stage")).toMatchObject({
      cache_cluster_enabled: true,
      cache_cluster_size: "1.6",
    });
    expect(methodSettings(example, id, "~1items~1{id}/GET")!.settings).toMatchObject({
      caching_enabled: true,
      cache_ttl_in_seconds: 300,
      cache_data_encrypted: true,
      require_authorization_for_cache_control: true,
      throttling_rate_limit: 6000,
    });
    expect(methodSettings(example, id, "*/*")!.settings.caching_enabled).toBe(false);
    expect(
      definition(example, id).paths["/items/{id}"].get["x-amazon-apigateway-integration"]
        .cacheKeyParameters,
    ).toEqual(["method.request.path.id"]);
    expect(
      example.resource("team-catalog-dev", "aws_api_gateway_stage").cache_cluster_enabled,
    ).toBe(false);
    expect(methodSettings(example, "team-catalog-dev", "~1items~1{id}/GET")).toBeUndefined();
  });

  test("payments (IAM) has no usage plan; non-production tables can be deleted", () => {
    expect(example.resources("team-payments-prod", "aws_api_gateway_usage_plan")).toEqual({});
    const devTable = example.resource("team-catalog-dev", "aws_dynamodb_table");
    expect(devTable.deletion_protection_enabled).toBe(false);
    expect(devTable.lifecycle).toBeUndefined();
    // dev keeps its logs for the environment's 14 days.
    for (const g of Object.values(
      example.resources("team-catalog-dev", "aws_cloudwatch_log_group"),
    )) {
      expect(g.retention_in_days).toBe(14);
    }
  });

  test("notifications: queue settings from the team file", () => {
    const id = "team-notifications-prod";
    expect(example.resource(id, "aws_lambda_event_source_mapping")).toMatchObject({
      batch_size: 25,
      maximum_batching_window_in_seconds: 10,
      scaling_config: { maximum_concurrency: 144 },
    });
    const main = Object.values(example.resources(id, "aws_sqs_queue")).find(
      byName("notifications-prod-jobs"),
    )!;
    expect(JSON.parse(main.redrive_policy as string).maxReceiveCount).toBe(3);
    expect(main.visibility_timeout_seconds).toBe(190);
  });
});

describe("a team that brings its own code, a canary, a cache and no authorization", () => {
  test("its team file resolves into the module inputs the module tests exercise", () => {
    const dir = copyExampleAccounts();
    try {
      writeFiles(dir, { "teams/variant.yaml": VARIANT });
      const env = allTeamEnvironments(loadLandingZone({ accountsDir: dir, cwd: REPO })).find(
        (e) => e.account.stackId === "team-variant-dev",
      )!;
      const bp = env.blueprint;
      expect(bp.functions.api.code).toEqual({
        kind: "path",
        path: "test/fixtures/own-code/api.zip",
        handler: "index.handler",
      });
      expect(bp.functions.api.canary).toEqual({ stableVersion: "3", weight: 0.1 });
      expect(bp.functions.worker.code).toEqual({
        kind: "s3",
        bucket: "variant-artifacts",
        key: "worker/v42.zip",
        objectVersion: "v42",
        handler: "main.handle",
      });
      expect(bp.api.authorization).toBe("none");
      expect(bp.api.cache).toEqual({ enabled: true, sizeGb: "0.5", ttlSeconds: 60 });
      expect(bp.table.kmsKeyArn).toBe(
        "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      );
      // Tiny traffic reserves 2 for the API, never a single execution, and the SQS minimum of 2.
      expect(env.derived).toMatchObject({
        apiReservedConcurrency: 2,
        workerReservedConcurrency: 2,
        workerMaximumConcurrency: 2,
      });
    } finally {
      removeDir(dir);
    }
  });

  test("a missing zip stops synth with the team file and field", () => {
    const dir = copyExampleAccounts();
    try {
      writeFiles(dir, {
        "teams/variant.yaml": VARIANT.replace("test/fixtures/own-code/api.zip", "dist/missing.zip"),
      });
      expect(() => synthAccounts(dir, "team-variant-*")).toThrow(
        /variant\.yaml: blueprint\.functions\.api\.code: path "dist\/missing\.zip" does not exist/,
      );
    } finally {
      removeDir(dir);
    }
  });
});

describe("reference packaging", () => {
  test("the same code gives the same bytes; entries carry a fixed 1980 timestamp", () => {
    const a = zipDeterministic({ "index.js": bundleReference("worker") });
    const b = zipDeterministic({ "index.js": bundleReference("worker") });
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(true);
    expect(readFileSync(referencePackage("worker").file).equals(Buffer.from(a))).toBe(true);
    // Local file header: DOS date at offset 12 (1980-01-01 = 0x0021), time at offset 10 (0).
    const view = Buffer.from(a);
    expect(view.readUInt16LE(10)).toBe(0);
    expect(view.readUInt16LE(12)).toBe(0x21);
    expect(Object.keys(unzipSync(a))).toEqual(["index.js"]);
  });

  test("the bundle leaves the AWS SDK to the Lambda runtime and holds no absolute paths", () => {
    const js = Buffer.from(bundleReference("api")).toString("utf8");
    expect(js).toContain('require("@aws-sdk/client-dynamodb")');
    expect(js).not.toContain(REPO);
    expect(js.length).toBeLessThan(20_000);
  });
});

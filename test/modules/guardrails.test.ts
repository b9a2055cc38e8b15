// Every guardrail rule with a construct that breaks it and one that keeps it, judged the way synth
// judges: a real App, app.synth() (which runs the aspect every AccountStack carries), then the
// violations the aspect recorded. Plus waivers, and the synth entry point failing and writing nothing.
import { App } from "cdktf";
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { SqsQueueRedrivePolicy } from "@cdktf/provider-aws/lib/sqs-queue-redrive-policy";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketAcl } from "@cdktf/provider-aws/lib/s3-bucket-acl";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaEventSourceMapping } from "@cdktf/provider-aws/lib/lambda-event-source-mapping";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { ApiGatewayMethodSettings } from "@cdktf/provider-aws/lib/api-gateway-method-settings";
import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { loadLandingZone } from "../../config/load";
import { ConfigError } from "../../config/errors";
import { GUARDRAIL_RULE_IDS, type GuardrailWaiver } from "../../config/guardrails";
import type { LandingZone } from "../../config/model";
import { AccountStack } from "../../stacks/account-stack";
import { planStacks } from "../../stacks";
import { synthesize } from "../../stacks/synth";
import { guardrailViolations, GuardrailError, type Violation } from "../../modules/guardrails";
import { summarize } from "../../cli/validate";
import { REPO, copyExampleAccounts, removeDir, EXAMPLE_ACCOUNTS } from "../helpers";

const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
const STACK = "test";

interface JudgeOptions {
  waivers?: GuardrailWaiver[];
  tags?: Record<string, string>;
}

function testStack(app: App, options: JudgeOptions = {}): AccountStack {
  const withWaivers: LandingZone = {
    ...lz,
    org: { ...lz.org, guardrails: { waivers: options.waivers ?? [] } },
  };
  return new AccountStack(app, STACK, {
    lz: withWaivers,
    region: "eu-west-1",
    tags: options.tags ?? lz.baseTags,
  });
}

function judge(build: (s: AccountStack) => void, options: JudgeOptions = {}): Violation[] {
  const app = new App({ outdir: mkdtempSync(join(tmpdir(), "lz-guardrails-")) });
  build(testStack(app, options));
  app.synth();
  return guardrailViolations(app);
}

/** `path [rule]` of each violation of one rule, for exact assertions. */
const of = (violations: Violation[], rule: string) =>
  violations.filter((v) => v.rule === rule).map((v) => v.path);

const tlsDeny = (service: string, resource: string) =>
  JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      {
        Sid: "DenyInsecureTransport",
        Effect: "Deny",
        Principal: "*",
        Action: `${service}:*`,
        Resource: resource,
        Condition: { Bool: { "aws:SecureTransport": "false" } },
      },
    ],
  });

const role = (s: AccountStack, id = "role") =>
  new IamRole(s, id, {
    name: id,
    assumeRolePolicy: JSON.stringify({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Service: "lambda.amazonaws.com" },
          Action: "sts:AssumeRole",
        },
      ],
    }),
  });

const identityPolicy = (...statements: object[]) =>
  JSON.stringify({ Version: "2012-10-17", Statement: statements });

describe("mandatory-tags", () => {
  it("counts the provider's default_tags, and reports a key neither the resource nor the provider sets", () => {
    const { owner: _owner, ...withoutOwner } = lz.baseTags;
    const v = judge(
      (s) => {
        new SnsTopic(s, "untagged", { name: "untagged", kmsMasterKeyId: "alias/aws/sns" });
        new SnsTopic(s, "tagged", {
          name: "tagged",
          kmsMasterKeyId: "alias/aws/sns",
          tags: { owner: "team@acme.example" },
        });
      },
      { tags: withoutOwner },
    );
    expect(of(v, "mandatory-tags")).toEqual([`${STACK}/untagged`]);
    expect(v.find((x) => x.rule === "mandatory-tags")!.message).toMatch(/owner/);
  });

  it("passes when default_tags carry every mandatory key", () => {
    const v = judge((s) => {
      new SnsTopic(s, "topic", { name: "topic", kmsMasterKeyId: "alias/aws/sns" });
      // Naming the default provider explicitly synthesizes `provider: "aws"`: still the default one.
      new SnsTopic(s, "explicit", {
        name: "explicit",
        kmsMasterKeyId: "alias/aws/sns",
        provider: s.provider,
      });
    });
    expect(of(v, "mandatory-tags")).toEqual([]);
  });

  it("judges a resource by the provider it uses: an aliased provider without default_tags fails", () => {
    const v = judge((s) => {
      const bare = new AwsProvider(s, "bare", { alias: "bare", region: "us-east-1" });
      new SnsTopic(s, "elsewhere", {
        name: "elsewhere",
        kmsMasterKeyId: "alias/aws/sns",
        provider: bare,
      });
    });
    expect(of(v, "mandatory-tags")).toEqual([`${STACK}/elsewhere`]);
  });
});

describe("encryption-at-rest", () => {
  it("requires SSE on queues, a key on topics, SSE on tables", () => {
    const v = judge((s) => {
      new SqsQueue(s, "plain-queue", { name: "plain" });
      new SqsQueue(s, "sse-queue", { name: "sse", sqsManagedSseEnabled: true });
      new SqsQueue(s, "kms-queue", { name: "kms", kmsMasterKeyId: "alias/aws/sqs" });
      new SnsTopic(s, "plain-topic", { name: "plain" });
      new SnsTopic(s, "kms-topic", { name: "kms", kmsMasterKeyId: "alias/aws/sns" });
      const table = { hashKey: "pk", attribute: [{ name: "pk", type: "S" }] };
      new DynamodbTable(s, "plain-table", { name: "plain", ...table });
      new DynamodbTable(s, "sse-table", {
        name: "sse",
        ...table,
        serverSideEncryption: { enabled: true },
      });
    });
    expect(of(v, "encryption-at-rest")).toEqual([
      `${STACK}/plain-queue`,
      `${STACK}/plain-table`,
      `${STACK}/plain-topic`,
    ]);
  });

  it("requires a server-side encryption configuration for every bucket", () => {
    const v = judge((s) => {
      new S3Bucket(s, "plain-bucket", { bucket: "acme-plain" });
      const enc = new S3Bucket(s, "encrypted-bucket", { bucket: "acme-encrypted" });
      new S3BucketServerSideEncryptionConfigurationA(s, "enc", {
        bucket: enc.id,
        rule: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }],
      });
    });
    expect(of(v, "encryption-at-rest")).toEqual([`${STACK}/plain-bucket`]);
  });

  it("requires the logs key on every log group once the stack configures one", () => {
    const withoutKey = judge((s) => {
      new CloudwatchLogGroup(s, "group", { name: "g", retentionInDays: 30 });
    });
    expect(of(withoutKey, "encryption-at-rest")).toEqual([]);
    const v = judge((s) => {
      const key = new KmsKey(s, "logs-key", {
        enableKeyRotation: true,
        policy: identityPolicy({
          Effect: "Allow",
          Principal: { Service: "logs.eu-west-1.amazonaws.com" },
          Action: ["kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"],
          Resource: "*",
        }),
      });
      new CloudwatchLogGroup(s, "plain-group", { name: "plain", retentionInDays: 30 });
      new CloudwatchLogGroup(s, "keyed-group", {
        name: "keyed",
        retentionInDays: 30,
        kmsKeyId: key.arn,
      });
    });
    expect(of(v, "encryption-at-rest")).toEqual([`${STACK}/plain-group`]);
  });

  it("requires an encrypted API cache when caching is on", () => {
    const v = judge((s) => {
      const base = { restApiId: "abc123", stageName: "dev", methodPath: "*/*" };
      new ApiGatewayMethodSettings(s, "clear-cache", {
        ...base,
        settings: { cachingEnabled: true },
      });
      new ApiGatewayMethodSettings(s, "encrypted-cache", {
        ...base,
        settings: { cachingEnabled: true, cacheDataEncrypted: true },
      });
      new ApiGatewayMethodSettings(s, "no-cache", { ...base, settings: { metricsEnabled: true } });
    });
    expect(of(v, "encryption-at-rest")).toEqual([`${STACK}/clear-cache`]);
  });
});

describe("log-retention", () => {
  it("requires retention_in_days on log groups (0 keeps logs forever)", () => {
    const v = judge((s) => {
      new CloudwatchLogGroup(s, "forever", { name: "forever" });
      new CloudwatchLogGroup(s, "zero", { name: "zero", retentionInDays: 0 });
      new CloudwatchLogGroup(s, "month", { name: "month", retentionInDays: 30 });
    });
    expect(of(v, "log-retention")).toEqual([`${STACK}/forever`, `${STACK}/zero`]);
  });

  it("requires every function to log to a log group the stack declares", () => {
    const v = judge((s) => {
      const r = role(s);
      const fn = { runtime: "nodejs20.x", handler: "index.handler", filename: "f.zip" };
      new LambdaFunction(s, "orphan", {
        ...fn,
        functionName: "orphan",
        role: r.arn,
        reservedConcurrentExecutions: 1,
      });
      new LambdaFunction(s, "by-name", {
        ...fn,
        functionName: "by-name",
        role: r.arn,
        reservedConcurrentExecutions: 1,
      });
      new CloudwatchLogGroup(s, "by-name-logs", {
        name: "/aws/lambda/by-name",
        retentionInDays: 14,
      });
      const custom = new CloudwatchLogGroup(s, "custom-logs", {
        name: "custom",
        retentionInDays: 14,
      });
      new LambdaFunction(s, "by-config", {
        ...fn,
        functionName: "by-config",
        role: r.arn,
        reservedConcurrentExecutions: 1,
        loggingConfig: { logFormat: "JSON", logGroup: custom.name },
      });
    });
    expect(of(v, "log-retention")).toEqual([`${STACK}/orphan`]);
  });
});

describe("queue-dlq and function-reserved-concurrency", () => {
  function consumer(s: AccountStack, id: string, queueArn: string, reserved?: number) {
    const r = role(s, `${id}-role`);
    new CloudwatchLogGroup(s, `${id}-logs`, { name: `/aws/lambda/${id}`, retentionInDays: 14 });
    const f = new LambdaFunction(s, id, {
      functionName: id,
      runtime: "nodejs20.x",
      handler: "index.handler",
      filename: "f.zip",
      role: r.arn,
      reservedConcurrentExecutions: reserved,
    });
    new LambdaEventSourceMapping(s, `${id}-mapping`, {
      eventSourceArn: queueArn,
      functionName: f.arn,
    });
  }

  it("requires a redrive policy on every queue a function consumes", () => {
    const v = judge((s) => {
      const sse = { sqsManagedSseEnabled: true };
      const dlq = new SqsQueue(s, "dlq", { name: "dlq", ...sse });
      const inline = new SqsQueue(s, "inline-redrive", {
        name: "inline",
        ...sse,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
      const separate = new SqsQueue(s, "separate-redrive", { name: "separate", ...sse });
      new SqsQueueRedrivePolicy(s, "separate-redrive-policy", {
        queueUrl: separate.url,
        redrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 5 }),
      });
      const bare = new SqsQueue(s, "no-redrive", { name: "bare", ...sse });
      new SqsQueue(s, "unconsumed", { name: "unconsumed", ...sse });
      consumer(s, "a", inline.arn, 1);
      consumer(s, "b", separate.arn, 1);
      consumer(s, "c", bare.arn, 1);
    });
    expect(of(v, "queue-dlq")).toEqual([`${STACK}/no-redrive`]);
    expect(v.find((x) => x.rule === "queue-dlq")!.message).toContain(`${STACK}/c-mapping`);
  });

  it("requires reserved concurrency on every function", () => {
    const v = judge((s) => {
      const q = new SqsQueue(s, "q", { name: "q", sqsManagedSseEnabled: true });
      consumer(s, "capped", q.arn, 5);
      consumer(s, "uncapped", q.arn);
      consumer(s, "unreserved", q.arn, -1);
    });
    expect(of(v, "function-reserved-concurrency")).toEqual([
      `${STACK}/uncapped`,
      `${STACK}/unreserved`,
    ]);
  });
});

describe("table-pitr", () => {
  it("requires point-in-time recovery on every table", () => {
    const v = judge((s) => {
      const t = {
        hashKey: "pk",
        attribute: [{ name: "pk", type: "S" }],
        serverSideEncryption: { enabled: true },
      };
      new DynamodbTable(s, "no-pitr", { name: "a", ...t });
      new DynamodbTable(s, "pitr-off", {
        name: "b",
        ...t,
        pointInTimeRecovery: { enabled: false },
      });
      new DynamodbTable(s, "pitr-on", { name: "c", ...t, pointInTimeRecovery: { enabled: true } });
    });
    expect(of(v, "table-pitr")).toEqual([`${STACK}/no-pitr`, `${STACK}/pitr-off`]);
  });
});

describe("tls-only", () => {
  it("requires a TLS-only deny on every bucket and queue", () => {
    const v = judge((s) => {
      new S3Bucket(s, "open-bucket", { bucket: "acme-open" });
      const b = new S3Bucket(s, "tls-bucket", { bucket: "acme-tls" });
      new S3BucketPolicy(s, "tls-bucket-policy", {
        bucket: b.id,
        policy: tlsDeny("s3", `${b.arn}/*`),
      });
      new SqsQueue(s, "open-queue", { name: "open", sqsManagedSseEnabled: true });
      const q = new SqsQueue(s, "tls-queue", { name: "tls", sqsManagedSseEnabled: true });
      new SqsQueuePolicy(s, "tls-queue-policy", { queueUrl: q.url, policy: tlsDeny("sqs", q.arn) });
      const w = new SqsQueue(s, "wrong-service-queue", {
        name: "wrong",
        sqsManagedSseEnabled: true,
      });
      new SqsQueuePolicy(s, "wrong-queue-policy", {
        queueUrl: w.url,
        policy: tlsDeny("s3", w.arn),
      });
    });
    expect(of(v, "tls-only")).toEqual([
      `${STACK}/open-bucket`,
      `${STACK}/open-queue`,
      `${STACK}/wrong-service-queue`,
    ]);
  });

  it("reads policies written as aws_iam_policy_document", () => {
    const v = judge((s) => {
      const q = new SqsQueue(s, "doc-queue", { name: "doc", sqsManagedSseEnabled: true });
      const doc = new DataAwsIamPolicyDocument(s, "doc", {
        statement: [
          {
            effect: "Deny",
            principals: [{ type: "*", identifiers: ["*"] }],
            actions: ["sqs:*"],
            resources: [q.arn],
            condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
          },
        ],
      });
      new SqsQueuePolicy(s, "doc-policy", { queueUrl: q.url, policy: doc.json });
    });
    expect(of(v, "tls-only")).toEqual([]);
  });
});

describe("no-public-bucket", () => {
  it("requires a full public access block, no public ACL and no anonymous Allow", () => {
    const v = judge((s) => {
      const block = {
        blockPublicAcls: true,
        blockPublicPolicy: true,
        ignorePublicAcls: true,
        restrictPublicBuckets: true,
      };
      new S3Bucket(s, "no-block", { bucket: "acme-a" });
      const partial = new S3Bucket(s, "partial-block", { bucket: "acme-b" });
      new S3BucketPublicAccessBlock(s, "partial", {
        bucket: partial.id,
        ...block,
        restrictPublicBuckets: false,
      });
      const acl = new S3Bucket(s, "public-acl", { bucket: "acme-c" });
      new S3BucketPublicAccessBlock(s, "acl-block", { bucket: acl.id, ...block });
      new S3BucketAcl(s, "acl", { bucket: acl.id, acl: "public-read" });
      const anon = new S3Bucket(s, "anonymous-read", { bucket: "acme-d" });
      new S3BucketPublicAccessBlock(s, "anon-block", { bucket: anon.id, ...block });
      new S3BucketPolicy(s, "anon-policy", {
        bucket: anon.id,
        policy: identityPolicy({
          Effect: "Allow",
          Principal: "*",
          Action: "s3:GetObject",
          Resource: `${anon.arn}/*`,
        }),
      });
      const ok = new S3Bucket(s, "private", { bucket: "acme-e" });
      new S3BucketPublicAccessBlock(s, "private-block", { bucket: ok.id, ...block });
    });
    expect(of(v, "no-public-bucket")).toEqual([
      `${STACK}/anonymous-read`,
      `${STACK}/no-block`,
      `${STACK}/partial-block`,
      `${STACK}/public-acl`,
    ]);
    const partial = v.find(
      (x) => x.rule === "no-public-bucket" && x.path === `${STACK}/partial-block`,
    );
    expect(partial!.message).toContain("restrict_public_buckets");
  });
});

describe("iam-wildcard-action", () => {
  it("rejects *, service:* and NotAction in Allow statements, and admin-like managed policies", () => {
    const v = judge((s) => {
      const r = role(s);
      const policy = (id: string, statement: object) =>
        new IamRolePolicy(s, id, { role: r.id, policy: identityPolicy(statement) });
      policy("star", { Effect: "Allow", Action: "*", Resource: "arn:aws:s3:::x" });
      policy("service-star", { Effect: "Allow", Action: ["s3:*"], Resource: "arn:aws:s3:::x" });
      policy("not-action", { Effect: "Allow", NotAction: "iam:*", Resource: "arn:aws:s3:::x" });
      policy("deny-star", { Effect: "Deny", Action: "*", Resource: "*" });
      policy("named", { Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::x/*" });
      new IamRolePolicyAttachment(s, "admin", {
        role: r.name,
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
      });
      new IamRolePolicyAttachment(s, "basic", {
        role: r.name,
        policyArn: "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole",
      });
      new IamRolePolicy(s, "unreadable", { role: r.id, policy: "${jsonencode({})}" });
    });
    expect(of(v, "iam-wildcard-action")).toEqual([
      `${STACK}/admin`,
      `${STACK}/not-action`,
      `${STACK}/service-star`,
      `${STACK}/star`,
      `${STACK}/unreadable`,
    ]);
  });

  it("allows the default key policy (kms:* for the account root) but not kms:* for anyone else", () => {
    const keyPolicy = (principal: object) =>
      identityPolicy({ Effect: "Allow", Principal: principal, Action: "kms:*", Resource: "*" });
    const v = judge((s) => {
      new KmsKey(s, "default-key", {
        enableKeyRotation: true,
        policy: keyPolicy({ AWS: "arn:aws:iam::111111111111:root" }),
      });
      new KmsKey(s, "role-key", {
        enableKeyRotation: true,
        policy: keyPolicy({ AWS: "arn:aws:iam::111111111111:role/app" }),
      });
    });
    expect(of(v, "iam-wildcard-action")).toEqual([`${STACK}/role-key`]);
  });
});

describe("iam-write-any-resource", () => {
  it("rejects write actions on Resource * unless AWS offers no resource-level permission", () => {
    const v = judge((s) => {
      const r = role(s);
      const policy = (id: string, statement: object) =>
        new IamRolePolicy(s, id, { role: r.id, policy: identityPolicy(statement) });
      policy("put-anywhere", { Effect: "Allow", Action: ["s3:PutObject"], Resource: "*" });
      policy("read-anywhere", {
        Effect: "Allow",
        Action: ["s3:GetObject", "dynamodb:Describe*"],
        Resource: "*",
      });
      policy("tracing", {
        Effect: "Allow",
        Action: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        Resource: "*",
      });
      policy("put-named", {
        Effect: "Allow",
        Action: ["s3:PutObject"],
        Resource: "arn:aws:s3:::acme/*",
      });
      policy("not-resource", {
        Effect: "Allow",
        Action: ["sqs:SendMessage"],
        NotResource: "arn:aws:sqs:*:*:x",
      });
    });
    expect(of(v, "iam-write-any-resource")).toEqual([
      `${STACK}/not-resource`,
      `${STACK}/put-anywhere`,
    ]);
    expect(v.find((x) => x.path === `${STACK}/put-anywhere`)!.message).toContain("s3:PutObject");
  });
});

describe("waivers", () => {
  const unencrypted = (s: AccountStack) => {
    new SqsQueue(s, "legacy", { name: "legacy" });
    new SqsQueue(s, "other", { name: "other" });
  };

  it("waive one rule for one resource only", () => {
    const v = judge(unencrypted, {
      waivers: [
        {
          rule: "encryption-at-rest",
          resource: `${STACK}/legacy`,
          reason: "Consumer cannot decrypt yet",
        },
      ],
    });
    expect(of(v, "encryption-at-rest")).toEqual([`${STACK}/other`]);
    // The same resource still answers to every other rule.
    expect(of(v, "tls-only")).toEqual([`${STACK}/legacy`, `${STACK}/other`]);
  });

  it("report a waiver that matches nothing, so stale waivers do not linger", () => {
    const v = judge(unencrypted, {
      waivers: [
        { rule: "table-pitr", resource: `${STACK}/legacy`, reason: "Not a table at all, stale" },
        { rule: "table-pitr", resource: "another-stack/x", reason: "Another stack's business" },
      ],
    });
    expect(v.filter((x) => x.rule === "unused-waiver").map((x) => x.path)).toEqual([
      `${STACK}/legacy`,
    ]);
  });

  it("are printed by npm run validate", () => {
    const waiver: GuardrailWaiver = {
      rule: "table-pitr",
      resource: "team-payments-dev/service/table",
      reason: "Rebuilt nightly from the ledger",
    };
    const out = summarize({ ...lz, org: { ...lz.org, guardrails: { waivers: [waiver] } } });
    expect(out).toContain(
      "Guardrail waivers (1):\n  table-pitr on team-payments-dev/service/table: Rebuilt nightly from the ledger\n",
    );
    expect(summarize(lz)).toContain("Guardrail waivers (0):\n");
  });

  it("are checked by the loader: rule ids from the catalogue, a construct path, a reason", () => {
    const dir = copyExampleAccounts();
    try {
      const org = readFileSync(join(dir, "organization.yaml"), "utf8");
      writeFileSync(
        join(dir, "organization.yaml"),
        `${org}\nguardrails:\n  waivers:\n    - rule: no-such-rule\n      resource: team-payments-prod/service/queue\n      reason: because\n    - rule: table-pitr\n      resource: just a name\n      reason: The table is rebuilt nightly from the ledger\n`,
      );
      let error: unknown;
      try {
        loadLandingZone({ accountsDir: dir, cwd: dir });
      } catch (e) {
        error = e;
      }
      expect(error).toBeInstanceOf(ConfigError);
      const message = (error as ConfigError).message;
      expect(message).toMatch(/^organization\.yaml: guardrails\.waivers\[0\]\.rule: /m);
      expect(message).toMatch(/^organization\.yaml: guardrails\.waivers\[0\]\.reason: .*10/m);
      expect(message).toMatch(/^organization\.yaml: guardrails\.waivers\[1\]\.resource: /m);
    } finally {
      removeDir(dir);
    }
  });
});

describe("synth", () => {
  it("fails naming rule, stack and construct, and leaves the output folder untouched", () => {
    const out = join(mkdtempSync(join(tmpdir(), "lz-guardrails-out-")), "cdktf.out");
    mkdirSync(out);
    writeFileSync(join(out, "previous.txt"), "previous synth");
    const unsafe = {
      id: "unsafe",
      build: (app: App) => {
        const s = new AccountStack(app, "unsafe", { lz, region: "eu-west-1", tags: lz.baseTags });
        new SqsQueue(s, "jobs", { name: "jobs" });
      },
    };
    const plans = [...planStacks(lz).filter((p) => p.id === "security"), unsafe];
    let error: unknown;
    try {
      synthesize(plans as never, out);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(GuardrailError);
    const message = (error as Error).message;
    expect(message).toContain("unsafe: unsafe/jobs: [encryption-at-rest]");
    expect(message).toContain("unsafe: unsafe/jobs: [tls-only]");
    expect(readFileSync(join(out, "previous.txt"), "utf8")).toBe("previous synth");
    expect(existsSync(join(out, "stacks"))).toBe(false);
  });

  it("lists the violations of every batch, not only the first failing one", () => {
    const out = join(mkdtempSync(join(tmpdir(), "lz-guardrails-batches-")), "cdktf.out");
    // 60 stacks span two synth batches; the unsafe ones sit in different batches.
    const plans = Array.from({ length: 60 }, (_, i) => ({
      id: `s${i}`,
      build: (app: App) => {
        const s = new AccountStack(app, `s${i}`, { lz, region: "eu-west-1", tags: lz.baseTags });
        if (i === 3 || i === 57) new CloudwatchLogGroup(s, "logs", { name: `g${i}` });
      },
    }));
    expect(() => synthesize(plans as never, out)).toThrow(
      /s3: s3\/logs: \[log-retention\][\s\S]*s57: s57\/logs: \[log-retention\]/,
    );
    expect(existsSync(out)).toBe(false);
  });

  it("passes every guardrail on the example configuration", () => {
    const out = join(mkdtempSync(join(tmpdir(), "lz-guardrails-ok-")), "cdktf.out");
    synthesize(planStacks(lz), out);
    expect(existsSync(join(out, "stacks", "team-payments-prod", "cdk.tf.json"))).toBe(true);
  });
});

test("docs/guardrails.md lists every guardrail rule id", () => {
  const section = readFileSync(join(REPO, "docs/guardrails.md"), "utf8");
  for (const id of [...GUARDRAIL_RULE_IDS, "unused-waiver"]) {
    expect({ id, listed: section.includes(`| \`${id}\``) }).toEqual({ id, listed: true });
  }
});

describe("npm run scan refuses bad input before installing anything", () => {
  function scanIn(
    files: Record<string, string>,
    args: string[] = [],
  ): {
    code: number | null;
    stderr: string;
    dir: string;
  } {
    const dir = mkdtempSync(join(tmpdir(), "lz-scan-input-"));
    for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
    const r = spawnSync(process.execPath, [join(REPO, "scripts", "scan.mjs"), ...args], {
      cwd: dir,
      encoding: "utf8",
      env: Object.fromEntries(
        Object.entries(process.env).filter(
          ([k]) => k !== "LZ_ACCOUNTS_DIR" && k !== "CDKTF_OUTDIR",
        ),
      ),
    });
    return { code: r.status, stderr: r.stderr, dir };
  }

  it("accepts the checked-in .checkov.yaml, and stops when synth fails or a folder has no stacks", () => {
    const config = { ".checkov.yaml": readFileSync(join(REPO, ".checkov.yaml"), "utf8") };
    // Without a folder it synthesizes first; here there is no configuration to synthesize.
    const synth = scanIn(config);
    expect(synth.code).toBe(1);
    expect(synth.stderr).toMatch(/^accounts\/organization\.yaml: \(document\): file not found$/m);
    expect(existsSync(join(synth.dir, ".venv"))).toBe(false);
    removeDir(synth.dir);
    const folder = scanIn(config, ["cdktf.out"]);
    expect(folder.code).toBe(2);
    expect(folder.stderr).toMatch(/cdktf\.out\/stacks does not exist; run npm run synth first/);
    expect(existsSync(join(folder.dir, ".venv"))).toBe(false);
    removeDir(folder.dir);
  });

  it("rejects a waiver without a justification", () => {
    const r = scanIn({
      ".checkov.yaml":
        "skip-check:\n  - CKV_AWS_18 # Trail bucket access is logged by the trail\n  - CKV_AWS_117\n",
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      ".checkov.yaml: skip-check[1] CKV_AWS_117: needs a one-line justification as a comment\n",
    );
    expect(existsSync(join(r.dir, ".venv"))).toBe(false);
    removeDir(r.dir);
  });
});

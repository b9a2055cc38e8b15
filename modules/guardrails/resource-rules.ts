// Rules on data resources: tags, encryption, retention, queues, functions, tables and buckets.
// Each rule is generic (resource type and attribute), so it judges every module, present and future.
import type { GuardrailRuleId } from "../../config/guardrails";
import {
  blockValue,
  deniesInsecureTransport,
  policyDocuments,
  readPolicy,
  type PolicyDocument,
} from "./policy-documents";
import { first, isTrue, refersTo, type StackView, type TfResource } from "./stack-view";

export interface Finding {
  rule: GuardrailRuleId;
  resource: TfResource;
  message: string;
}

export interface RuleOptions {
  mandatoryTags: string[];
}

type Rule = (view: StackView, options: RuleOptions) => Finding[];

const finding = (rule: GuardrailRuleId, resource: TfResource, message: string): Finding => ({
  rule,
  resource,
  message,
});

export const mandatoryTags: Rule = (view, { mandatoryTags }) =>
  view.resources
    .filter((r) => r.taggable)
    .flatMap((r) => {
      const effective: Record<string, unknown> = {
        ...view.defaultTags(r),
        ...(r.attrs.tags ?? {}),
      };
      const missing = mandatoryTags.filter(
        (k) => typeof effective[k] !== "string" || effective[k] === "",
      );
      return missing.length === 0
        ? []
        : [
            finding(
              "mandatory-tags",
              r,
              `${r.type} lacks mandatory tag(s) ${missing.join(", ")} (its tags plus the provider's default_tags)`,
            ),
          ];
    });

export const encryptionAtRest: Rule = (view) => {
  const out: Finding[] = [];
  const fail = (r: TfResource, message: string) =>
    out.push(finding("encryption-at-rest", r, message));
  for (const q of view.ofType("aws_sqs_queue")) {
    if (!q.attrs.kms_master_key_id && !isTrue(q.attrs.sqs_managed_sse_enabled)) {
      fail(q, "aws_sqs_queue must set kms_master_key_id or sqs_managed_sse_enabled = true");
    }
  }
  for (const t of view.ofType("aws_sns_topic")) {
    if (!t.attrs.kms_master_key_id) fail(t, "aws_sns_topic must set kms_master_key_id");
  }
  for (const t of view.ofType("aws_dynamodb_table")) {
    if (!isTrue(blockValue(t.attrs, "server_side_encryption", "enabled"))) {
      fail(t, "aws_dynamodb_table must set server_side_encryption { enabled = true }");
    }
  }
  const sse = view.ofType("aws_s3_bucket_server_side_encryption_configuration");
  for (const b of view.ofType("aws_s3_bucket")) {
    const configured =
      b.attrs.server_side_encryption_configuration !== undefined ||
      sse.some((c) => refersTo(c.attrs.bucket, b, [b.attrs.bucket]));
    if (!configured) {
      fail(b, "aws_s3_bucket has no aws_s3_bucket_server_side_encryption_configuration");
    }
  }
  // A KMS key whose policy lets CloudWatch Logs use it is "the logs key": every log group uses one.
  const logsKeys = view
    .ofType("aws_kms_key")
    .filter((k) =>
      (readPolicy(k.attrs.policy, view) ?? []).some((s) =>
        s.principals.some((p) => /^logs\.([a-z0-9-]+\.)?amazonaws\.com$/.test(p)),
      ),
    );
  if (logsKeys.length > 0) {
    for (const g of view.ofType("aws_cloudwatch_log_group")) {
      if (!g.attrs.kms_key_id) {
        fail(
          g,
          `aws_cloudwatch_log_group must set kms_key_id: the stack configures a logs key (${logsKeys[0].path})`,
        );
      }
    }
  }
  for (const m of view.ofType("aws_api_gateway_method_settings")) {
    const s = first(m.attrs.settings) ?? {};
    if (isTrue(s.caching_enabled) && !isTrue(s.cache_data_encrypted)) {
      fail(m, "API Gateway caching is on but settings.cache_data_encrypted is not true");
    }
  }
  return out;
};

export const logRetention: Rule = (view) => {
  const out: Finding[] = [];
  const groups = view.ofType("aws_cloudwatch_log_group");
  for (const g of groups) {
    const days = g.attrs.retention_in_days;
    if (days === undefined || days === 0 || days === "0") {
      out.push(
        finding(
          "log-retention",
          g,
          "aws_cloudwatch_log_group must set retention_in_days (unset or 0 keeps logs forever)",
        ),
      );
    }
  }
  // Lambda creates /aws/lambda/<name> with no expiry unless the stack declares the group first.
  for (const f of view.ofType("aws_lambda_function")) {
    const configured = first(f.attrs.logging_config)?.log_group;
    const declared = configured
      ? groups.some((g) => refersTo(configured, g, [g.attrs.name]))
      : groups.some(
          (g) =>
            refersTo(g.attrs.name, f) ||
            (typeof f.attrs.function_name === "string" &&
              g.attrs.name === `/aws/lambda/${f.attrs.function_name}`),
        );
    if (!declared) {
      out.push(
        finding(
          "log-retention",
          f,
          "aws_lambda_function logs to a log group the stack does not declare, so it would never expire; declare /aws/lambda/<name> or logging_config.log_group",
        ),
      );
    }
  }
  return out;
};

export const queueDlq: Rule = (view) => {
  const queues = view.ofType("aws_sqs_queue");
  const redrives = view.ofType("aws_sqs_queue_redrive_policy");
  const out: Finding[] = [];
  for (const m of view.ofType("aws_lambda_event_source_mapping")) {
    for (const q of queues.filter((q) => refersTo(m.attrs.event_source_arn, q))) {
      const hasDlq =
        (q.attrs.redrive_policy !== undefined && q.attrs.redrive_policy !== "") ||
        redrives.some((r) => refersTo(r.attrs.queue_url, q));
      if (!hasDlq) {
        out.push(
          finding(
            "queue-dlq",
            q,
            `aws_sqs_queue is consumed by ${m.path} but has no redrive_policy to a dead-letter queue`,
          ),
        );
      }
    }
  }
  return out;
};

export const functionReservedConcurrency: Rule = (view) =>
  view
    .ofType("aws_lambda_function")
    .filter((f) => {
      const v = f.attrs.reserved_concurrent_executions;
      return v === undefined || v === -1 || v === "-1";
    })
    .map((f) =>
      finding(
        "function-reserved-concurrency",
        f,
        "aws_lambda_function must set reserved_concurrent_executions (derived from the declared traffic)",
      ),
    );

export const tablePitr: Rule = (view) =>
  view
    .ofType("aws_dynamodb_table")
    .filter((t) => !isTrue(blockValue(t.attrs, "point_in_time_recovery", "enabled")))
    .map((t) =>
      finding(
        "table-pitr",
        t,
        "aws_dynamodb_table must set point_in_time_recovery { enabled = true }",
      ),
    );

export const tlsOnly: Rule = (view) => {
  const docs = policyDocuments(view);
  const out: Finding[] = [];
  const policiesOf = (target: TfResource, type: string, attr: string, literals: unknown[]) =>
    docs.filter(
      (d) =>
        (d.resource === target && d.attribute === "policy") ||
        (d.resource.type === type && refersTo(d.resource.attrs[attr], target, literals)),
    );
  const denies = (list: PolicyDocument[], service: string) =>
    list.some((d) => d.statements && deniesInsecureTransport(d.statements, service));
  for (const b of view.ofType("aws_s3_bucket")) {
    if (!denies(policiesOf(b, "aws_s3_bucket_policy", "bucket", [b.attrs.bucket]), "s3")) {
      out.push(
        finding(
          "tls-only",
          b,
          "aws_s3_bucket has no bucket policy denying aws:SecureTransport false on s3:*",
        ),
      );
    }
  }
  for (const q of view.ofType("aws_sqs_queue")) {
    if (!denies(policiesOf(q, "aws_sqs_queue_policy", "queue_url", []), "sqs")) {
      out.push(
        finding(
          "tls-only",
          q,
          "aws_sqs_queue has no queue policy denying aws:SecureTransport false on sqs:*",
        ),
      );
    }
  }
  return out;
};

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
const BLOCK_SETTINGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
];

export const noPublicBucket: Rule = (view) => {
  const out: Finding[] = [];
  const blocks = view.ofType("aws_s3_bucket_public_access_block");
  const acls = view.ofType("aws_s3_bucket_acl");
  const docs = policyDocuments(view).filter((d) => d.resource.type === "aws_s3_bucket_policy");
  for (const b of view.ofType("aws_s3_bucket")) {
    const mine = (r: TfResource) => refersTo(r.attrs.bucket, b, [b.attrs.bucket]);
    const block = blocks.find(mine);
    const off = block ? BLOCK_SETTINGS.filter((k) => !isTrue(block.attrs[k])) : BLOCK_SETTINGS;
    if (off.length > 0) {
      out.push(
        finding(
          "no-public-bucket",
          b,
          block
            ? `aws_s3_bucket_public_access_block leaves ${off.join(", ")} off`
            : "aws_s3_bucket has no aws_s3_bucket_public_access_block",
        ),
      );
    }
    const acl = [b.attrs.acl, ...acls.filter(mine).map((a) => a.attrs.acl)].find((a) =>
      PUBLIC_ACLS.has(a),
    );
    if (acl) out.push(finding("no-public-bucket", b, `aws_s3_bucket has the public ACL ${acl}`));
    const anonymous = docs
      .filter((d) => mine(d.resource))
      .some((d) =>
        (d.statements ?? []).some(
          (s) =>
            s.effect === "Allow" &&
            s.principals.includes("*") &&
            Object.keys(s.condition).length === 0,
        ),
      );
    if (anonymous) {
      out.push(
        finding("no-public-bucket", b, "the bucket policy allows Principal * without a condition"),
      );
    }
  }
  return out;
};

export const RESOURCE_RULES: Rule[] = [
  mandatoryTags,
  encryptionAtRest,
  logRetention,
  queueDlq,
  functionReservedConcurrency,
  tablePitr,
  tlsOnly,
  noPublicBucket,
];

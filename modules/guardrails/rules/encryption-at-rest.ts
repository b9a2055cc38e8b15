import { blockValue, readPolicy } from "../policy-documents";
import { finding, type Finding, type GuardrailRule } from "../rule";
import { first, isTrue, refersTo, type TfResource } from "../stack-view";

const rule: GuardrailRule = {
  id: "encryption-at-rest",
  description:
    "SQS (`kms_master_key_id` or `sqs_managed_sse_enabled`), SNS (`kms_master_key_id`), DynamoDB (`server_side_encryption`), S3 (a server-side encryption configuration); log groups use the account's logs key once a KMS key grants `logs.*.amazonaws.com`; an enabled API cache is encrypted",
  check: (view) => {
    const out: Finding[] = [];
    const fail = (r: TfResource, message: string) => out.push(finding(rule.id, r, message));
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
  },
};
export default rule;

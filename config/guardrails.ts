// The catalogue of synth-time guardrail rules. It lives in config/ because organization.yaml names
// rule ids in its waivers, and the loader must reject a waiver for a rule that does not exist.
// modules/guardrails implements each rule; README.md ("Guardrails") lists the same table.

export const GUARDRAIL_RULES = {
  "mandatory-tags":
    "every taggable resource carries every tags.mandatory key (resource tags plus the provider's default_tags)",
  "encryption-at-rest":
    "queues, topics, tables and buckets are encrypted; log groups use the account's logs key when one is configured; API caches are encrypted",
  "log-retention":
    "every log group has an explicit retention, and every function logs to a log group the stack declares",
  "queue-dlq": "every queue a function consumes has a dead-letter queue (redrive policy)",
  "function-reserved-concurrency": "every Lambda function sets reserved concurrency",
  "table-pitr": "every DynamoDB table has point-in-time recovery enabled",
  "tls-only":
    "every bucket and queue has a policy denying requests without TLS (aws:SecureTransport false)",
  "no-public-bucket":
    "every bucket has a public access block with all four settings on, no public ACL and no anonymous Allow",
  "iam-wildcard-action":
    "no IAM Allow statement grants `*`, `service:*` or NotAction, and no admin-like managed policy is attached",
  "iam-write-any-resource":
    "no IAM Allow statement grants a write action on Resource `*` unless the action is allow-listed (AWS offers no resource-level permission for it)",
} as const;

export type GuardrailRuleId = keyof typeof GUARDRAIL_RULES;

export const GUARDRAIL_RULE_IDS = Object.keys(GUARDRAIL_RULES) as [
  GuardrailRuleId,
  ...GuardrailRuleId[],
];

/** Reported, never waivable: a waiver that matched nothing must be removed, not kept "just in case". */
export const UNUSED_WAIVER_RULE = "unused-waiver";

export interface GuardrailWaiver {
  rule: GuardrailRuleId;
  /** Construct path, exactly as synth reports it: `team-payments-prod/service/queue`. */
  resource: string;
  reason: string;
}

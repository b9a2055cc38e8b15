// Every IAM policy document in a stack, normalised to lists, whether written as a JSON string or as
// an aws_iam_policy_document data source. A policy the rules cannot read is reported, not trusted.
import { first, type Json, type StackView, type TfResource } from "./stack-view";

export type PolicyKind = "identity" | "resource" | "key";

export interface Statement {
  effect: "Allow" | "Deny";
  action?: string[];
  notAction?: string[];
  resource?: string[];
  notResource?: string[];
  /** `*` for anyone, else the principal values (ARNs, service names). */
  principals: string[];
  /** operator -> key -> values */
  condition: Record<string, Record<string, string[]>>;
}

export interface PolicyDocument {
  resource: TfResource;
  attribute: string;
  kind: PolicyKind;
  /** undefined when the document is not JSON the guardrails can read. */
  statements?: Statement[];
}

// Where policy documents live, by resource type and argument.
const SOURCES: { type: string; attribute: string; kind: PolicyKind }[] = [
  { type: "aws_iam_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_role_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_user_policy", attribute: "policy", kind: "identity" },
  { type: "aws_iam_group_policy", attribute: "policy", kind: "identity" },
  { type: "aws_s3_bucket_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sqs_queue_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sqs_queue", attribute: "policy", kind: "resource" },
  { type: "aws_sns_topic_policy", attribute: "policy", kind: "resource" },
  { type: "aws_sns_topic", attribute: "policy", kind: "resource" },
  { type: "aws_oam_sink_policy", attribute: "policy", kind: "resource" },
  { type: "aws_api_gateway_rest_api", attribute: "policy", kind: "resource" },
  { type: "aws_api_gateway_rest_api_policy", attribute: "policy", kind: "resource" },
  { type: "aws_cloudwatch_log_resource_policy", attribute: "policy_document", kind: "resource" },
  { type: "aws_kms_key", attribute: "policy", kind: "key" },
  { type: "aws_kms_key_policy", attribute: "policy", kind: "key" },
];

export function policyDocuments(view: StackView): PolicyDocument[] {
  const out: PolicyDocument[] = [];
  for (const { type, attribute, kind } of SOURCES) {
    for (const r of view.ofType(type)) {
      const value = r.attrs[attribute];
      if (value === undefined) continue;
      out.push({ resource: r, attribute, kind, statements: readPolicy(value, view) });
    }
  }
  for (const r of view.ofType("aws_iam_role")) {
    for (const [i, inline] of ([] as Json[]).concat(r.attrs.inline_policy ?? []).entries()) {
      if (inline?.policy === undefined) continue;
      out.push({
        resource: r,
        attribute: `inline_policy[${i}].policy`,
        kind: "identity",
        statements: readPolicy(inline.policy, view),
      });
    }
  }
  return out;
}

/** The statements of one policy value, or undefined when it is not readable. */
export function readPolicy(value: Json, view: StackView): Statement[] | undefined {
  if (typeof value !== "string") return undefined;
  const data = /^\$\{data\.aws_iam_policy_document\.([A-Za-z0-9_-]+)\.json\}$/.exec(value);
  if (data) {
    const doc = view.dataSources.aws_iam_policy_document?.[data[1]];
    return doc ? fromPolicyDocumentData(doc) : undefined;
  }
  let parsed: Json;
  try {
    parsed = JSON.parse(value);
  } catch {
    return undefined;
  }
  if (typeof parsed !== "object" || parsed === null) return undefined;
  const raw = ([] as Json[]).concat(parsed.Statement ?? []);
  if (raw.some((s) => typeof s !== "object" || s === null)) return undefined;
  return raw.map((s) => ({
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    action: list(s.Action),
    notAction: list(s.NotAction),
    resource: list(s.Resource),
    notResource: list(s.NotResource),
    principals: principals(s.Principal),
    condition: conditions(s.Condition),
  }));
}

function fromPolicyDocumentData(doc: Json): Statement[] {
  return ([] as Json[]).concat(doc.statement ?? []).map((s) => ({
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    action: list(s.actions),
    notAction: list(s.not_actions),
    resource: list(s.resources),
    notResource: list(s.not_resources),
    principals: ([] as Json[])
      .concat(s.principals ?? [])
      .flatMap((p) => (p.type === "*" ? ["*"] : (list(p.identifiers) ?? []))),
    condition: ([] as Json[]).concat(s.condition ?? []).reduce(
      (acc, c) => {
        acc[c.test] = { ...(acc[c.test] ?? {}), [c.variable]: list(c.values) ?? [] };
        return acc;
      },
      {} as Record<string, Record<string, string[]>>,
    ),
  }));
}

function list(v: Json): string[] | undefined {
  if (v === undefined || v === null) return undefined;
  return ([] as Json[]).concat(v).map((x) => String(x));
}

function principals(p: Json): string[] {
  if (p === undefined) return [];
  if (p === "*") return ["*"];
  if (typeof p !== "object" || p === null) return [String(p)];
  return Object.values(p).flatMap((v) => list(v) ?? []);
}

function conditions(c: Json): Record<string, Record<string, string[]>> {
  const out: Record<string, Record<string, string[]>> = {};
  if (typeof c !== "object" || c === null) return out;
  for (const [op, byKey] of Object.entries(c)) {
    out[op] = {};
    for (const [key, values] of Object.entries((byKey ?? {}) as Record<string, Json>)) {
      out[op][key] = list(values) ?? [];
    }
  }
  return out;
}

/** A Deny on every request that does not use TLS, for the given action prefix (`s3:`, `sqs:`). */
export function deniesInsecureTransport(statements: Statement[], service: string): boolean {
  return statements.some((s) => {
    if (s.effect !== "Deny" || !s.principals.includes("*")) return false;
    const coversAll = (s.action ?? []).some((a) => a === "*" || a === `${service}:*`);
    const insecure = ["Bool", "BoolIfExists"].some((op) =>
      (s.condition[op]?.["aws:SecureTransport"] ?? []).some((v) => v.toLowerCase() === "false"),
    );
    return coversAll && insecure;
  });
}

/** The first value of a nested block attribute, e.g. `point_in_time_recovery.enabled`. */
export function blockValue(attrs: Record<string, Json>, block: string, key: string): Json {
  return first(attrs[block])?.[key];
}

/** `*` or `service:*`: every action, or every action of a service. */
export const isWildcardAction = (a: string) => a === "*" || /^[a-z0-9-]+:\*$/.test(a);

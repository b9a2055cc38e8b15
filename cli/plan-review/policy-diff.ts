// IAM and SCP policy documents compared as JSON, statement by statement. Terraform shows a policy as
// one long string, where reordered keys or "s3:GetObject" versus ["s3:GetObject"] look like changes;
// here two statements are equal when IAM would read them the same way.
import { tooDeep } from "../../config/nesting";
import { MAX_POLICY_DEPTH } from "../../config/policy-file";

/** Attributes that hold a policy document, by resource type (`*` for any type). */
const POLICY_ATTRIBUTES: Record<string, string[]> = {
  aws_organizations_policy: ["content"],
  aws_iam_role: ["assume_role_policy"],
  "*": ["policy", "assume_role_policy"],
};

export interface PolicyDiff {
  attribute: string;
  added: string[];
  removed: string[];
  /** The new document is computed by the apply, so its statements are not known yet. */
  unknownAfter: boolean;
}

// Element values whose order IAM ignores; a lone string is the same as a one-element list.
const SET_KEYS = new Set(["Action", "NotAction", "Resource", "NotResource"]);

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value && typeof value === "object") {
    const obj = value as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(obj)
        .sort()
        .map((k) => [k, sortedKeys(obj[k])]),
    );
  }
  return value;
}

function asSet(value: unknown): unknown[] {
  const list = Array.isArray(value) ? value : [value];
  return [...new Set(list.map((v) => JSON.stringify(sortedKeys(v))))]
    .sort()
    .map((s) => JSON.parse(s));
}

const mapValues = (obj: unknown, f: (v: unknown) => unknown): unknown =>
  obj && typeof obj === "object" && !Array.isArray(obj)
    ? Object.fromEntries(Object.entries(obj).map(([k, v]) => [k, f(v)]))
    : obj;

/** A statement as IAM reads it: keys sorted, order-free lists as sorted sets. */
function canonicalStatement(statement: unknown): unknown {
  if (!statement || typeof statement !== "object" || Array.isArray(statement)) return statement;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(statement)) {
    if (SET_KEYS.has(k)) out[k] = asSet(v);
    // Principal: "*" or { AWS: arn | [arns], Service: ... }.
    else if (k === "Principal" || k === "NotPrincipal")
      out[k] = typeof v === "string" ? v : mapValues(v, asSet);
    // Condition: { Operator: { key: value | [values] } }.
    else if (k === "Condition") out[k] = mapValues(v, (op) => mapValues(op, asSet));
    else out[k] = v;
  }
  return sortedKeys(out);
}

/** Statements of a policy document as canonical JSON strings, or undefined when it is not a policy. */
export function statementsOf(document: unknown): string[] | undefined {
  let doc = document;
  if (typeof doc === "string") {
    if (doc.trim() === "") return [];
    try {
      doc = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  if (!doc || typeof doc !== "object" || !("Statement" in doc)) return undefined;
  // A document inside a string was not bounded with the plan; no IAM policy nests this deep.
  if (tooDeep(doc, MAX_POLICY_DEPTH)) return undefined;
  const raw = (doc as { Statement: unknown }).Statement;
  const list = Array.isArray(raw) ? raw : [raw];
  return list.map((s) => JSON.stringify(canonicalStatement(s)));
}

/** Statements in `after` and not in `before`, and the reverse (as multisets). */
export function diffStatements(
  before: string[],
  after: string[],
): { added: string[]; removed: string[] } {
  const remaining = [...before];
  const added: string[] = [];
  for (const s of after) {
    const i = remaining.indexOf(s);
    if (i >= 0) remaining.splice(i, 1);
    else added.push(s);
  }
  return { added, removed: remaining };
}

const get = (obj: unknown, key: string): unknown =>
  obj && typeof obj === "object" ? (obj as Record<string, unknown>)[key] : undefined;

export function policyDiffs(
  type: string,
  before: unknown,
  after: unknown,
  afterUnknown: unknown,
): PolicyDiff[] {
  const attributes = POLICY_ATTRIBUTES[type] ?? POLICY_ATTRIBUTES["*"];
  const out: PolicyDiff[] = [];
  for (const attribute of attributes) {
    const b = get(before, attribute);
    const a = get(after, attribute);
    const unknownAfter = get(afterUnknown, attribute) === true;
    if (b === undefined && a === undefined && !unknownAfter) continue;
    const beforeStatements = b === undefined || b === null ? [] : statementsOf(b);
    const afterStatements = unknownAfter || a === undefined || a === null ? [] : statementsOf(a);
    if (beforeStatements === undefined || afterStatements === undefined) continue;
    const { added, removed } = unknownAfter
      ? { added: [], removed: [] }
      : diffStatements(beforeStatements, afterStatements);
    if (added.length > 0 || removed.length > 0 || unknownAfter) {
      out.push({ attribute, added, removed, unknownAfter });
    }
  }
  return out;
}

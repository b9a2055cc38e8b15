// What a reviewer needs from one stack's plan: counts per action, the changes that need attention
// (every destroy and replacement, every change to a resource that holds data, access or the account
// structure), the policy statements added and removed, and the rest in one line each.
import { createHash } from "node:crypto";
import { generalizer } from "./names";
import { policyDiffs, type PolicyDiff } from "./policy-diff";
import type { ResourceChange, StackPlan } from "./read";

export type Action =
  "create" | "update" | "replace" | "delete" | "read" | "no-op" | "import" | "forget" | "unknown";

/** Shown in this order everywhere. */
export const ACTIONS: Action[] = [
  "create",
  "update",
  "replace",
  "delete",
  "import",
  "forget",
  "unknown",
  "read",
  "no-op",
];

/** The actions Terraform's JSON plan format (1.x) defines; anything else is reviewed by a human. */
const KNOWN_ACTIONS = new Set(["no-op", "create", "read", "update", "delete", "forget"]);

/**
 * Text from a plan made safe for a terminal: C0 and C1 control characters (ESC starts a terminal
 * escape sequence, CR and newlines forge lines), DEL and the Unicode direction overrides are shown
 * as `\x1b`-style escapes instead of being interpreted.
 */
export function printable(text: string): string {
  return text.replace(
    /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g,
    (c) => {
      const code = c.charCodeAt(0);
      return code <= 0xff ? `\\x${code.toString(16).padStart(2, "0")}` : `\\u${code.toString(16)}`;
    },
  );
}

export function actionOf(c: ResourceChange): Action {
  const a = c.change.actions;
  if (a.length === 0 || a.some((x) => !KNOWN_ACTIONS.has(x))) return "unknown";
  if (a.includes("delete") && a.includes("create")) return "replace";
  if (a.includes("create")) return "create";
  if (a.includes("delete")) return "delete";
  if (a.includes("update")) return "update";
  if (a.includes("read")) return "read";
  if (a.includes("forget")) return "forget";
  return c.change.importing ? "import" : "no-op";
}

/** Resource types whose changes a human reviews, with what a reviewer calls them. */
const WATCHED: [RegExp, string][] = [
  [/^aws_organizations_account$/, "account"],
  [/^aws_organizations_organizational_unit$/, "OU"],
  [/^aws_organizations_organization$/, "organization"],
  [/^aws_organizations_policy(_attachment)?$/, "SCP"],
  [/^aws_iam_role$/, "IAM role"],
  [/^aws_iam_/, "IAM"],
  [/^aws_kms_/, "KMS key"],
  [/^aws_dynamodb_table$/, "table"],
  [/^aws_sqs_queue/, "queue"],
  [/^aws_s3_bucket/, "bucket"],
  [/^aws_cloudwatch_(metric|composite)_alarm$/, "alarm"],
];

export function watchedKind(type: string): string | undefined {
  return WATCHED.find(([re]) => re.test(type))?.[1];
}

export interface ChangeLine {
  address: string;
  action: Action;
  kind?: string;
  /** Top-level attributes that change (updates), or that force a replacement (replacements). */
  attributes: string[];
  reason?: string;
  policies: PolicyDiff[];
}

export interface StackSummary {
  stack: string;
  file: string;
  counts: Record<Action, number>;
  attention: ChangeLine[];
  rest: ChangeLine[];
  drift: ChangeLine[];
  /**
   * A digest of every change's address, actions and changed values, with the stack's own names as
   * placeholders (./names.ts): equal for two stacks that make the same changes. Not rendered.
   */
  fingerprint: string;
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

const equal = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Top-level attributes whose value differs, or that only the apply will know. */
export function changedAttributes(c: ResourceChange): string[] {
  const { before, after, after_unknown } = c.change;
  if (!isObject(before) || !isObject(after)) return [];
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  const unknown = isObject(after_unknown) ? after_unknown : {};
  return [...keys].filter((k) => !equal(before[k], after[k]) || containsTrue(unknown[k])).sort();
}

/** after_unknown mirrors the value with `true` where the apply decides. */
function containsTrue(v: unknown): boolean {
  if (v === true) return true;
  if (Array.isArray(v)) return v.some(containsTrue);
  return isObject(v) && Object.values(v).some(containsTrue);
}

/** `replace_paths` as a reader writes them: `name`, `attribute[0].type`. */
export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === "number" ? `[${p}]` : i === 0 ? p : `.${p}`)).join("");
}

const REASONS: Record<string, string> = {
  replace_because_cannot_update: "cannot be updated in place",
  replace_because_tainted: "tainted",
  replace_by_request: "replacement requested (-replace)",
  replace_by_triggers: "replace_triggered_by",
  delete_because_no_resource_config: "removed from the configuration",
  delete_because_no_module: "its module was removed",
  delete_because_wrong_repetition: "count/for_each changed",
  delete_because_count_index: "count index out of range",
  delete_because_each_key: "for_each key removed",
  read_because_config_unknown: "depends on values known after apply",
  read_because_dependency_pending: "depends on pending changes",
};

function lineOf(c: ResourceChange): ChangeLine {
  const action = actionOf(c);
  const attributes =
    action === "replace"
      ? (c.change.replace_paths ?? []).map(formatPath).sort()
      : action === "update"
        ? changedAttributes(c)
        : [];
  const unknown = action === "unknown" ? c.change.actions.filter((x) => !KNOWN_ACTIONS.has(x)) : [];
  return {
    address: printable(c.deposed ? `${c.address} (deposed ${c.deposed})` : c.address),
    action,
    kind: watchedKind(c.type),
    attributes: attributes.map(printable),
    reason:
      action === "unknown"
        ? printable(
            `Terraform action ${JSON.stringify(unknown.length > 0 ? unknown : c.change.actions)} is unknown to this review; read the plan itself`,
          )
        : c.action_reason
          ? printable(REASONS[c.action_reason] ?? c.action_reason)
          : undefined,
    policies:
      action === "create" || action === "update" || action === "replace" || action === "delete"
        ? policyDiffs(
            c.type,
            action === "create" ? null : c.change.before,
            action === "delete" ? null : c.change.after,
            c.change.after_unknown,
          ).map((p) => ({
            ...p,
            attribute: printable(p.attribute),
            added: p.added.map(printable),
            removed: p.removed.map(printable),
          }))
        : [],
  };
}

export function summarize(plan: StackPlan): StackSummary {
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  const attention: ChangeLine[] = [];
  const rest: ChangeLine[] = [];
  for (const c of plan.changes) {
    const line = lineOf(c);
    counts[line.action]++;
    if (line.action === "no-op" || line.action === "read") continue;
    const destructive =
      line.action === "delete" || line.action === "replace" || line.action === "unknown";
    (destructive || line.kind || line.policies.length > 0 ? attention : rest).push(line);
  }
  const drift = plan.drift
    .filter((c) => c.mode === "managed")
    .map((c) => ({ ...lineOf(c), attributes: changedAttributes(c).map(printable), policies: [] }));
  const byAddress = (a: ChangeLine, b: ChangeLine) => a.address.localeCompare(b.address);
  const severity = (l: ChangeLine) => ["replace", "delete"].indexOf(l.action);
  attention.sort((a, b) => severity(b) - severity(a) || byAddress(a, b));
  rest.sort(byAddress);
  drift.sort(byAddress);
  return {
    stack: printable(plan.stack),
    file: plan.file,
    counts,
    attention,
    rest,
    drift,
    fingerprint: fingerprintOf(plan),
  };
}

/** What each changing resource changes: address, actions, and before/after of changed attributes. */
function fingerprintOf(plan: StackPlan): string {
  const picked = (v: unknown, keys: string[]) =>
    isObject(v) ? Object.fromEntries(keys.map((k) => [k, v[k] ?? null])) : v;
  const changes = plan.changes
    .filter((c) => !["no-op", "read"].includes(actionOf(c)))
    .map((c) => {
      const keys = changedAttributes(c);
      return [
        c.address,
        c.deposed ?? "",
        c.change.actions,
        keys.length > 0 ? picked(c.change.before, keys) : c.change.before,
        keys.length > 0 ? picked(c.change.after, keys) : c.change.after,
      ];
    })
    .sort((a, b) => (a[0] as string).localeCompare(b[0] as string));
  const drift = plan.drift.map((c) => [c.address, changedAttributes(c)]).sort();
  const text = generalizer(plan.stack)(JSON.stringify([changes, drift]));
  return createHash("sha256").update(text).digest("hex");
}

export type FailOn = "destroy" | "replace" | "any";

/**
 * The actions each gate fails on. `destroy`: something is deleted; `replace`: something is replaced
 * or deleted (either way an existing object goes away); `any`: any change at all. An action this
 * review does not know could be any of these, so it fails every gate.
 */
const GATED: Record<FailOn, Action[]> = {
  destroy: ["delete", "unknown"],
  replace: ["replace", "delete", "unknown"],
  any: ["create", "update", "replace", "delete", "import", "forget", "unknown"],
};

/** The stacks a gate trips on, each with the counts of the actions that trip it. */
export function tripped(
  summaries: StackSummary[],
  failOn: FailOn | undefined,
): { stack: string; actions: [Action, number][] }[] {
  if (!failOn) return [];
  return summaries
    .map((s) => ({
      stack: s.stack,
      actions: GATED[failOn]
        .filter((a) => s.counts[a] > 0)
        .map((a): [Action, number] => [a, s.counts[a]]),
    }))
    .filter((t) => t.actions.length > 0);
}

export function fails(summaries: StackSummary[], failOn: FailOn | undefined): boolean {
  return tripped(summaries, failOn).length > 0;
}

/**
 * The one stderr line of a tripped gate, naming each stack and what tripped it:
 * `--fail-on replace: tripped by team-payments-prod (1 to replace, 1 to delete)`.
 */
export function gateLine(
  summaries: StackSummary[],
  failOn: FailOn | undefined,
): string | undefined {
  const hits = tripped(summaries, failOn);
  if (hits.length === 0) return undefined;
  const what = hits.map(
    (h) => `${h.stack} (${h.actions.map(([a, n]) => `${n} to ${a}`).join(", ")})`,
  );
  return `--fail-on ${failOn}: tripped by ${what.join("; ")}`;
}

/** Stacks in the order they are applied: the organization, the core accounts, then team accounts. */
export function stackRank(stack: string): number {
  if (stack === "organization") return 0;
  if (stack.startsWith("team-")) return 2;
  return 1;
}

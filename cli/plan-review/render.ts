// The plan summary as plain text (a terminal), Markdown (a pull-request comment) or JSON (a machine).
import { DEFAULT_MAX_CHARS, renderComment, type CommentOptions } from "./comment";
import {
  ACTIONS,
  stackRank,
  tripped,
  type Action,
  type ChangeLine,
  type FailOn,
  type StackSummary,
} from "./summarize";

export type Format = "text" | "markdown" | "json";
export const FORMATS: Format[] = ["text", "markdown", "json"];

/** The `formatVersion` of the JSON form; its shape is a contract (docs/operations.md). */
export const PLAN_SUMMARY_FORMAT_VERSION = 1;

const SYMBOL: Record<Action, string> = {
  create: "+",
  update: "~",
  replace: "-/+",
  delete: "-",
  import: "<-",
  forget: "!",
  unknown: "?",
  read: "<=",
  "no-op": " ",
};

const CHANGING: Action[] = ["create", "update", "replace", "delete", "import", "forget", "unknown"];

export function countsLine(counts: Record<Action, number>): string {
  const parts = CHANGING.filter((a) => counts[a] > 0).map((a) => `${counts[a]} to ${a}`);
  const unchanged = counts["no-op"] + counts.read;
  if (parts.length === 0) return `no changes${unchanged ? ` (${unchanged} unchanged)` : ""}`;
  return `${parts.join(", ")}${unchanged ? `, ${unchanged} unchanged` : ""}`;
}

function total(summaries: StackSummary[]): Record<Action, number> {
  const out = Object.fromEntries(ACTIONS.map((a) => [a, 0])) as Record<Action, number>;
  for (const s of summaries) for (const a of ACTIONS) out[a] += s.counts[a];
  return out;
}

function detail(l: ChangeLine): string {
  const parts: string[] = [];
  if (l.attributes.length > 0) {
    parts.push(
      l.action === "replace" ? `forced by ${l.attributes.join(", ")}` : l.attributes.join(", "),
    );
  }
  if (
    l.reason &&
    !(
      l.action === "replace" &&
      l.reason === "cannot be updated in place" &&
      l.attributes.length > 0
    )
  ) {
    parts.push(l.reason);
  }
  return parts.join("; ");
}

export function renderText(summaries: StackSummary[], failed: string[] = []): string {
  const out: string[] = [];
  const attention = summaries.reduce((n, s) => n + s.attention.length, 0);
  out.push(
    `Plan review: ${summaries.length} stack(s); ${countsLine(total(summaries))}; ${attention} need(s) attention`,
  );
  if (failed.length > 0) {
    out.push(
      `Failed plans (their changes are not in this review): ${[...failed].sort().join(", ")}`,
    );
  }
  for (const s of summaries) {
    out.push("", `== ${s.stack}: ${countsLine(s.counts)}`);
    if (s.attention.length > 0) {
      out.push("  Needs attention:");
      for (const l of s.attention) {
        const d = detail(l);
        out.push(
          `    ${SYMBOL[l.action].padEnd(3)} ${l.action.padEnd(7)} ${l.address}${l.kind ? ` [${l.kind}]` : ""}${d ? `: ${d}` : ""}`,
        );
      }
    }
    const policies = s.attention.filter((l) => l.policies.length > 0);
    if (policies.length > 0) {
      out.push("  Policy statements:");
      for (const l of policies) {
        for (const p of l.policies) {
          out.push(`    ${l.address} ${p.attribute}:`);
          if (p.unknownAfter) out.push("      (the new document is known only after apply)");
          for (const st of p.added) out.push(`      + ${st}`);
          for (const st of p.removed) out.push(`      - ${st}`);
        }
      }
    }
    if (s.rest.length > 0) {
      out.push("  Other changes:");
      for (const l of s.rest) {
        const d = detail(l);
        out.push(`    ${SYMBOL[l.action].padEnd(3)} ${l.address}${d ? `: ${d}` : ""}`);
      }
    }
    if (s.drift.length > 0) {
      out.push("  Changed outside Terraform (drift; the plan reverts or adopts it):");
      for (const l of s.drift) {
        out.push(
          `    ${SYMBOL[l.action].padEnd(3)} ${l.address}${l.kind ? ` [${l.kind}]` : ""}${l.attributes.length ? `: ${l.attributes.join(", ")}` : ""}`,
        );
      }
    }
  }
  return `${out.join("\n")}\n`;
}

function changeJson(l: ChangeLine): object {
  return {
    address: l.address,
    action: l.action,
    kind: l.kind ?? null,
    attributes: l.attributes,
    reason: l.reason ?? null,
    policies: l.policies.map((p) => ({
      attribute: p.attribute,
      added: p.added,
      removed: p.removed,
      unknownAfter: p.unknownAfter,
    })),
  };
}

const countsJson = (counts: Record<Action, number>) =>
  Object.fromEntries(ACTIONS.map((a) => [a, counts[a]]));

/** Every field always present (null when empty), keys and lists in a fixed order. */
export function renderJson(
  summaries: StackSummary[],
  failOn?: FailOn,
  failed: string[] = [],
): string {
  const hits = tripped(summaries, failOn);
  const doc = {
    formatVersion: PLAN_SUMMARY_FORMAT_VERSION,
    total: countsJson(total(summaries)),
    failed: [...failed].sort(),
    gate: failOn ? { failOn, tripped: hits.length > 0, stacks: hits.map((h) => h.stack) } : null,
    stacks: summaries.map((s) => ({
      stack: s.stack,
      file: s.file,
      counts: countsJson(s.counts),
      attention: s.attention.map(changeJson),
      other: s.rest.map(changeJson),
      drift: s.drift.map(changeJson),
    })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}

/** How a report is rendered besides its format: the gate, the failed plans, the comment's bounds. */
export interface RenderOptions extends Partial<CommentOptions> {
  failOn?: FailOn;
}

/**
 * Text and JSON are complete (the job summary and the artifact); Markdown is the pull-request
 * comment, bounded (./comment.ts).
 */
export function render(
  summaries: StackSummary[],
  format: Format,
  options: RenderOptions = {},
): string {
  const failed = options.failed ?? [];
  if (format === "json") return renderJson(summaries, options.failOn, failed);
  if (format === "text") return renderText(summaries, failed);
  return renderComment(summaries, {
    maxChars: options.maxChars ?? DEFAULT_MAX_CHARS,
    failed,
    phaseOf: options.phaseOf ?? stackRank,
    marker: options.marker,
    title: options.title,
  });
}

// The plan summary as plain text (a terminal), Markdown (a pull-request comment) or JSON (a machine).
import {
  ACTIONS,
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

export function renderText(summaries: StackSummary[]): string {
  const out: string[] = [];
  const attention = summaries.reduce((n, s) => n + s.attention.length, 0);
  out.push(
    `Plan review: ${summaries.length} stack(s); ${countsLine(total(summaries))}; ${attention} need(s) attention`,
  );
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

const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

export function renderMarkdown(summaries: StackSummary[]): string {
  const out: string[] = [];
  const all = total(summaries);
  out.push(`## Plan review: ${summaries.length} stack(s)`, "", `Overall: ${countsLine(all)}.`, "");
  out.push("| stack | create | update | replace | delete | unchanged | needs attention | drift |");
  out.push("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const s of summaries) {
    const c = s.counts;
    out.push(
      `| ${code(s.stack)} | ${c.create} | ${c.update} | ${c.replace} | ${c.delete} | ${c["no-op"] + c.read} | ${s.attention.length} | ${s.drift.length} |`,
    );
  }
  for (const s of summaries) {
    out.push("", `### ${code(s.stack)}: ${countsLine(s.counts)}`);
    if (s.attention.length > 0) {
      out.push("", "**Needs attention**", "");
      for (const l of s.attention) {
        const d = detail(l);
        out.push(
          `- **${l.action}** ${code(l.address)}${l.kind ? ` (${l.kind})` : ""}${d ? `: ${d}` : ""}`,
        );
      }
    }
    const policies = s.attention.filter((l) => l.policies.length > 0);
    if (policies.length > 0) {
      out.push("", "**Policy statements**");
      for (const l of policies) {
        for (const p of l.policies) {
          out.push("", `${code(l.address)} ${code(p.attribute)}:`, "", "```diff");
          if (p.unknownAfter) out.push("# the new document is known only after apply");
          for (const st of p.added) out.push(`+ ${st}`);
          for (const st of p.removed) out.push(`- ${st}`);
          out.push("```");
        }
      }
    }
    if (s.rest.length > 0) {
      out.push("", "<details><summary>Other changes</summary>", "");
      for (const l of s.rest) {
        const d = detail(l);
        out.push(`- ${l.action} ${code(l.address)}${d ? `: ${d}` : ""}`);
      }
      out.push("", "</details>");
    }
    if (s.drift.length > 0) {
      out.push("", "**Changed outside Terraform (drift)**", "");
      for (const l of s.drift) {
        out.push(
          `- ${code(l.address)}${l.kind ? ` (${l.kind})` : ""}${l.attributes.length ? `: ${l.attributes.join(", ")}` : ""}`,
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
export function renderJson(summaries: StackSummary[], failOn?: FailOn): string {
  const hits = tripped(summaries, failOn);
  const doc = {
    formatVersion: PLAN_SUMMARY_FORMAT_VERSION,
    total: countsJson(total(summaries)),
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

export function render(summaries: StackSummary[], format: Format, failOn?: FailOn): string {
  if (format === "json") return renderJson(summaries, failOn);
  return format === "markdown" ? renderMarkdown(summaries) : renderText(summaries);
}

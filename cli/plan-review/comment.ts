// The pull-request comment: Markdown bounded to a character budget, whatever the number of stacks.
// GitHub refuses a comment over 65,536 characters, and at a few dozen changed stacks a section per
// stack passes it. So the comment counts (per action, per deploy phase, per kind of watched
// resource), groups stacks whose changes are the same apart from their own names ("the same 3
// changes in 2,000 stacks"), names first what needs a human (failed plans, deletes, replacements,
// accounts, policies, IAM, keys, tables, queues) and, when the budget runs out, says how many
// stacks it left out and where the whole summary is (the job summary and the artifact, which take
// the unbounded text or JSON form).
import { createHash } from "node:crypto";
import { generalizer } from "./names";
import type { Action, ChangeLine, StackSummary } from "./summarize";

/** The first line of the comment: CI finds its own sticky comment by it (not by --edit-last). */
export const COMMENT_MARKER = "<!-- landing-zone-plan -->";
/** GitHub's limit is 65,536 characters; the default leaves room for what CI wraps around it. */
export const DEFAULT_MAX_CHARS = 65_000;
/** Below this the header, the counts and the truncation line cannot be said. */
export const MIN_MAX_CHARS = 2_000;

export interface CommentOptions {
  maxChars: number;
  /** Stacks whose plan failed: named first, their changes are not in the review. */
  failed: string[];
  /** The deploy phase of each stack (npm run validate -- --graph); absent: by kind of stack. */
  phaseOf: (stack: string) => number;
  /** The hidden first line CI finds its comment (or issue) by; default COMMENT_MARKER. */
  marker?: string;
  /** The heading; default "Plan review: <n> stack(s), <k> with changes". */
  title?: string;
}

const CHANGING: Action[] = ["create", "update", "replace", "delete", "import", "forget", "unknown"];

const n = (x: number) => x.toLocaleString("en-US");
const code = (s: string) => `\`${s.replace(/`/g, "'")}\``;

function countsText(counts: Record<Action, number>): string {
  const parts = CHANGING.filter((a) => counts[a] > 0).map((a) => `${n(counts[a])} to ${a}`);
  return parts.length === 0 ? "no changes" : parts.join(", ");
}

const hasChanges = (s: StackSummary) => CHANGING.some((a) => s.counts[a] > 0);

/**
 * A stack's changes with its own names replaced by placeholders, and the digest two stacks share
 * exactly when every line, attribute and policy statement, and every planned value that changes
 * (the summary's fingerprint), are equal once their own names are replaced.
 */
function generalize(s: StackSummary): { key: string; lines: ChangeLine[]; drift: ChangeLine[] } {
  const g = generalizer(s.stack);
  const line = (l: ChangeLine): ChangeLine => ({
    ...l,
    address: g(l.address),
    attributes: l.attributes.map(g),
    reason: l.reason === undefined ? undefined : g(l.reason),
    policies: l.policies.map((p) => ({
      ...p,
      attribute: g(p.attribute),
      added: p.added.map(g),
      removed: p.removed.map(g),
    })),
  });
  const lines = [...s.attention.map(line), ...s.rest.map(line)];
  const drift = s.drift.map(line);
  const canonical = JSON.stringify({
    fingerprint: s.fingerprint,
    lines: lines.map((l) => [
      l.action,
      l.address,
      l.kind ?? "",
      l.attributes,
      l.reason ?? "",
      l.policies,
    ]),
    drift: drift.map((l) => [l.action, l.address, l.attributes]),
  });
  return { key: createHash("sha256").update(canonical).digest("hex"), lines, drift };
}

interface Group {
  stacks: string[];
  /** The first stack's summary: a group of one shows its own names. */
  first: StackSummary;
  /** The changes with placeholders for each stack's own names, for a group of several. */
  lines: ChangeLine[];
  drift: ChangeLine[];
  counts: Record<Action, number>;
  attention: number;
  severity: number;
}

function severityOf(s: StackSummary): number {
  if (s.counts.delete > 0 || s.counts.unknown > 0) return 3;
  if (s.counts.replace > 0) return 2;
  return s.attention.length > 0 ? 1 : 0;
}

function groupsOf(summaries: StackSummary[]): Group[] {
  const byKey = new Map<string, Group>();
  const order: string[] = [];
  for (const s of summaries.filter(hasChanges)) {
    const { key, lines, drift } = generalize(s);
    let group = byKey.get(key);
    if (!group) {
      group = {
        stacks: [],
        first: s,
        lines,
        drift,
        counts: s.counts,
        attention: s.attention.length,
        severity: severityOf(s),
      };
      byKey.set(key, group);
      order.push(key);
    }
    group.stacks.push(s.stack);
  }
  // Most severe first, then the largest, then by first stack: deterministic for the same plans.
  return order
    .map((k) => byKey.get(k)!)
    .sort(
      (a, b) =>
        b.severity - a.severity ||
        b.stacks.length - a.stacks.length ||
        a.stacks[0].localeCompare(b.stacks[0]),
    );
}

function lineText(l: ChangeLine): string {
  const detail: string[] = [];
  if (l.attributes.length > 0) {
    detail.push(
      l.action === "replace" ? `forced by ${l.attributes.join(", ")}` : l.attributes.join(", "),
    );
  }
  // "forced by <attribute>" already says the attribute cannot be updated in place.
  const redundant =
    l.action === "replace" && l.reason === "cannot be updated in place" && l.attributes.length > 0;
  if (l.reason && !redundant) detail.push(l.reason);
  const strong = l.action === "delete" || l.action === "replace" || l.action === "unknown";
  return `- ${strong ? `**${l.action}**` : l.action} ${code(l.address)}${l.kind ? ` (${l.kind})` : ""}${detail.length ? `: ${detail.join("; ")}` : ""}`;
}

/** A group's changes: attention lines, their policy statements, the rest folded away. */
function groupBody(g: Group): string[] {
  const out: string[] = [];
  const one = g.stacks.length === 1;
  const attention = one ? g.first.attention : g.lines.slice(0, g.attention);
  const rest = one ? g.first.rest : g.lines.slice(g.attention);
  const drift = one ? g.first.drift : g.drift;
  for (const l of attention) out.push(lineText(l));
  for (const l of attention) {
    for (const p of l.policies) {
      out.push("", `${code(l.address)} ${code(p.attribute)}:`, "", "```diff");
      if (p.unknownAfter) out.push("# the new document is known only after apply");
      for (const st of p.added) out.push(`+ ${st}`);
      for (const st of p.removed) out.push(`- ${st}`);
      out.push("```");
    }
  }
  if (rest.length > 0) {
    out.push("", "<details><summary>Other changes</summary>", "");
    for (const l of rest) out.push(lineText(l));
    out.push("", "</details>");
  }
  if (drift.length > 0) {
    out.push("", "Changed outside Terraform (drift; the plan reverts or adopts it):", "");
    for (const l of drift) {
      out.push(
        `- ${code(l.address)}${l.kind ? ` (${l.kind})` : ""}${l.attributes.length ? `: ${l.attributes.join(", ")}` : ""}`,
      );
    }
  }
  return out;
}

function names(stacks: string[], shown: number): string {
  const list = stacks.slice(0, shown).map(code).join(", ");
  const more = stacks.length - shown;
  return more > 0 ? `${list}${shown > 0 ? " and " : ""}${n(more)} more` : list;
}

function groupHeading(g: Group): string {
  const changes = g.lines.length + g.drift.length;
  const what = g.stacks.length === 1 ? code(g.stacks[0]) : `${n(g.stacks.length)} stacks`;
  const same = g.stacks.length === 1 ? "" : `the same ${n(changes)} change(s) in `;
  const attention = g.attention > 0 ? `; ${n(g.attention)} need(s) attention` : "";
  return `#### ${same}${what}: ${countsText(g.counts)}${attention}`;
}

/**
 * A group's block with its first `shown` stack names; `full` false leaves its changes out (they
 * alone would not fit), so the group and its stacks are still named.
 */
function groupBlock(g: Group, shown: number, full = true): string {
  const out = ["", groupHeading(g)];
  if (g.stacks.length > 1) {
    out.push(
      "",
      `Stacks${shown < g.stacks.length ? ` (the rest in the job summary / artifact)` : ""}: ${names(g.stacks, shown)}`,
    );
    if (full) {
      out.push(
        "",
        "Each stack's own names are shown as placeholders (`<stack>`, `<team>-<env>`, `<team>`, `<account-id>`):",
      );
    }
  }
  if (full) out.push("", ...groupBody(g));
  else out.push("", `Its changes are too long for this comment; ${ELSEWHERE}.`);
  return out.join("\n");
}

function phaseTable(summaries: StackSummary[], phaseOf: (s: string) => number): string[] {
  const phases = new Map<number, StackSummary[]>();
  for (const s of summaries) {
    const p = phaseOf(s.stack);
    phases.set(p, [...(phases.get(p) ?? []), s]);
  }
  const out = [
    "| deploy phase | stacks | with changes | create | update | replace | delete | need attention |",
    "|---:|---:|---:|---:|---:|---:|---:|---:|",
  ];
  for (const p of [...phases.keys()].sort((a, b) => a - b)) {
    const list = phases.get(p)!;
    const sum = (a: Action) => n(list.reduce((t, s) => t + s.counts[a], 0));
    out.push(
      `| ${p + 1} | ${n(list.length)} | ${n(list.filter(hasChanges).length)} | ${sum("create")} | ${sum("update")} | ${sum("replace")} | ${sum("delete")} | ${n(list.filter((s) => s.attention.length > 0).length)} |`,
    );
  }
  return out;
}

function kindsLine(summaries: StackSummary[]): string | undefined {
  const kinds = new Map<string, number>();
  for (const s of summaries)
    for (const l of s.attention)
      kinds.set(l.kind ?? l.action, (kinds.get(l.kind ?? l.action) ?? 0) + 1);
  if (kinds.size === 0) return undefined;
  const sorted = [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return `Changes that need attention, by kind: ${sorted.map(([k, c]) => `${n(c)} ${k}`).join(", ")}.`;
}

const ELSEWHERE = "full summary in the job summary / artifact";

/**
 * The comment for `summaries` (stacks whose plan succeeded) and the failed stacks, at most
 * `maxChars` characters. Every stack with changes is in exactly one group; groups are shown most
 * severe first until the budget runs out, then one line says how many stacks are left out.
 */
export function renderComment(summaries: StackSummary[], options: CommentOptions): string {
  const { maxChars, failed, phaseOf } = options;
  const totals = Object.fromEntries(CHANGING.map((a) => [a, 0])) as Record<Action, number>;
  for (const s of summaries) for (const a of CHANGING) totals[a] += s.counts[a];
  const changed = summaries.filter(hasChanges);
  const attention = summaries.filter((s) => s.attention.length > 0).length;
  const head: string[] = [
    options.marker ?? COMMENT_MARKER,
    `## ${options.title ?? `Plan review: ${n(summaries.length + failed.length)} stack(s), ${n(changed.length)} with changes`}`,
    "",
    `Overall: ${countsText(totals)}; ${n(attention)} stack(s) need attention.`,
  ];
  // Reserved for the closing line, whatever happens below.
  const closingRoom = 200;
  const budget = maxChars - closingRoom;
  const length = (lines: string[]) => lines.join("\n").length + 1;
  if (failed.length > 0) {
    const sorted = [...failed].sort();
    // Failed plans come first: their changes are in no review. Named as far as a quarter of the budget.
    let shown = sorted.length;
    const line = (k: number) =>
      `**${n(sorted.length)} plan(s) failed**, their changes are not reviewed here: ${names(sorted, k)}.`;
    while (shown > 0 && line(shown).length > budget / 4) shown = Math.floor(shown / 2);
    head.push("", line(shown));
  }
  const kinds = kindsLine(summaries);
  if (kinds) head.push("", kinds);
  head.push("", ...phaseTable(summaries, phaseOf));

  const groups = groupsOf(summaries);
  if (groups.length > 0) {
    head.push(
      "",
      "### Changes",
      "",
      `${n(changed.length)} stack(s) with changes in ${n(groups.length)} group(s) of identical changes, most severe first.`,
    );
  }
  let used = length(head);
  // First pass: each group in order with at most 20 stack names, its changes too when they fit,
  // else named only; it stops at the first group that does not fit even so, or, when not every group
  // fits, at 70% of the budget, keeping room to name the stacks of the groups left out that need
  // attention.
  // Second pass: those names. Third: more stack names of the groups shown, where room is left.
  const allFit =
    groups.reduce((t, g) => t + groupBlock(g, Math.min(g.stacks.length, 20)).length + 1, used) <=
    budget;
  const firstBudget = allFit ? budget : Math.floor(used + (budget - used) * 0.7);
  const shown: number[] = [];
  const full: boolean[] = [];
  let included = 0;
  for (const [i, g] of groups.entries()) {
    const last = i === groups.length - 1;
    const limit = last ? budget : firstBudget;
    const k = Math.min(g.stacks.length, 20);
    const whole = groupBlock(g, k).length + 1;
    const named = groupBlock(g, k, false).length + 1;
    if (used + whole <= limit) full.push(true);
    else if (used + named <= limit) full.push(false);
    else break;
    shown.push(k);
    used += full[included] ? whole : named;
    included++;
  }
  const leftGroups = groups.slice(included);
  const attentionLeft = leftGroups.filter((g) => g.attention > 0).flatMap((g) => g.stacks);
  let alsoShown = 0;
  const alsoLine = (k: number) =>
    `Also changed, and needing attention (their changes are not shown here; ${ELSEWHERE}): ${names(attentionLeft, k)}.`;
  if (attentionLeft.length > 0) {
    used += alsoLine(0).length + 2;
    while (alsoShown < attentionLeft.length) {
      const step = Math.min(attentionLeft.length - alsoShown, 50);
      const extra = attentionLeft
        .slice(alsoShown, alsoShown + step)
        .reduce((t, s) => t + s.length + 4, 0);
      if (used + extra > budget) break;
      used += extra;
      alsoShown += step;
    }
  }
  for (let i = 0; i < included; i++) {
    const g = groups[i];
    while (shown[i] < g.stacks.length) {
      const step = Math.min(g.stacks.length - shown[i], 50);
      const extra = g.stacks.slice(shown[i], shown[i] + step).reduce((t, s) => t + s.length + 4, 0);
      if (used + extra > budget) break;
      used += extra;
      shown[i] += step;
    }
  }
  const body = groups.slice(0, included).map((g, i) => groupBlock(g, shown[i], full[i]));
  const left = leftGroups.reduce((t, g) => t + g.stacks.length, 0);
  const namedLess = groups
    .slice(0, included)
    .reduce((t, g, i) => t + g.stacks.length - shown[i], 0);
  const tail: string[] = [];
  if (attentionLeft.length > 0) tail.push("", alsoLine(alsoShown));
  if (left > 0) {
    tail.push(
      "",
      `…and ${n(left)} more stack(s) with changes in ${n(leftGroups.length)} more group(s); ${ELSEWHERE}.`,
    );
  } else if (namedLess > 0) {
    tail.push("", `${n(namedLess)} stack(s) above are counted but not named; ${ELSEWHERE}.`);
  }
  let text = `${[...head, ...body, ...tail].join("\n")}\n`;
  // The closing room covers the tail; a header alone past the budget (thousands of failed plans
  // at a tiny --max-chars) is cut at a line, never inside one.
  if (text.length > maxChars) {
    const lines = text.split("\n");
    while (lines.join("\n").length + ELSEWHERE.length + 10 > maxChars) lines.pop();
    text = `${lines.join("\n")}\n…${ELSEWHERE}.\n`;
  }
  return text;
}

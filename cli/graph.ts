// The deploy order as `npm run validate -- --graph [--format text|json]` prints it: the phases of
// the stack graph (stacks/graph.ts) and what each kind of stack needs, why. Readable at thousands
// of stacks: a phase lists its stacks by name up to PHASE_LIST_MAX, else by kind with a count;
// `--format json` lists every stack for machines (the workflow's apply phases read it).
import { deployPhases, needsById, type GraphNode } from "../stacks/graph";

/** Past this many stacks a phase is listed by kind of stack (`team-<team>-<env> ×2000`). */
export const PHASE_LIST_MAX = 12;

export interface GraphJson {
  /** The stack ids of each phase, in order; the stacks of one phase can run together. */
  phases: string[][];
  /** Every stack's direct needs. */
  needs: Record<string, string[]>;
}

export function graphJson(plans: readonly GraphNode[]): GraphJson {
  return {
    phases: deployPhases(plans).map((phase) => phase.map((p) => p.id)),
    needs: needsById(plans),
  };
}

const count = (n: number, what: string) =>
  `${n.toLocaleString("en-US")} ${what}${n === 1 ? "" : "s"}`;

function listPhase(phase: readonly GraphNode[]): string {
  if (phase.length <= PHASE_LIST_MAX) return phase.map((p) => p.id).join(", ");
  const byKind = new Map<string, GraphNode[]>();
  for (const p of phase) byKind.set(p.kind, [...(byKind.get(p.kind) ?? []), p]);
  return [...byKind]
    .map(([kind, members]) =>
      members.length === 1 ? members[0].id : `${kind} ×${members.length.toLocaleString("en-US")}`,
    )
    .join(", ");
}

/** The phases, then what each kind of stack needs, and why. */
export function renderGraph(plans: readonly GraphNode[]): string {
  const phases = deployPhases(plans);
  const lines = [
    `Deploy order: ${count(plans.length, "stack")} in ${count(phases.length, "phase")}; the stacks of a phase can be applied together, once every earlier phase is.`,
  ];
  phases.forEach((phase, i) => {
    lines.push(`  phase ${i + 1} (${count(phase.length, "stack")}): ${listPhase(phase)}`);
  });
  lines.push("", "What each stack needs applied first:");
  // One line per kind of stack (a team whose account keeps its own Config recorder needs no bucket).
  const seen = new Set<string>();
  const width = Math.max(...plans.map((p) => p.kind.length));
  for (const p of plans) {
    const key = `${p.kind}|${p.needs.map((n) => n.stack).join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const needs = p.needs.map((n) => `${n.stack} (${n.why})`).join("; ");
    lines.push(`  ${p.kind.padEnd(width)}  ${needs || "nothing"}`);
  }
  return lines.join("\n");
}

// The deploy order as data: every stack plan names the stacks it needs applied first (stacks/index.ts),
// and everything that orders stacks reads it from here: the manifest's `dependencies` (so the cdktf
// CLI's `deploy '*'` waits for them), the rehearsal, `npm run plan`, the workflow's apply phases and
// the docs (`npm run validate -- --graph`).

/** A stack that must have been applied before this one can plan and apply, and why. */
export interface Need {
  stack: string;
  why: string;
}

/** What the graph needs of a stack plan: its id, the kind of stack it is, and its needs. */
export interface GraphNode {
  id: string;
  /** The stack id with the team and environment as placeholders: `team-<team>-<env>`. */
  kind: string;
  needs: readonly Need[];
}

/**
 * The stacks in phases: the first holds the stacks that need nothing, each next one the stacks whose
 * needs all sit in earlier phases. The stacks of one phase can run together. A need outside `plans`
 * counts as applied already (a selection: the stacks a change touched), so the phases of a selection
 * order only the selection. Order inside a phase is the order of `plans`.
 */
export function deployPhases<T extends GraphNode>(plans: readonly T[]): T[][] {
  const ids = new Set(plans.map((p) => p.id));
  const phaseOf = new Map<string, number>();
  const visiting = new Set<string>();
  const byId = new Map(plans.map((p) => [p.id, p]));
  const phase = (p: T, path: string[]): number => {
    const known = phaseOf.get(p.id);
    if (known !== undefined) return known;
    if (visiting.has(p.id)) {
      const cycle = [...path.slice(path.indexOf(p.id)), p.id];
      throw new Error(`the stacks' needs form a cycle: ${cycle.join(" → ")}`);
    }
    visiting.add(p.id);
    let n = 0;
    for (const need of p.needs) {
      if (!ids.has(need.stack)) continue;
      n = Math.max(n, phase(byId.get(need.stack)!, [...path, p.id]) + 1);
    }
    visiting.delete(p.id);
    phaseOf.set(p.id, n);
    return n;
  };
  const phases: T[][] = [];
  for (const p of plans) (phases[phase(p, [])] ??= []).push(p);
  return phases;
}

/**
 * How many stacks at most wait on each stack, one after the other (0 for a stack nothing needs): the
 * stacks with the longest chain behind them are the ones to start first.
 */
export function chainBehind(plans: readonly GraphNode[]): Map<string, number> {
  const ids = new Set(plans.map((p) => p.id));
  const behind = new Map(plans.map((p) => [p.id, 0]));
  // Latest phase first, so every stack's dependants are settled before the stack itself.
  for (const phase of deployPhases(plans).reverse()) {
    for (const p of phase) {
      for (const n of p.needs) {
        if (!ids.has(n.stack)) continue;
        behind.set(n.stack, Math.max(behind.get(n.stack)!, behind.get(p.id)! + 1));
      }
    }
  }
  return behind;
}

/**
 * The selected plans together with every plan they need, directly or through another, in the order
 * of `all`; `added` lists the ids that were not selected.
 */
export function withNeeds<T extends GraphNode>(
  all: readonly T[],
  selected: readonly T[],
): { plans: T[]; added: string[] } {
  const byId = new Map(all.map((p) => [p.id, p]));
  const wanted = new Set<string>();
  const visit = (p: T) => {
    if (wanted.has(p.id)) return;
    wanted.add(p.id);
    for (const need of p.needs) {
      const needed = byId.get(need.stack);
      if (needed) visit(needed);
    }
  };
  selected.forEach(visit);
  const chosen = new Set(selected.map((p) => p.id));
  const plans = all.filter((p) => wanted.has(p.id));
  return { plans, added: plans.filter((p) => !chosen.has(p.id)).map((p) => p.id) };
}

/** Every stack's needs by id (only needs the configuration has), for manifest.json and JSON output. */
export function needsById(plans: readonly GraphNode[]): Record<string, string[]> {
  const ids = new Set(plans.map((p) => p.id));
  return Object.fromEntries(
    plans.map((p) => [p.id, p.needs.map((n) => n.stack).filter((id) => ids.has(id))]),
  );
}

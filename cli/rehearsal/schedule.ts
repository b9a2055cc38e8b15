// How the rehearsal shares the machine: a fixed number of Terraform commands at once (slots), the
// earliest phase of the deploy order first, every stack through its steps in the order of the stack
// graph, and a record of every step's time for the closing table.
import type { GraphNode } from "../../stacks/graph";

/** At most `size` pieces of work at once; a waiting one with a lower priority number starts first. */
export class Slots {
  private free: number;
  private readonly waiting: { priority: number; seq: number; start: () => void }[] = [];
  private seq = 0;

  constructor(size: number) {
    this.free = Math.max(1, size);
  }

  async run<T>(priority: number, work: () => Promise<T>): Promise<T> {
    if (this.free > 0) {
      this.free--;
    } else {
      await new Promise<void>((start) => {
        this.waiting.push({ priority, seq: this.seq++, start });
        this.waiting.sort((a, b) => a.priority - b.priority || a.seq - b.seq);
      });
    }
    try {
      return await work();
    } finally {
      const next = this.waiting.shift();
      if (next) next.start();
      else this.free++;
    }
  }
}

export interface Timing {
  organization: string;
  stack: string;
  step: string;
  seconds: number;
}

/** Every step's time, and which steps are running now (for the heartbeat). */
export class Timings {
  readonly done: Timing[] = [];
  private readonly active = new Map<number, { label: string; started: number }>();
  private next = 0;

  start(organization: string, stack: string, step: string): { done(): void } {
    const id = this.next++;
    const started = Date.now();
    this.active.set(id, { label: `${organization} ${stack} ${step}`, started });
    return {
      done: () => {
        this.active.delete(id);
        this.done.push({ organization, stack, step, seconds: (Date.now() - started) / 1000 });
      },
    };
  }

  /** `3 running: greenfield team-payments-prod apply 95 s, ...`, the longest-running first. */
  running(): string {
    const now = Date.now();
    const steps = [...this.active.values()].sort((a, b) => a.started - b.started);
    if (steps.length === 0) return "";
    const shown = steps
      .slice(0, 3)
      .map((s) => `${s.label} ${Math.round((now - s.started) / 1000)} s`)
      .join(", ");
    return `${steps.length} running: ${shown}${steps.length > 3 ? ", ..." : ""}`;
  }
}

/** The steps the table shows as columns, in this order; any other step counts under "other". */
const COLUMNS = ["init", "apply", "second plan", "destroy"];

/**
 * Where the time went: one row per organization and stack with its seconds per step, the stacks
 * slowest first, then one total row per organization and step. Seconds of steps that ran side by
 * side add up, so a total can exceed the wall time.
 */
export function renderTimings(timings: readonly Timing[], wall: Record<string, number>): string {
  const rows = new Map<string, { organization: string; stack: string; by: Map<string, number> }>();
  for (const t of timings) {
    const key = `${t.organization} ${t.stack}`;
    const row = rows.get(key) ?? { organization: t.organization, stack: t.stack, by: new Map() };
    const column = COLUMNS.includes(t.step) ? t.step : "other";
    row.by.set(column, (row.by.get(column) ?? 0) + t.seconds);
    rows.set(key, row);
  }
  const columns = [...COLUMNS, "other", "total"];
  const total = (by: Map<string, number>) => [...by.values()].reduce((a, b) => a + b, 0);
  const cell = (n: number | undefined) => (n === undefined ? "-" : n.toFixed(0)).padStart(12);
  const lines = [
    `Where the time went (seconds of each step; "other": adoption check, show, state rm, plan-summary, quota check):`,
    `${"organization".padEnd(12)} ${"stack".padEnd(28)}${columns.map((c) => c.padStart(12)).join("")}`,
  ];
  const sorted = [...rows.values()].sort(
    (a, b) => a.organization.localeCompare(b.organization) || total(b.by) - total(a.by),
  );
  for (const r of sorted) {
    lines.push(
      `${r.organization.padEnd(12)} ${r.stack.padEnd(28)}${columns
        .map((c) => cell(c === "total" ? total(r.by) : r.by.get(c)))
        .join("")}`,
    );
  }
  for (const organization of Object.keys(wall)) {
    const sums = new Map<string, number>();
    for (const r of sorted.filter((r) => r.organization === organization)) {
      for (const [c, n] of r.by) sums.set(c, (sums.get(c) ?? 0) + n);
    }
    lines.push(
      `${organization.padEnd(12)} ${`all steps (wall ${wall[organization]} s)`.padEnd(28)}${columns
        .map((c) => cell(c === "total" ? total(sums) : sums.get(c)))
        .join("")}`,
    );
  }
  return lines.join("\n");
}

/**
 * Runs every stack through `prepare` (init) at once, `up` (apply) once every stack it needs is up,
 * then `check` (the second plan), then `down` (destroy) once every stack that needs it is down: the
 * deploy order of the graph, with independent stacks side by side. A failure stops what depends on
 * it; nothing is destroyed after one (the state and logs stay for the reader). Returns the failures.
 */
export async function runGraph<S extends { plan: GraphNode }>(
  stacks: readonly S[],
  steps: {
    prepare(s: S): Promise<void>;
    up(s: S): Promise<void>;
    check(s: S): Promise<void>;
    down(s: S): Promise<void>;
  },
): Promise<unknown[]> {
  const byId = new Map(stacks.map((s) => [s.plan.id, s]));
  const needed = (s: S) =>
    s.plan.needs.map((n) => byId.get(n.stack)).filter((n): n is S => n !== undefined);
  const failures: unknown[] = [];
  const guard = async (work: () => Promise<void>): Promise<boolean> => {
    try {
      await work();
      return true;
    } catch (e) {
      failures.push(e);
      return false;
    }
  };
  const prepared = new Map(stacks.map((s) => [s, guard(() => steps.prepare(s))]));
  const up = new Map<S, Promise<boolean>>();
  const upOf = (s: S): Promise<boolean> => {
    let p = up.get(s);
    if (!p) {
      p = Promise.all([prepared.get(s)!, ...needed(s).map(upOf)]).then((ok) =>
        ok.every(Boolean) && failures.length === 0 ? guard(() => steps.up(s)) : false,
      );
      up.set(s, p);
    }
    return p;
  };
  const checked = new Map(
    stacks.map((s) => [s, upOf(s).then((ok) => ok && guard(() => steps.check(s)))]),
  );
  // A stack goes down after its own check and after every stack that needs it (whose second plan
  // read it) is down; stacks the graph does not connect overlap.
  const down = new Map<S, Promise<boolean>>();
  const dependants = (s: S) => stacks.filter((d) => needed(d).includes(s));
  const downOf = (s: S): Promise<boolean> => {
    let p = down.get(s);
    if (!p) {
      p = Promise.all([checked.get(s)!, ...dependants(s).map(downOf)]).then((ok) =>
        ok.every(Boolean) && failures.length === 0 ? guard(() => steps.down(s)) : false,
      );
      down.set(s, p);
    }
    return p;
  };
  await Promise.all(stacks.map(downOf));
  return failures;
}

// The example organization as `npm run docs` runs commands on it, so every example output and figure
// in README.md and docs/ is what the command prints today. The example is the fixture the framework's
// tests use (a copy of the example shipped in accounts/), never accounts/ itself: a platform team that
// onboards a team or replaces accounts/ with its own organization keeps docs that still check.
// Commands run in a scratch folder holding the example as `accounts/`, so the paths they print are
// the ones a user sees on a fresh clone.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument, type Document } from "yaml";
import { loadLandingZone } from "../config/load";
import { allTeamEnvironments, type LandingZone } from "../config/model";
import { alarmMetricsOf } from "../config/cost/alarm-metrics";
import { budgetLimit } from "../config/cost/budget";
import { priceTables } from "../config/cost/prices";
import { planStacks, type StackPlan } from "../stacks";
import { synthesize } from "../stacks/synth";
import { failureOf, type Failure } from "./args";

/** Where the example organization lives (the framework's test fixture, a copy of accounts/). */
export const EXAMPLE_ORGANIZATION = "test/fixtures/organizations/example";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = Record<string, any>;

/** `$ <command>` and what it printed, as a reader sees it in a terminal (stdout, then stderr). */
export function transcript(command: string, r: Pick<Failure, "stdout" | "stderr">): string {
  return `$ ${command}\n${r.stdout}${r.stderr}`;
}

/** What a command that throws prints, as its main() would print it. */
export function attempt(run: () => string): Failure {
  try {
    return { code: 0, stdout: run(), stderr: "" };
  } catch (e) {
    return failureOf(e);
  }
}

/** Changes one YAML file of an accounts folder through its document, comments kept. */
export function editYaml(accounts: string, file: string, edit: (doc: Document) => void): void {
  const path = join(accounts, file);
  const doc = parseDocument(readFileSync(path, "utf8"));
  edit(doc);
  writeFileSync(path, doc.toString());
}

export class Example {
  /** The scratch folder: the working directory of every example command. */
  readonly dir: string;
  readonly lz: LandingZone;
  private stacks?: Map<string, Json>;

  constructor(root: string) {
    this.dir = mkdtempSync(join(tmpdir(), "lz-docs-"));
    cpSync(join(root, EXAMPLE_ORGANIZATION), join(this.dir, "accounts"), { recursive: true });
    this.lz = Example.load(this.dir);
  }

  static load(dir: string): LandingZone {
    return loadLandingZone({ accountsDir: join(dir, "accounts"), cwd: dir, base: "" });
  }

  /** Every stack of the example, synthesized once, by stack id. */
  synthesized(): Map<string, Json> {
    if (!this.stacks) this.stacks = synthesizeInto(this.dir, planStacks(this.lz));
    return this.stacks;
  }

  /** Runs `run` in a fresh copy of the example whose accounts/ folder `edit` changed first. */
  variant<T>(edit: (accounts: string) => void, run: (dir: string) => T): T {
    const dir = mkdtempSync(join(tmpdir(), "lz-docs-variant-"));
    try {
      cpSync(join(this.dir, "accounts"), join(dir, "accounts"), { recursive: true });
      edit(join(dir, "accounts"));
      return run(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }

  close(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/** Synthesizes `plans` under `dir/cdktf.out` and reads every stack's cdk.tf.json back. */
export function synthesizeInto(dir: string, plans: StackPlan[]): Map<string, Json> {
  const outdir = join(dir, "cdktf.out");
  synthesize(plans, outdir);
  return new Map(
    plans.map(({ id }) => [
      id,
      JSON.parse(readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as Json,
    ]),
  );
}

/** Resources a synthesized stack declares. */
export function resourceCount(stack: Json): number {
  return Object.values(stack.resource ?? {}).reduce(
    (n: number, byName) => n + Object.keys(byName as Json).length,
    0,
  );
}

/** A Markdown table; prettier pads it afterwards. */
export function table(header: string[], rows: (string | number)[][]): string {
  const line = (cells: (string | number)[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(header.map(() => "---")), ...rows.map(line)].join("\n");
}

const money = (n: number, digits: number) =>
  n.toLocaleString("en-US", { minimumFractionDigits: digits, maximumFractionDigits: digits });

/**
 * docs/security.md's budget table: per active team environment, the estimate `npm run capacity`
 * prints and the budget limit the synthesized stack carries.
 */
export function renderBudgets(example: Example): string {
  const stacks = example.synthesized();
  const tables = priceTables();
  const rows = allTeamEnvironments(example.lz)
    .filter((e) => e.account.status === "active")
    .map((e) => {
      const stack = stacks.get(e.account.stackId)!;
      const alarms = alarmMetricsOf(
        Object.values(stack.resource?.aws_cloudwatch_metric_alarm ?? {}),
      );
      const limit = budgetLimit(e, { alarms }, tables.get(e.region));
      const budget = Object.values(stack.resource?.aws_budgets_budget ?? {})[0] as Json | undefined;
      return [
        e.account.stackId,
        limit?.estimate === undefined ? "declared" : money(limit.estimate, 2),
        budget ? money(Number(budget.limit_amount), 0) : "none",
      ];
    });
  return table(["stack", "estimate (USD/month)", "budget"], rows);
}

interface Field {
  types: Set<string>;
  example?: unknown;
  children: Map<string, Field>;
}

/**
 * The fields of JSON documents a command printed, as a table: each path (`[]` for the elements of a
 * list) under its parent, the types seen there across every document and element, and the first
 * value seen. Generated from real output, so it cannot leave out a field the command prints.
 */
export function renderJsonFields(...docs: unknown[]): string {
  const root: Field = { types: new Set(), children: new Map() };
  const visit = (value: unknown, field: Field) => {
    const type =
      value === null
        ? "null"
        : Array.isArray(value)
          ? "list"
          : typeof value === "object"
            ? "object"
            : typeof value;
    field.types.add(type);
    if (field.example === undefined && !["null", "list", "object"].includes(type)) {
      field.example = value;
    }
    const child = (key: string) => {
      let c = field.children.get(key);
      if (!c) field.children.set(key, (c = { types: new Set(), children: new Map() }));
      return c;
    };
    if (Array.isArray(value)) for (const item of value) visit(item, child("[]"));
    else if (value !== null && typeof value === "object") {
      for (const [k, v] of Object.entries(value)) visit(v, child(k));
    }
  };
  for (const doc of docs) visit(doc, root);
  const rows: string[][] = [];
  const shown = (v: unknown) => {
    if (v === undefined) return "";
    const text = JSON.stringify(v);
    return `\`${text.length > 48 ? `${text.slice(0, 45)}...` : text}\``.replace(/\|/g, "\\|");
  };
  const walk = (field: Field, path: string) => {
    for (const [key, c] of field.children) {
      const p = key === "[]" ? `${path}[]` : path ? `${path}.${key}` : key;
      rows.push([`\`${p}\``, [...c.types].sort().join(" or "), shown(c.example)]);
      walk(c, p);
    }
  };
  walk(root, "");
  return table(["field", "type", "example"], rows);
}

// `npm run changes -- --base <cdktf.out of the base> [--head <cdktf.out>] [--max-jobs <n>]
// [--format json|phases]`: which stacks a change touches, and the shards the workflow plans and
// applies them in. A stack is changed when its cdk.tf.json differs byte for byte from the base's, or
// the base has no such stack; removed when the base has it and the head does not. The shards cover
// every changed and removed stack exactly once, at most --max-jobs of them (GitHub runs at most 256
// jobs per matrix), and a shard never mixes stacks of different deploy phases, nor a stack to apply
// with one to destroy: the workflow runs one phase after the other, the shards of a phase side by side.
//
// The phases are the deploy order's (stacks/graph.ts) as manifest.json records it: a changed stack's
// from the head's manifest, a removed stack's from the base's (its code is gone from the head; its
// state is not, and it is destroyed in reverse dependency order). The whole graph, not only the
// changed stacks, numbers the phases, so "apply phase 3" means the same stacks in every run.
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { deployPhases, type GraphNode } from "../stacks/graph";
import { decimalNumber, exitCodeOf, oneOf, parseFlags, UsageError } from "./args";

export const USAGE = `Usage: npm run changes -- --base <cdktf.out of the base> [--head <cdktf.out>] [--max-jobs <n>] [--format json|phases]
  Compares each stack's cdk.tf.json in --head (default cdktf.out) with --base and prints one JSON
  object: {changed, removed, jobs}. changed: stacks whose Terraform JSON differs or is new; removed:
  stacks in the base but not the head; jobs: shards (lists of stack ids) covering both exactly once,
  never mixing deploy phases. An empty --base folder (a base that does not synthesize) makes every
  stack changed.
  --max-jobs <n>   at most n shards (default 256, GitHub's limit of jobs in one matrix)
  --format phases  the same shards by phase: {destroy: [[shard, ...] per base phase], apply: [... per head phase]}`;

export const DEFAULT_MAX_JOBS = 256;

export interface Changes {
  /** Stacks whose cdk.tf.json differs from the base's or that the base does not have, sorted. */
  changed: string[];
  /** Stacks the base has and the head does not, sorted. */
  removed: string[];
  /** Shards: destroys first (latest phase first), then applies (phase by phase). */
  jobs: string[][];
}

/** The shards by phase, for a workflow that runs one job per phase. */
export interface PhasedShards {
  /** destroy[i]: the shards of removed stacks of the base's phase i + 1 (run from the last phase down). */
  destroy: string[][][];
  /** apply[i]: the shards of changed stacks of the head's phase i + 1. */
  apply: string[][][];
}

interface Out {
  dir: string;
  /** Stack id -> its needs (manifest.json `dependencies`), in manifest order. */
  stacks: Map<string, string[]>;
}

/** A synthesized output folder, or undefined for an empty folder (a base that did not synthesize). */
function readOut(flag: string, dir: string): Out | undefined {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(
      `--${flag}: ${dir}: no such folder (a cdktf.out written by npm run synth)`,
    );
  const manifestFile = join(dir, "manifest.json");
  if (!existsSync(manifestFile)) {
    if (existsSync(join(dir, "stacks")))
      throw new UsageError(
        `--${flag}: ${manifestFile}: missing (the folder has stacks/ but no manifest; synthesize again)`,
      );
    return undefined;
  }
  let manifest: { stacks?: Record<string, { dependencies?: unknown }> };
  try {
    manifest = JSON.parse(readFileSync(manifestFile, "utf8"));
  } catch (e) {
    throw new UsageError(`--${flag}: ${manifestFile}: not JSON (${(e as Error).message})`);
  }
  if (typeof manifest?.stacks !== "object" || manifest.stacks === null)
    throw new UsageError(
      `--${flag}: ${manifestFile}: stacks: missing (got ${typeof manifest?.stacks})`,
    );
  const stacks = new Map<string, string[]>();
  for (const [id, entry] of Object.entries(manifest.stacks)) {
    const deps = entry?.dependencies ?? [];
    if (!Array.isArray(deps) || deps.some((d) => typeof d !== "string"))
      throw new UsageError(
        `--${flag}: ${manifestFile}: stacks.${id}.dependencies: must be a list of stack ids (got ${JSON.stringify(deps)})`,
      );
    stacks.set(id, deps as string[]);
  }
  return { dir, stacks };
}

const stackJson = (out: Out, id: string) => join(out.dir, "stacks", id, "cdk.tf.json");

/** Each stack's phase index (0 = first) in the graph of one output folder. */
function phaseIndex(out: Out): Map<string, number> {
  const nodes: GraphNode[] = [...out.stacks].map(([id, deps]) => ({
    id,
    kind: id,
    needs: deps.map((stack) => ({ stack, why: "" })),
  }));
  const index = new Map<string, number>();
  deployPhases(nodes).forEach((phase, i) => phase.forEach((n) => index.set(n.id, i)));
  return index;
}

/**
 * The smallest shard size with which the groups fit in maxJobs shards, each group cut into
 * near-equal parts: the longest shard, which the whole phase waits for, is as short as it can be.
 */
function shardSize(sizes: readonly number[], maxJobs: number): number {
  let lo = 1;
  let hi = Math.max(1, ...sizes);
  const fits = (s: number) => sizes.reduce((n, size) => n + Math.ceil(size / s), 0) <= maxJobs;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (fits(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** `ids` in `parts` contiguous shards whose sizes differ by one at most (the longer ones first). */
function split(ids: readonly string[], parts: number): string[][] {
  const shards: string[][] = [];
  let at = 0;
  for (let i = 0; i < parts; i++) {
    const size = Math.floor(ids.length / parts) + (i < ids.length % parts ? 1 : 0);
    shards.push(ids.slice(at, at + size));
    at += size;
  }
  return shards;
}

export interface ChangesResult {
  changes: Changes;
  phased: PhasedShards;
  /** Why the base says nothing (it did not synthesize), for stderr; undefined when it does. */
  baseMissing?: string;
}

export function findChanges(baseDir: string, headDir: string, maxJobs: number): ChangesResult {
  const base = readOut("base", baseDir);
  const head = readOut("head", headDir);
  if (!head)
    throw new UsageError(`--head: ${join(headDir, "manifest.json")}: missing (run npm run synth)`);

  const changed = [...head.stacks.keys()]
    .filter((id) => {
      if (!base?.stacks.has(id)) return true;
      const before = join(base.dir, "stacks", id, "cdk.tf.json");
      if (!existsSync(before)) return true;
      return !readFileSync(stackJson(head, id)).equals(readFileSync(before));
    })
    .sort();
  const removed = base ? [...base.stacks.keys()].filter((id) => !head.stacks.has(id)).sort() : [];

  // Groups: the removed stacks of each base phase (latest first: dependants are destroyed before
  // what they need), then the changed stacks of each head phase in order.
  const headPhase = phaseIndex(head);
  const basePhase = base ? phaseIndex(base) : new Map<string, number>();
  const byPhase = (ids: string[], phase: Map<string, number>) => {
    const groups: string[][] = [];
    for (const id of ids) (groups[phase.get(id)!] ??= []).push(id);
    return Array.from(groups, (g) => g ?? []);
  };
  const destroyGroups = byPhase(removed, basePhase);
  const applyGroups = byPhase(changed, headPhase);
  const groups = [...[...destroyGroups].reverse(), ...applyGroups].filter((g) => g.length > 0);
  if (groups.length > maxJobs)
    throw new UsageError(
      `--max-jobs: the changes span ${groups.length} phases, and a shard never mixes two: give at least ${groups.length} (got ${maxJobs})`,
    );
  const size = shardSize(
    groups.map((g) => g.length),
    maxJobs,
  );
  const shard = (g: string[]) => (g.length === 0 ? [] : split(g, Math.ceil(g.length / size)));
  const phased: PhasedShards = { destroy: destroyGroups.map(shard), apply: applyGroups.map(shard) };
  const jobs = [...[...phased.destroy].reverse().flat(), ...phased.apply.flat()];
  return {
    changes: { changed, removed, jobs },
    phased,
    baseMissing: base
      ? undefined
      : `the base ${baseDir} holds no synthesized stacks (it did not synthesize): every stack counts as changed, and removed stacks cannot be found`,
  };
}

export function main(argv: string[]): number {
  try {
    const { values } = parseFlags(
      {
        args: argv,
        options: {
          base: { type: "string" },
          head: { type: "string" },
          "max-jobs": { type: "string" },
          format: { type: "string" },
        },
      },
      USAGE,
    );
    if (values.base === undefined) throw new UsageError(`--base: required\n\n${USAGE}`);
    const maxJobs =
      decimalNumber("max-jobs", values["max-jobs"], {
        unit: "shards",
        min: 1,
        max: 100_000,
        integer: true,
      }) ?? DEFAULT_MAX_JOBS;
    const format = oneOf("format", values.format, ["json", "phases"] as const, "json");
    const result = findChanges(values.base, values.head ?? "cdktf.out", maxJobs);
    if (result.baseMissing) process.stderr.write(`changes: ${result.baseMissing}\n`);
    const { changes, phased } = result;
    process.stderr.write(
      `changes: ${changes.changed.length} changed, ${changes.removed.length} removed, in ${changes.jobs.length} shard(s) of at most ${Math.max(0, ...changes.jobs.map((j) => j.length))} stacks\n`,
    );
    process.stdout.write(`${JSON.stringify(format === "json" ? changes : phased)}\n`);
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

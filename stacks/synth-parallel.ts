// Synthesizes many stacks on every core: worker threads each build an interleaved share of the stacks
// into the same staging folder; the main thread merges their manifests and swaps the folder in.
// Stacks are independent (no cross-stack references), so shares need no coordination.
import { availableParallelism } from "node:os";
import { join } from "node:path";
import { Worker } from "node:worker_threads";
import { rmSync } from "node:fs";
import type { LandingZone } from "../config/model";
import { GuardrailError, type Violation } from "../modules/guardrails";
import type { StackPlan } from "./index";
import {
  commitStaging,
  emptyManifest,
  openStaging,
  synthesize,
  type ManifestFile,
  type OnStack,
  type SynthOptions,
  type SynthStats,
} from "./synth";

export interface WorkerTask {
  lz: LandingZone;
  ids: string[];
  staging: string;
  tag: string;
  /** Post each stack as it is written. */
  progress?: boolean;
}

export type WorkerResult =
  | { ok: true; resources: number; manifest: ManifestFile }
  | { ok: false; message: string; violations?: Violation[] };

/** What a worker posts: each stack as it is written (for progress), then its result. */
export type WorkerMessage = { kind: "stack"; id: string } | { kind: "done"; result: WorkerResult };

/** Below this many stacks, starting workers costs more than it saves. */
const PARALLEL_THRESHOLD = 40;

export function workerCount(): number {
  const fromEnv = Number(process.env.LZ_SYNTH_WORKERS);
  return Number.isInteger(fromEnv) && fromEnv > 0 ? fromEnv : availableParallelism();
}

export async function synthesizeParallel(
  lz: LandingZone,
  plans: StackPlan[],
  outdir: string,
  options: SynthOptions,
  workers = workerCount(),
): Promise<SynthStats> {
  if (workers < 2 || plans.length < PARALLEL_THRESHOLD) return synthesize(plans, outdir, options);
  const staging = openStaging(outdir);
  try {
    const shares = Array.from({ length: workers }, (_, w) =>
      plans.filter((_, i) => i % workers === w).map((p) => p.id),
    );
    const results = await Promise.all(
      shares.map((ids, w) => runWorker({ lz, ids, staging, tag: `-w${w}` }, options.onStack)),
    );
    const failures = results.filter((r): r is Extract<WorkerResult, { ok: false }> => !r.ok);
    // Guardrail violations of all workers become one report, as in a single-threaded synth.
    const violations = failures.flatMap((f) => f.violations ?? []);
    const others = failures.filter((f) => !f.violations).map((f) => f.message);
    if (others.length > 0) throw new Error(others.join("\n"));
    if (violations.length > 0) throw new GuardrailError(violations);
    const manifest = emptyManifest();
    let resources = 0;
    for (const r of results as Extract<WorkerResult, { ok: true }>[]) {
      resources += r.resources;
      manifest.version = r.manifest.version || manifest.version;
      Object.assign(manifest.stacks, r.manifest.stacks);
    }
    commitStaging(staging, outdir, manifest, options);
    return { stacks: plans.length, resources };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

function runWorker(task: WorkerTask, onStack?: OnStack): Promise<WorkerResult> {
  return new Promise((resolve) => {
    const worker = new Worker(join(__dirname, "synth-worker.js"), {
      workerData: { ...task, progress: onStack !== undefined },
    });
    worker.on("message", (m: WorkerMessage) => {
      if (m.kind === "stack") onStack?.(m.id);
      else resolve(m.result);
    });
    worker.once("error", (e) => resolve({ ok: false, message: e.message }));
    worker.once("exit", (code) => {
      if (code !== 0) resolve({ ok: false, message: `synth worker exited with code ${code}` });
    });
  });
}

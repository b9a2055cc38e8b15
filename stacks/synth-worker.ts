// One worker thread of synthesizeParallel: builds its share of the stacks into the staging folder.
import { parentPort, workerData } from "node:worker_threads";
import { GuardrailError } from "../modules/guardrails";
import { planStacks } from "./index";
import { emptyManifest, synthesizeAll } from "./synth";
import type { WorkerMessage, WorkerResult, WorkerTask } from "./synth-parallel";

const task = workerData as WorkerTask;
let result: WorkerResult;
try {
  const wanted = new Set(task.ids);
  const plans = planStacks(task.lz).filter((p) => wanted.has(p.id));
  const manifest = emptyManifest();
  const post = (m: WorkerMessage) => parentPort!.postMessage(m);
  const onStack = task.progress ? (id: string) => post({ kind: "stack", id }) : undefined;
  const resources = synthesizeAll(plans, task.staging, task.tag, manifest, onStack);
  result = { ok: true, resources, manifest };
} catch (e) {
  result = {
    ok: false,
    message: e instanceof Error ? e.message : String(e),
    violations: e instanceof GuardrailError ? e.violations : undefined,
  };
}
parentPort!.postMessage({ kind: "done", result } satisfies WorkerMessage);

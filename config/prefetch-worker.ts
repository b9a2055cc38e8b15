// The worker of config/prefetch.ts: reads and parses every team file of one accounts folder, posts
// them by absolute path, and signals that it is done (the loader waits synchronously).
import { workerData } from "node:worker_threads";
import type { PrefetchTask } from "./prefetch";
import { readTeamFiles } from "./read-files";

const task = workerData as PrefetchTask;
try {
  task.port.postMessage([...readTeamFiles(task.accountsDir, task.cwd)]);
} finally {
  Atomics.store(task.done, 0, 1);
  Atomics.notify(task.done, 0);
}

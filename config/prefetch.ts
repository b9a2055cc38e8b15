// Reading and parsing every team file is most of what a one-stack synth of a large organization
// spends on the organization (docs/scale.md): at 1,000 teams, about as long as the stack itself. It
// needs nothing but the files, so a worker thread reads and parses them while the main thread loads
// cdktf and the stack modules; the loader (config/read.ts) then takes the parsed files instead of
// parsing them again. Same function, same results: the worker runs readTeamFile() of read-files.ts.
// Small organizations are read on the main thread as before (a worker costs more than it saves).
//
// This module is light on purpose (no zod, no YAML parser): a command imports it first, so the worker
// starts before the heavy modules load.
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";
import {
  MessageChannel,
  receiveMessageOnPort,
  Worker,
  type MessagePort,
} from "node:worker_threads";
import type { TeamFileRead } from "./read-files";

/** Below this many team files, reading them on the main thread is cheaper than a worker. */
export const PREFETCH_MIN_TEAMS = 200;
/** A worker that never answers (it crashed) is given up on after this long; the loader reads itself. */
const WAIT_MS = 60_000;

export function defaultAccountsDir(): string {
  return process.env.LZ_ACCOUNTS_DIR ?? "accounts";
}

export interface PrefetchTask {
  accountsDir: string;
  cwd: string;
  port: MessagePort;
  done: Int32Array;
}

interface Pending {
  accountsDir: string;
  cwd: string;
  port: MessagePort;
  done: Int32Array;
}

let pending: Pending | undefined;

/** Starts reading the team files of `accountsDir` on a worker thread, when there are many. */
export function prefetchTeamFiles(accountsDir = defaultAccountsDir(), cwd = process.cwd()): void {
  const script = join(__dirname, "prefetch-worker.js");
  // From the TypeScript sources (tests) there is no worker script: the loader reads as usual.
  if (pending || !existsSync(script)) return;
  const dir = resolve(cwd, accountsDir);
  const teamsDir = join(dir, "teams");
  let count = 0;
  try {
    count = readdirSync(teamsDir).filter((f) => f.endsWith(".yaml")).length;
  } catch {
    return;
  }
  if (count < PREFETCH_MIN_TEAMS) return;
  const { port1, port2 } = new MessageChannel();
  const done = new Int32Array(new SharedArrayBuffer(4));
  const task: PrefetchTask = { accountsDir: dir, cwd, port: port1, done };
  const worker = new Worker(script, { workerData: task, transferList: [port1] });
  // The process never waits for it: the loader takes its answer, or reads the files itself.
  worker.unref();
  worker.on("error", () => undefined);
  pending = { accountsDir: dir, cwd, port: port2, done };
}

/**
 * The team files read by the worker, by absolute path, once it has finished (waiting for it, since
 * the loader is synchronous); undefined when no prefetch of this folder ran or it failed.
 */
export function takePrefetched(
  accountsDir: string,
  cwd: string,
): Map<string, TeamFileRead> | undefined {
  const p = pending;
  if (!p || p.accountsDir !== accountsDir || p.cwd !== cwd) return undefined;
  pending = undefined;
  Atomics.wait(p.done, 0, 0, WAIT_MS);
  const message = receiveMessageOnPort(p.port)?.message as [string, TeamFileRead][] | undefined;
  p.port.close();
  return message && new Map(message);
}

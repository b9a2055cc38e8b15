// The load generator: vegeta (github.com/tsenart/vegeta), an open-model HTTP load tool: it sends
// at the given rate whatever the latency, adding workers as responses slow down. It is built from
// source with Go at a pinned version into a project-local cache, once per machine.
//
// Targets are fed lazily on stdin, one JSON line per request, so each SigV4 signature is made just
// before its request goes out (a signed request is valid for minutes, a peak run lasts longer).
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { withHeartbeat } from "../progress";
import { existsSync, mkdirSync, mkdtempSync, renameSync, rmSync } from "node:fs";
import { join } from "node:path";
import { REPO_ROOT } from "../../modules/service-blueprint/reference-package";

export const VEGETA_MODULE = "github.com/tsenart/vegeta/v12";
export const VEGETA_VERSION = "v12.13.0";
const CACHE_DIR = join(REPO_ROOT, ".loadtest-cache", `vegeta-${VEGETA_VERSION}`);

/** A problem running the load test itself (no generator, target unreachable): exit code 3. */
export class LoadTestError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "LoadTestError";
  }
}

/**
 * Path of the vegeta binary, built with `go install` the first time (a minute or two, with progress:
 * a heartbeat line off a terminal).
 */
export async function vegetaBinary(log: (line: string) => void): Promise<string> {
  const bin = join(CACHE_DIR, "vegeta");
  if (existsSync(bin)) return bin;
  const go = spawnSync("go", ["version"], { encoding: "utf8" });
  if (go.error || go.status !== 0) {
    throw new LoadTestError(
      `the load generator vegeta ${VEGETA_VERSION} is built from source with Go, and \`go\` was not found.\n` +
        `Install Go 1.22 or later (https://go.dev/dl/), or place a vegeta ${VEGETA_VERSION} binary at ${bin}.`,
    );
  }
  log(
    `Building vegeta ${VEGETA_VERSION} with ${go.stdout.trim()} (once; cached in .loadtest-cache/)`,
  );
  mkdirSync(CACHE_DIR, { recursive: true });
  // Built into a private folder and renamed into place: two runs building at once never see half a binary.
  const scratch = mkdtempSync(join(CACHE_DIR, "build-"));
  try {
    const r = await withHeartbeat(`building vegeta ${VEGETA_VERSION}`, () =>
      run(
        "go",
        [
          "install",
          "-trimpath",
          `-ldflags=-s -w -X main.Version=${VEGETA_VERSION}`,
          `${VEGETA_MODULE}@${VEGETA_VERSION}`,
        ],
        { ...process.env, GOBIN: scratch, CGO_ENABLED: "0" },
      ),
    );
    if (r.status !== 0) {
      throw new LoadTestError(
        `building vegeta failed (go install ${VEGETA_MODULE}@${VEGETA_VERSION}, exit ${r.status}):\n${r.stderr.trim()}`,
      );
    }
    renameSync(join(scratch, "vegeta"), bin);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  return bin;
}

/** A command run to its end without blocking the event loop (so progress can beat meanwhile). */
function run(
  cmd: string,
  args: string[],
  env: NodeJS.ProcessEnv,
): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.setEncoding("utf8");
    child.stderr.on("data", (d: string) => (stderr += d));
    child.on("error", (e) => resolve({ status: null, stderr: e.message }));
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

export interface Attack {
  name: string;
  /** Requests per second; any positive number. */
  rate: number;
  durationSeconds: number;
  /** Request n (0-based) as a vegeta JSON target line. */
  target: (seq: number) => Promise<string>;
  /** Where vegeta writes its (binary) results. */
  resultsFile: string;
  timeoutSeconds: number;
}

/**
 * vegeta's rate is `<hits>/<period>` in whole hits: 7.5/s is written 7500/1000s, which paces one
 * request every 133.3 ms. Rates are kept to a thousandth of a request per second.
 */
export function vegetaRate(rate: number): string {
  return `${Math.max(1, Math.round(rate * 1000))}/1000s`;
}

const running = new Set<ChildProcess>();

/** Ends every attack still running (on Ctrl-C): no vegeta outlives the command. */
export function stopAttacks(): void {
  for (const child of running) child.kill("SIGTERM");
}

/** Runs one attack to its end; resolves when vegeta has exited and written its results. */
export function runAttack(bin: string, attack: Attack): Promise<void> {
  const child = spawn(
    bin,
    [
      "attack",
      "-lazy",
      "-format=json",
      `-name=${attack.name}`,
      `-rate=${vegetaRate(attack.rate)}`,
      `-duration=${Math.round(attack.durationSeconds * 1000)}ms`,
      `-timeout=${attack.timeoutSeconds}s`,
      "-max-body=0",
      `-output=${attack.resultsFile}`,
    ],
    { stdio: ["pipe", "ignore", "pipe"] },
  );
  running.add(child);
  let stderr = "";
  child.stderr.setEncoding("utf8");
  child.stderr.on("data", (d: string) => (stderr += d));
  // vegeta stops reading when the duration is over; whatever was not read is dropped.
  child.stdin.on("error", () => undefined);
  let exited = false;
  const done = new Promise<void>((resolve, reject) => {
    child.on("error", (e) => reject(new LoadTestError(`vegeta could not start: ${e.message}`)));
    child.on("close", (code) => {
      exited = true;
      running.delete(child);
      if (code === 0) resolve();
      else
        reject(new LoadTestError(`vegeta attack ${attack.name} exited ${code}: ${stderr.trim()}`));
    });
  });
  const feed = async () => {
    // A few more than the duration needs: vegeta must never run out of targets early.
    const needed = Math.ceil(attack.rate * attack.durationSeconds) + 5;
    for (let seq = 0; seq < needed && !exited; seq++) {
      const line = `${await attack.target(seq)}\n`;
      if (!child.stdin.write(line)) {
        await new Promise<void>((resolve) => {
          const go = () => {
            child.stdin.off("drain", go);
            child.off("close", go);
            resolve();
          };
          child.stdin.once("drain", go);
          child.once("close", go);
        });
      }
    }
    child.stdin.end();
  };
  return Promise.all([feed(), done]).then(() => undefined);
}

export interface Result {
  name: string;
  /** When the request was sent, ms since the epoch. */
  startMs: number;
  latencyMs: number;
  /** HTTP status; 0 when no response came (timeout, refused connection). */
  code: number;
  error: string;
}

/** The results of an attack, decoded by vegeta itself into JSON lines. */
export function readResults(bin: string, resultsFile: string): Result[] {
  const r = spawnSync(bin, ["encode", "-to", "json", resultsFile], {
    encoding: "utf8",
    maxBuffer: 1 << 30,
  });
  if (r.status !== 0) throw new LoadTestError(`vegeta encode failed: ${r.stderr.trim()}`);
  return r.stdout
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const v = JSON.parse(l) as {
        attack: string;
        timestamp: string;
        latency: number;
        code: number;
        error: string;
      };
      return {
        name: v.attack,
        startMs: timestampMs(v.timestamp),
        latencyMs: v.latency / 1e6,
        code: v.code,
        error: v.error,
      };
    });
}

/** RFC 3339 with nanoseconds; Date keeps milliseconds, the fraction below them is added back. */
function timestampMs(ts: string): number {
  const frac = /\.(\d+)/.exec(ts)?.[1] ?? "";
  return Date.parse(ts) + Number(`0.${frac.slice(3) || "0"}`);
}

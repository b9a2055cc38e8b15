// From vegeta's per-request results to what a reviewer reads: per stage and route the requests sent,
// the rate achieved, latency percentiles, errors and 429s; the concurrency the API function needed
// by Little's law next to the reserved concurrency the landing zone derived; for /jobs, how long the
// queue takes to drain at the declared worker duration; and the verdict against the team file.
import type { SizedEnvironment } from "../../config/model";
import { SYNC_ROUTES, type Route, type Stage } from "./profile";
import type { Result } from "./vegeta";

/** Errors (anything but 2xx and 429, or no answer) allowed, as a share of requests. */
export const MAX_ERROR_SHARE = 0.01;
/** Share of the target rate the generator must reach for the run to say anything. */
export const MIN_RATE_SHARE = 0.9;

export interface Latency {
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
}

export interface RouteReport {
  route: Route;
  targetRate: number;
  sent: number;
  achievedRate: number;
  /** Milliseconds; null when no request was sent. */
  latencyMs: Latency | null;
  /** Responses by HTTP status; `0` is a request that got no answer (timeout, refused). */
  status: Record<string, number>;
  errors: number;
  throttled: number;
  /** Executions busy on average (Little's law: achieved rate × mean latency). */
  observedConcurrency: number;
}

export interface StageReport {
  label: string;
  multiplier: number;
  durationSeconds: number;
  routes: RouteReport[];
  apiFunction: {
    /** Mean latency of the synchronous routes, to set against the declared averageDurationMs. */
    meanLatencyMs: number | null;
    observedConcurrency: number;
    reservedConcurrency: number;
  };
}

export interface QueueReport {
  enqueued: number;
  declaredWorkerDurationMs: number;
  workerMaximumConcurrency: number;
  workerReservedConcurrency: number;
  batchSize: number;
  batchingWindowSeconds: number;
  /** Messages per second the worker drains at the declared duration and maximum concurrency. */
  drainCapacityPerSecond: number;
  /** Messages still queued when the load stops, at that capacity. */
  backlogAtEnd: number;
  /** Seconds after the load stops until the queue is empty: backlog ÷ capacity + window + one duration. */
  drainSecondsAfterRun: number;
}

export interface Check {
  check: "sent" | "rate" | "p99" | "errors" | "throttled" | "queue";
  stage: string;
  route: string;
  ok: boolean;
  message: string;
}

export interface Series {
  second: number;
  stage: string;
  route: Route;
  sent: number;
  targetRate: number;
  p50: number | null;
  p90: number | null;
  p99: number | null;
}

export interface StageResults {
  stage: Stage;
  /** When the stage's first request went out, ms since the epoch. */
  startedMs: number;
  results: Map<Route, Result[]>;
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.max(0, Math.ceil((p / 100) * sorted.length) - 1)];
}

function latency(values: number[]): Latency | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    mean: round(sorted.reduce((s, v) => s + v, 0) / sorted.length),
    p50: round(percentile(sorted, 50)),
    p90: round(percentile(sorted, 90)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted[sorted.length - 1]),
  };
}

export function routeReport(
  route: Route,
  targetRate: number,
  seconds: number,
  results: Result[],
): RouteReport {
  const status: Record<string, number> = {};
  for (const r of results) status[String(r.code)] = (status[String(r.code)] ?? 0) + 1;
  const throttled = status["429"] ?? 0;
  const ok = results.filter((r) => r.code >= 200 && r.code < 300).length;
  const lat = latency(results.map((r) => r.latencyMs));
  const achievedRate = results.length / seconds;
  return {
    route,
    targetRate: round(targetRate),
    sent: results.length,
    achievedRate: round(achievedRate),
    latencyMs: lat,
    status: Object.fromEntries(Object.entries(status).sort(([a], [b]) => Number(a) - Number(b))),
    errors: results.length - ok - throttled,
    throttled,
    observedConcurrency: round(achievedRate * ((lat?.mean ?? 0) / 1000)),
  };
}

export function stageReports(env: SizedEnvironment, runs: StageResults[]): StageReport[] {
  return runs.map(({ stage, results }) => {
    const routes = stage.routes.map((r) =>
      routeReport(r.route, r.rate, stage.durationSeconds, results.get(r.route) ?? []),
    );
    const sync = routes.filter((r) => SYNC_ROUTES.includes(r.route));
    const sent = sync.reduce((s, r) => s + r.sent, 0);
    const weighted = sync.reduce((s, r) => s + r.sent * (r.latencyMs?.mean ?? 0), 0);
    return {
      label: stage.label,
      multiplier: stage.multiplier,
      durationSeconds: stage.durationSeconds,
      routes,
      apiFunction: {
        meanLatencyMs: sent > 0 ? round(weighted / sent) : null,
        observedConcurrency: round(sync.reduce((s, r) => s + r.observedConcurrency, 0)),
        reservedConcurrency: env.derived.apiReservedConcurrency,
      },
    };
  });
}

/**
 * The queue as it would drain in AWS: the worker takes the declared average duration per message
 * and runs at most the derived maximum concurrency, so it drains `maximum ÷ duration` messages per
 * second whatever the batch size. A stage sending faster than that leaves a backlog.
 */
export function queueReport(env: SizedEnvironment, stages: StageReport[]): QueueReport | undefined {
  const declared = env.traffic.async;
  if (!declared) return undefined;
  const d = env.derived;
  const durationSeconds = declared.averageDurationMs / 1000;
  const capacity = d.workerMaximumConcurrency / durationSeconds;
  let backlog = 0;
  let enqueued = 0;
  for (const s of stages) {
    const jobs = s.routes.find((r) => r.route === "POST /jobs");
    const accepted = jobs ? (jobs.status["202"] ?? 0) : 0;
    enqueued += accepted;
    backlog = Math.max(0, backlog + accepted - capacity * s.durationSeconds);
  }
  const window = env.blueprint.queue.maximumBatchingWindowSeconds;
  return {
    enqueued,
    declaredWorkerDurationMs: declared.averageDurationMs,
    workerMaximumConcurrency: d.workerMaximumConcurrency,
    workerReservedConcurrency: d.workerReservedConcurrency,
    batchSize: env.blueprint.queue.batchSize,
    batchingWindowSeconds: window,
    drainCapacityPerSecond: round(capacity),
    backlogAtEnd: Math.ceil(backlog),
    drainSecondsAfterRun: round(backlog / capacity + window + durationSeconds),
  };
}

/** Per second of the run and route: requests sent and latency percentiles, for the chart. */
export function series(runs: StageResults[]): Series[] {
  if (runs.length === 0) return [];
  const t0 = runs[0].startedMs;
  const out: Series[] = [];
  for (const { stage, startedMs, results } of runs) {
    const offset = Math.round((startedMs - t0) / 1000);
    for (const r of stage.routes) {
      const buckets = new Map<number, number[]>();
      for (const res of results.get(r.route) ?? []) {
        // vegeta's pacing may end a few ms past the duration: that request belongs to the last second.
        const s = Math.min(
          Math.ceil(stage.durationSeconds) - 1,
          Math.max(0, Math.floor((res.startMs - startedMs) / 1000)),
        );
        const bucket = buckets.get(s) ?? [];
        bucket.push(res.latencyMs);
        buckets.set(s, bucket);
      }
      for (let s = 0; s < Math.ceil(stage.durationSeconds); s++) {
        const sorted = (buckets.get(s) ?? []).sort((a, b) => a - b);
        const pct = (p: number) => (sorted.length ? round(percentile(sorted, p)) : null);
        out.push({
          second: offset + s,
          stage: stage.label,
          route: r.route,
          sent: sorted.length,
          targetRate: round(r.rate),
          p50: pct(50),
          p90: pct(90),
          p99: pct(99),
        });
      }
    }
  }
  return out;
}

export function checks(
  env: SizedEnvironment,
  stages: StageReport[],
  local?: { enqueued: number; processed: number; deadLettered: number; drained: boolean },
): Check[] {
  const p99Limit = env.traffic.sync.p99DurationMs;
  const out: Check[] = [];
  for (const s of stages) {
    for (const r of s.routes) {
      const at = { stage: s.label, route: r.route };
      if (r.sent === 0) {
        out.push({
          ...at,
          check: "sent",
          ok: false,
          message: `no request was sent at ${r.targetRate}/s in ${s.durationSeconds} s: lengthen --duration`,
        });
        continue;
      }
      out.push({
        ...at,
        check: "rate",
        ok: r.achievedRate >= r.targetRate * MIN_RATE_SHARE,
        message: `achieved ${r.achievedRate}/s of ${r.targetRate}/s (at least ${MIN_RATE_SHARE * 100} % needed)`,
      });
      if (SYNC_ROUTES.includes(r.route) && r.latencyMs) {
        out.push({
          ...at,
          check: "p99",
          ok: r.latencyMs.p99 <= p99Limit,
          message: `p99 ${Math.round(r.latencyMs.p99 * 10) / 10} ms; declared p99DurationMs ${p99Limit}`,
        });
      }
      out.push({
        ...at,
        check: "errors",
        ok: r.errors / r.sent < MAX_ERROR_SHARE,
        message: `${r.errors} of ${r.sent} failed (${pct(r.errors / r.sent)}; under ${MAX_ERROR_SHARE * 100} % allowed)`,
      });
      // Above the declared rate a 429 is the throttle doing its job; at or below it, a shortfall.
      if (s.multiplier <= 1) {
        out.push({
          ...at,
          check: "throttled",
          ok: r.throttled === 0,
          message: `${r.throttled} answered 429 at or below the declared rate (none allowed)`,
        });
      }
    }
  }
  if (local) {
    const ok = local.drained && local.processed === local.enqueued && local.deadLettered === 0;
    out.push({
      stage: "after the run",
      route: "POST /jobs",
      check: "queue",
      ok,
      message: local.drained
        ? `worker processed ${local.processed} of ${local.enqueued} jobs, ${local.deadLettered} dead-lettered`
        : `the local queue did not drain in time (${local.processed} of ${local.enqueued} processed)`,
    });
  }
  return out;
}

const round = (x: number) => Math.round(x * 1000) / 1000;
const pct = (x: number) => `${(Math.round(x * 10000) / 100).toString()} %`;

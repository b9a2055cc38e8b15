// The load a team's declaration asks for, as an open model: each route receives requests at a
// constant arrival rate whatever the service's latency, the way real clients keep arriving while
// the service is slow. Closed-loop users would slow down with the service and hide the problem.
import type { SizedEnvironment } from "../../config/model";

export const PROFILES = ["smoke", "declared", "peak"] as const;
export type Profile = (typeof PROFILES)[number];

export const ROUTES = ["POST /items", "GET /items/{id}", "POST /jobs"] as const;
export type Route = (typeof ROUTES)[number];

/** The synchronous routes, served by the API function (its reserved concurrency covers both). */
export const SYNC_ROUTES: readonly Route[] = ["POST /items", "GET /items/{id}"];

/** A smoke run proves the path works end to end; it is not a measurement of capacity. */
export const SMOKE_RATE_PER_ROUTE = 2;
export const DEFAULT_STAGE_SECONDS: Record<Profile, number> = { smoke: 5, declared: 30, peak: 30 };
const PEAK_MULTIPLIERS = [1, 1.5, 2];

export interface RouteLoad {
  route: Route;
  /** Requests per second sent to this route. */
  rate: number;
}

export interface Stage {
  /** `smoke`, or the multiple of the declared rate: `1×`, `1.5×`, `2×`. */
  label: string;
  /** Multiple of the declared rate; a smoke stage's rate is at or below the declared one. */
  multiplier: number;
  durationSeconds: number;
  routes: RouteLoad[];
}

/**
 * The declared synchronous rate is the API function's whole rate (the reserved concurrency is
 * derived from it), so the two synchronous routes share it evenly; POST /jobs gets the declared
 * messages per second. A team that declares no asynchronous traffic gets no load on /jobs.
 */
export function declaredRates(env: SizedEnvironment): RouteLoad[] {
  const half = env.traffic.sync.requestsPerSecond / 2;
  const out: RouteLoad[] = [
    { route: "POST /items", rate: half },
    { route: "GET /items/{id}", rate: half },
  ];
  if (env.traffic.async)
    out.push({ route: "POST /jobs", rate: env.traffic.async.messagesPerSecond });
  return out;
}

export function loadStages(env: SizedEnvironment, profile: Profile, seconds?: number): Stage[] {
  const durationSeconds = seconds ?? DEFAULT_STAGE_SECONDS[profile];
  const declared = declaredRates(env);
  if (profile === "smoke") {
    return [
      {
        label: "smoke",
        multiplier: 1,
        durationSeconds,
        routes: declared.map((r) => ({ ...r, rate: Math.min(r.rate, SMOKE_RATE_PER_ROUTE) })),
      },
    ];
  }
  const multipliers = profile === "peak" ? PEAK_MULTIPLIERS : [1];
  return multipliers.map((m) => ({
    label: `${m}×`,
    multiplier: m,
    durationSeconds,
    routes: declared.map((r) => ({ ...r, rate: r.rate * m })),
  }));
}

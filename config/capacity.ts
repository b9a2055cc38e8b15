// The landing zone's arithmetic, in one pure module: synth, alarms, capacity planning, the capacity
// report and the tests all size things from here.
//
// Concurrency = requests per second × average duration in seconds (Little's law).
import type { z } from "zod";
import type { quotaDefaults, traffic } from "./schema/settings";

/** Traffic as a team file declares it. */
export type TrafficProfile = z.output<typeof traffic>;

export interface SizingSettings {
  headroom: number;
  throttleHeadroom: number;
  burstMultiplier: number;
  workerTimeoutSeconds: number;
  maximumBatchingWindowSeconds: number;
}

/** The quotas one account has, as organization.yaml declares them (a team may raise two). */
export type AccountQuotas = z.output<typeof quotaDefaults>;

export interface DerivedNumbers {
  /** Reserved concurrency of the API function. */
  apiReservedConcurrency: number;
  /** Event source mapping maximum concurrency of the worker (SQS allows 2–1000). */
  workerMaximumConcurrency: number;
  /** Reserved concurrency of the worker: never below its maximum concurrency, or the poller throttles. */
  workerReservedConcurrency: number;
  /** Concurrency the account must be able to reserve for this blueprint. */
  requiredConcurrency: number;
  /** Concurrency the account can reserve: quota minus what must stay unreserved. */
  reservableConcurrency: number;
  /** Stage-wide method throttling, sized from the synchronous routes. */
  apiThrottleRateLimit: number;
  apiThrottleBurstLimit: number;
  /**
   * Throttling of `POST /jobs`, from the declared messages per second: without it the stage-wide
   * limit, sized from synchronous traffic, would turn away jobs. Absent when no async traffic is
   * declared (the stage-wide setting applies).
   */
  jobsThrottle?: { rateLimit: number; burstLimit: number };
  /** The usage plan (API keys) meters every route, so its limits are the sum of both. */
  usagePlanThrottle: { rateLimit: number; burstLimit: number };
  /** SQS visibility timeout: 6 × worker timeout + batching window. */
  queueVisibilityTimeoutSeconds: number;
}

export const SQS_MAX_CONCURRENCY_MIN = 2;
/**
 * Share of synchronous requests allowed to find every reserved execution busy. Lambda throttles
 * those (API Gateway answers 429/500), so the API function reserves at least enough for this.
 */
export const API_THROTTLE_PROBABILITY = 0.001;
/** The smallest reserved concurrency of a function: one execution serializes every request. */
export const MIN_RESERVED_CONCURRENCY = 2;
export const SQS_MAX_CONCURRENCY_MAX = 1000;
export const SQS_VISIBILITY_TIMEOUT_MAX = 43_200;

/**
 * ceil() that ignores floating-point dust: 100 × 0.1 × 1.0 is 10.000000000000002 in IEEE 754 and must
 * reserve 10, not 11.
 */
export function ceilClean(x: number): number {
  return Math.ceil(Math.round(x * 1e6) / 1e6);
}

export function concurrencyFor(
  ratePerSecond: number,
  averageDurationMs: number,
  headroom: number,
): number {
  return Math.max(1, ceilClean(ratePerSecond * (averageDurationMs / 1000) * headroom));
}

export function deriveNumbers(
  traffic: TrafficProfile,
  s: SizingSettings,
  q: AccountQuotas,
): DerivedNumbers {
  const apiReservedConcurrency = Math.max(
    concurrencyFor(traffic.sync.requestsPerSecond, traffic.sync.averageDurationMs, s.headroom),
    burstFloor(traffic.sync.requestsPerSecond, traffic.sync.averageDurationMs),
  );
  const workerWanted = traffic.async
    ? concurrencyFor(traffic.async.messagesPerSecond, traffic.async.averageDurationMs, s.headroom)
    : SQS_MAX_CONCURRENCY_MIN;
  const workerMaximumConcurrency = clamp(
    workerWanted,
    SQS_MAX_CONCURRENCY_MIN,
    SQS_MAX_CONCURRENCY_MAX,
  );
  const workerReservedConcurrency = Math.max(workerWanted, workerMaximumConcurrency);
  // Each limit is capped at the account's API Gateway quota, which every API shares.
  const throttle = (rps: number) => {
    const rateLimit = Math.min(ceilClean(rps * s.throttleHeadroom), q.apiGatewayRequestsPerSecond);
    const burstLimit = Math.min(
      Math.max(1, ceilClean(rateLimit * s.burstMultiplier)),
      q.apiGatewayBurst,
    );
    return { rateLimit, burstLimit };
  };
  const sync = throttle(traffic.sync.requestsPerSecond);
  const apiThrottleRateLimit = sync.rateLimit;
  const apiThrottleBurstLimit = sync.burstLimit;
  const jobsThrottle = traffic.async ? throttle(traffic.async.messagesPerSecond) : undefined;
  const usagePlanThrottle = throttle(
    traffic.sync.requestsPerSecond + (traffic.async?.messagesPerSecond ?? 0),
  );
  return {
    apiReservedConcurrency,
    workerMaximumConcurrency,
    workerReservedConcurrency,
    requiredConcurrency: apiReservedConcurrency + workerReservedConcurrency,
    reservableConcurrency: q.lambdaConcurrentExecutions - q.lambdaUnreservedMinimum,
    apiThrottleRateLimit,
    apiThrottleBurstLimit,
    ...(jobsThrottle && { jobsThrottle }),
    usagePlanThrottle,
    queueVisibilityTimeoutSeconds: 6 * s.workerTimeoutSeconds + s.maximumBatchingWindowSeconds,
  };
}

/**
 * The floor under the API function's reserved concurrency. Requests arrive at random, not evenly:
 * reserved concurrency is a loss system (an arrival that finds every execution busy is throttled),
 * and Erlang's B formula gives the share of arrivals lost with `c` executions at an offered load of
 * rate × average duration. It holds whatever the duration's distribution (a long p99 tail included),
 * so the average is all it needs. Small services need far more than their average: 5 requests per
 * second of 120 ms average 0.6 executions in use, yet 1 execution throttles 37 % of requests, 4
 * still 0.3 %, and 5 are needed to throttle fewer than 0.1 %. At large loads the floor is a few √load above the load
 * and the headroom usually covers it.
 */
export function burstFloor(requestsPerSecond: number, averageDurationMs: number): number {
  const load = requestsPerSecond * (averageDurationMs / 1000);
  let c = 0;
  let blocking = 1; // B(load, 0)
  while (blocking > API_THROTTLE_PROBABILITY) {
    c += 1;
    blocking = (load * blocking) / (c + load * blocking);
  }
  return Math.max(MIN_RESERVED_CONCURRENCY, c);
}

/**
 * The Lambda concurrency quota to request so that `required` fits with the unreserved minimum kept
 * free and peak use stays under the 80 % warning alarm; rounded up to a hundred.
 */
export function suggestedLambdaQuota(required: number, unreservedMinimum: number): number {
  const needed = Math.max(required + unreservedMinimum, ceilClean(required / 0.8));
  return Math.ceil(needed / 100) * 100;
}

function clamp(x: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, x));
}

// The landing zone's arithmetic, in one pure module: synth, alarms, capacity planning, the capacity
// report and the tests all size things from here.
//
// Concurrency = requests per second × average duration in seconds (Little's law).

export interface TrafficProfile {
  sync: { requestsPerSecond: number; averageDurationMs: number; p99DurationMs: number };
  async?: { messagesPerSecond: number; averageDurationMs: number };
}

export interface SizingSettings {
  headroom: number;
  throttleHeadroom: number;
  burstMultiplier: number;
  workerTimeoutSeconds: number;
  maximumBatchingWindowSeconds: number;
}

export interface AccountQuotas {
  lambdaConcurrentExecutions: number;
  lambdaUnreservedMinimum: number;
  apiGatewayRequestsPerSecond: number;
  apiGatewayBurst: number;
}

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
  /** Stage method throttling. */
  apiThrottleRateLimit: number;
  apiThrottleBurstLimit: number;
  /** SQS visibility timeout: 6 × worker timeout + batching window. */
  queueVisibilityTimeoutSeconds: number;
}

export const SQS_MAX_CONCURRENCY_MIN = 2;
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
  const apiReservedConcurrency = concurrencyFor(
    traffic.sync.requestsPerSecond,
    traffic.sync.averageDurationMs,
    s.headroom,
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
  const apiThrottleRateLimit = Math.min(
    ceilClean(traffic.sync.requestsPerSecond * s.throttleHeadroom),
    q.apiGatewayRequestsPerSecond,
  );
  const apiThrottleBurstLimit = Math.min(
    Math.max(1, ceilClean(apiThrottleRateLimit * s.burstMultiplier)),
    q.apiGatewayBurst,
  );
  return {
    apiReservedConcurrency,
    workerMaximumConcurrency,
    workerReservedConcurrency,
    requiredConcurrency: apiReservedConcurrency + workerReservedConcurrency,
    reservableConcurrency: q.lambdaConcurrentExecutions - q.lambdaUnreservedMinimum,
    apiThrottleRateLimit,
    apiThrottleBurstLimit,
    queueVisibilityTimeoutSeconds: 6 * s.workerTimeoutSeconds + s.maximumBatchingWindowSeconds,
  };
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

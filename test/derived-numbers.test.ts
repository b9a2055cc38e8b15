// The derived numbers, computed by hand for several declared traffic profiles. Concurrency = rate ×
// average duration in seconds × headroom, rounded up, and for the API function never below the
// Erlang B floor; everything else follows from it.
import {
  MIN_RESERVED_CONCURRENCY,
  SQS_MAX_CONCURRENCY_MAX,
  burstFloor,
  ceilClean,
  concurrencyFor,
  deriveNumbers,
  suggestedLambdaQuota,
  type AccountQuotas,
  type SizingSettings,
  type TrafficProfile,
} from "../config/capacity";
import { loadLandingZone } from "../config/load";
import { allTeamEnvironments } from "../config/model";
import { REPO, EXAMPLE_ACCOUNTS } from "./helpers";

const QUOTAS: AccountQuotas = {
  lambdaConcurrentExecutions: 1000,
  lambdaUnreservedMinimum: 100,
  apiGatewayRequestsPerSecond: 10_000,
  apiGatewayBurst: 5000,
};
const SIZING: SizingSettings = {
  headroom: 1.2,
  throttleHeadroom: 1.5,
  burstMultiplier: 2,
  workerTimeoutSeconds: 120,
  maximumBatchingWindowSeconds: 5,
};
const sync = (requestsPerSecond: number, averageDurationMs: number) => ({
  requestsPerSecond,
  averageDurationMs,
  p99DurationMs: averageDurationMs * 5,
});

describe("concurrency = rate × duration × headroom", () => {
  test("200 rps × 120 ms × 1.2 = 28.8, reserved 29", () => {
    expect(concurrencyFor(200, 120, 1.2)).toBe(29);
  });
  test("100 rps × 100 ms × 1.0 = 10", () => {
    expect(concurrencyFor(100, 100, 1.0)).toBe(10);
  });
  test("300 rps × 300 ms × 1.1 = 99, not 100 from floating-point dust", () => {
    expect(300 * (300 / 1000) * 1.1).toBe(99.00000000000001); // IEEE 754
    expect(concurrencyFor(300, 300, 1.1)).toBe(99);
    expect(ceilClean(10.000000000000002)).toBe(10);
    expect(ceilClean(10.01)).toBe(11);
  });
  test("10,000 rps × 100 ms = 1,000 concurrent executions (the seed notes' example)", () => {
    expect(concurrencyFor(10_000, 100, 1.0)).toBe(1000);
  });
  test("tiny traffic still reserves one execution", () => {
    // 0.5 rps × 0.02 s × 1.2 = 0.012
    expect(concurrencyFor(0.5, 20, 1.2)).toBe(1);
  });
});

describe("the API function's floor: Erlang B at 0.1 % of requests throttled", () => {
  // B(A, 0) = 1, B(A, c) = A·B(A, c−1) / (c + A·B(A, c−1)), offered load A = rate × average duration.
  test("5 rps × 120 ms (A = 0.6): 1 execution throttles 37.5 %, 4 still 0.30 %, 5 only 0.036 %", () => {
    expect(burstFloor(5, 120)).toBe(5);
    expect(concurrencyFor(5, 120, 1.2)).toBe(1); // what the average alone reserved before
  });
  test("200 rps × 120 ms (A = 24): 29 executions would throttle 5.2 % of requests; 40 keep it under 0.1 %", () => {
    expect(burstFloor(200, 120)).toBe(40);
  });
  test("never a single execution, however small the traffic", () => {
    expect(burstFloor(0.5, 20)).toBe(MIN_RESERVED_CONCURRENCY);
    expect(MIN_RESERVED_CONCURRENCY).toBe(2);
  });
  test("at large loads the headroom covers it", () => {
    expect(burstFloor(10_000, 100)).toBe(1072);
    expect(concurrencyFor(10_000, 100, 1.2)).toBe(1200);
  });
});

describe("deriveNumbers", () => {
  test("payments prod: 200 rps × 120 ms, 5 msg/s × 20 s, headroom 1.2, worker timeout 120 s", () => {
    const traffic: TrafficProfile = {
      sync: sync(200, 120),
      async: { messagesPerSecond: 5, averageDurationMs: 20_000 },
    };
    expect(deriveNumbers(traffic, SIZING, QUOTAS)).toEqual({
      apiReservedConcurrency: 40, // the Erlang B floor, above 28.8 × headroom
      workerMaximumConcurrency: 120, // 5 × 20 × 1.2
      workerReservedConcurrency: 120,
      requiredConcurrency: 160,
      reservableConcurrency: 900, // 1000 - 100 unreserved
      apiThrottleRateLimit: 300, // 200 × 1.5
      apiThrottleBurstLimit: 600, // 300 × 2
      jobsThrottle: { rateLimit: 8, burstLimit: 16 }, // POST /jobs: 5 × 1.5 = 7.5, × 2
      usagePlanThrottle: { rateLimit: 308, burstLimit: 616 }, // (200 + 5) × 1.5, × 2
      queueVisibilityTimeoutSeconds: 725, // 6 × 120 + 5
    });
  });

  test("tiny traffic: 2 reserved, SQS maximum concurrency at its floor of 2", () => {
    const d = deriveNumbers(
      { sync: sync(0.5, 20), async: { messagesPerSecond: 0.1, averageDurationMs: 100 } },
      { ...SIZING, workerTimeoutSeconds: 30, maximumBatchingWindowSeconds: 0 },
      QUOTAS,
    );
    expect(d.apiReservedConcurrency).toBe(2);
    expect(d.workerMaximumConcurrency).toBe(2); // 0.012 -> 1 -> SQS minimum 2
    expect(d.workerReservedConcurrency).toBe(2); // never below the poller's maximum
    expect(d.apiThrottleRateLimit).toBe(1); // 0.75 rounded up
    expect(d.apiThrottleBurstLimit).toBe(2);
    expect(d.queueVisibilityTimeoutSeconds).toBe(180); // 6 × 30 + 0
  });

  test("no async traffic declared: the worker keeps the minimum of 2", () => {
    const d = deriveNumbers({ sync: sync(20, 60) }, SIZING, QUOTAS);
    expect(d.apiReservedConcurrency).toBe(7); // 20 × 0.06 × 1.2 = 1.44; Erlang B floor at A = 1.2
    expect(d.workerMaximumConcurrency).toBe(2);
    expect(d.requiredConcurrency).toBe(9);
    expect(d.jobsThrottle).toBeUndefined(); // POST /jobs keeps the stage-wide limit
    expect(d.usagePlanThrottle).toEqual({ rateLimit: 30, burstLimit: 60 });
  });

  test("async traffic above the SQS limit: maximum concurrency capped at 1000, reservation kept", () => {
    // 400 msg/s × 3 s × 1.0 = 1200
    const d = deriveNumbers(
      { sync: sync(10, 100), async: { messagesPerSecond: 400, averageDurationMs: 3000 } },
      { ...SIZING, headroom: 1.0 },
      QUOTAS,
    );
    expect(d.workerMaximumConcurrency).toBe(SQS_MAX_CONCURRENCY_MAX);
    expect(d.workerReservedConcurrency).toBe(1200);
    expect(d.requiredConcurrency).toBe(1206); // + the API's floor of 6 at A = 1
    expect(d.requiredConcurrency).toBeGreaterThan(d.reservableConcurrency);
  });

  test("throttles never exceed the account's API Gateway quota", () => {
    // 8000 × 1.5 = 12000 > 10000; burst 20000 > 5000
    const d = deriveNumbers({ sync: sync(8000, 50) }, SIZING, QUOTAS);
    expect(d.apiThrottleRateLimit).toBe(10_000);
    expect(d.apiThrottleBurstLimit).toBe(5000);
    const raised = deriveNumbers({ sync: sync(8000, 50) }, SIZING, {
      ...QUOTAS,
      apiGatewayRequestsPerSecond: 20_000,
      apiGatewayBurst: 10_000,
    });
    expect(raised.apiThrottleRateLimit).toBe(12_000);
    expect(raised.apiThrottleBurstLimit).toBe(10_000);
  });

  test("catalog prod: 4000 rps × 60 ms, 50 msg/s × 800 ms, quota 2000", () => {
    const d = deriveNumbers(
      { sync: sync(4000, 60), async: { messagesPerSecond: 50, averageDurationMs: 800 } },
      { ...SIZING, workerTimeoutSeconds: 60 },
      { ...QUOTAS, lambdaConcurrentExecutions: 2000 },
    );
    expect(d.apiReservedConcurrency).toBe(288); // 4000 × 0.06 × 1.2
    expect(d.workerMaximumConcurrency).toBe(48); // 50 × 0.8 × 1.2
    expect(d.reservableConcurrency).toBe(1900);
    expect(d.apiThrottleRateLimit).toBe(6000);
    expect(d.apiThrottleBurstLimit).toBe(5000); // 12000 capped by the burst quota
    expect(d.queueVisibilityTimeoutSeconds).toBe(365);
  });
});

describe("suggestedLambdaQuota", () => {
  test("keeps the unreserved minimum free and peak use under 80 %, rounded up to a hundred", () => {
    // 1201 + 100 = 1301; 1201 / 0.8 = 1501.25 -> 1502 -> 1600
    expect(suggestedLambdaQuota(1201, 100)).toBe(1600);
    // 149 + 100 = 249; 149 / 0.8 = 186.25 -> 249 -> 300
    expect(suggestedLambdaQuota(149, 100)).toBe(300);
  });
});

describe("the example organization's environments carry these numbers", () => {
  const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
  const env = (stackId: string) =>
    allTeamEnvironments(lz).find((e) => e.account.stackId === stackId)!;

  test("payments prod", () => {
    expect(env("team-payments-prod").derived).toMatchObject({
      apiReservedConcurrency: 40,
      workerMaximumConcurrency: 120,
      queueVisibilityTimeoutSeconds: 725,
      apiThrottleRateLimit: 300,
      apiThrottleBurstLimit: 600,
    });
  });
  test("notifications prod: 400 msg/s × 300 ms × 1.2 = 144, worker timeout 30 s + 10 s window", () => {
    expect(env("team-notifications-prod").derived).toMatchObject({
      apiReservedConcurrency: 8, // 50 × 0.04 × 1.2 = 2.4; Erlang B floor at A = 2
      workerMaximumConcurrency: 144,
      workerReservedConcurrency: 144,
      queueVisibilityTimeoutSeconds: 190,
      apiThrottleRateLimit: 75,
      apiThrottleBurstLimit: 150,
    });
  });
});

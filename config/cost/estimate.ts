// Capacity and monthly cost of one team environment at its declared traffic. Pure arithmetic over the
// resolved configuration and a price table, so the figures can be checked by hand.
//
// Assumptions (printed with the report):
// - traffic is steady all month (730 hours); no free tier; first price tier only;
// - async messages enter through the API (API Gateway integrates directly with SQS);
// - the worker receives batches of min(batchSize, messages arriving in one batching window), at least 1;
//   SQS requests per message: 1 send + (1 receive + 1 delete) per batch;
// - each sync request is one DynamoDB operation on an item of at most 1 KB: `writePercent` % are
//   writes (1 WRU), the rest strongly consistent reads (1 RRU); each async message writes once;
// - cache hits are not subtracted (an upper bound for Lambda and DynamoDB);
// - provisioned concurrency is billed all month; invocations still at the on-demand duration price.
import type { SizedEnvironment } from "../model";
import { ceilClean } from "../capacity";

export interface PriceTable {
  region: string;
  currency: string;
  pricesAsOf: string;
  hoursPerMonth: number;
  lambda: {
    requestsPerMillion: number;
    gbSecond: Record<string, number>;
    provisionedConcurrencyGbSecond: Record<string, number>;
  };
  apiGateway: { restRequestsPerMillion: number; cacheHourly: Record<string, number> };
  sqs: { standardRequestsPerMillion: number };
  dynamodb: { writeRequestUnitsPerMillion: number; readRequestUnitsPerMillion: number };
  cloudwatch: { standardAlarmMetricMonthly: number; highResolutionAlarmMetricMonthly: number };
}

export interface AlarmMetrics {
  standard: number;
  highResolution: number;
}

export interface CostLine {
  lambdaRequests: number;
  lambdaDuration: number;
  lambdaProvisioned: number;
  apiRequests: number;
  apiCache: number;
  sqsRequests: number;
  dynamodbWrites: number;
  dynamodbReads: number;
  alarms: number;
  total: number;
}

export interface CapacityRow {
  stack: string;
  team: string;
  env: string;
  region: string;
  requestsPerSecond: number;
  messagesPerSecond: number;
  /** Little's law without headroom: rate × average duration, per function. */
  neededConcurrency: number;
  /** What the blueprint reserves (with headroom): API function + worker. */
  reservedConcurrency: number;
  apiReservedConcurrency: number;
  workerReservedConcurrency: number;
  lambdaQuota: number;
  /** Quota minus what must stay unreserved. */
  reservableConcurrency: number;
  /** Reservable concurrency left after this blueprint's reservations. */
  headroom: number;
  headroomPercent: number;
  apiGatewayQuota: number;
  apiThrottleRateLimit: number;
  architecture: string;
  apiMemoryMb: number;
  workerMemoryMb: number;
  cacheSizeGb: string | null;
  monthly: {
    apiRequests: number;
    lambdaInvocations: number;
    lambdaGbSeconds: number;
    sqsRequests: number;
    dynamodbWriteUnits: number;
    dynamodbReadUnits: number;
    alarmMetrics: number;
  };
  /** Undefined when there is no price table for the region. */
  cost?: CostLine;
  currency?: string;
}

export interface EstimateOptions {
  architecture: string;
  writePercent: number;
  alarms: AlarmMetrics;
}

export const cents = (x: number) => Math.round(x * 100) / 100;

/** What CloudWatch charges a month for the alarms' metrics. */
export const alarmsCost = (alarms: AlarmMetrics, prices: PriceTable) =>
  cents(
    alarms.standard * prices.cloudwatch.standardAlarmMetricMonthly +
      alarms.highResolution * prices.cloudwatch.highResolutionAlarmMetricMonthly,
  );
const perMillion = (count: number, price: number) => (count / 1e6) * price;

export function estimate(
  e: SizedEnvironment,
  o: EstimateOptions,
  prices?: PriceTable,
): CapacityRow {
  const d = e.derived;
  const bp = e.blueprint;
  const rps = e.traffic.sync.requestsPerSecond;
  const mps = e.traffic.async?.messagesPerSecond ?? 0;
  const workerMs = e.traffic.async?.averageDurationMs ?? 0;
  const seconds = (prices?.hoursPerMonth ?? 730) * 3600;

  const batch = Math.max(
    1,
    Math.min(bp.queue.batchSize, mps * bp.queue.maximumBatchingWindowSeconds),
  );
  const apiRequests = (rps + mps) * seconds;
  const workerInvocations = mps > 0 ? (mps / batch) * seconds : 0;
  const lambdaInvocations = rps * seconds + workerInvocations;
  const apiGbSeconds =
    rps * (e.traffic.sync.averageDurationMs / 1000) * (bp.functions.api.memoryMb / 1024) * seconds;
  const workerGbSeconds = mps * (workerMs / 1000) * (bp.functions.worker.memoryMb / 1024) * seconds;
  const provisionedGbSeconds =
    ((bp.functions.api.provisionedConcurrency * bp.functions.api.memoryMb +
      bp.functions.worker.provisionedConcurrency * bp.functions.worker.memoryMb) /
      1024) *
    seconds;
  const sqsRequests = mps > 0 ? mps * (1 + 2 / batch) * seconds : 0;
  const writes = (rps * o.writePercent) / 100 + mps;
  const reads = rps * (1 - o.writePercent / 100);
  const alarmMetrics = o.alarms.standard + o.alarms.highResolution;
  const cacheSizeGb = bp.api.cache.enabled ? bp.api.cache.sizeGb : null;

  const needed =
    ceilClean(rps * (e.traffic.sync.averageDurationMs / 1000)) + ceilClean(mps * (workerMs / 1000));
  const row: CapacityRow = {
    stack: e.account.stackId,
    team: e.team.name,
    env: e.env,
    region: e.region,
    requestsPerSecond: rps,
    messagesPerSecond: mps,
    neededConcurrency: needed,
    reservedConcurrency: d.requiredConcurrency,
    apiReservedConcurrency: d.apiReservedConcurrency,
    workerReservedConcurrency: d.workerReservedConcurrency,
    lambdaQuota: e.quotas.lambdaConcurrentExecutions,
    reservableConcurrency: d.reservableConcurrency,
    headroom: d.reservableConcurrency - d.requiredConcurrency,
    headroomPercent: Math.round(
      ((d.reservableConcurrency - d.requiredConcurrency) / d.reservableConcurrency) * 100,
    ),
    apiGatewayQuota: e.quotas.apiGatewayRequestsPerSecond,
    apiThrottleRateLimit: d.apiThrottleRateLimit,
    architecture: o.architecture,
    apiMemoryMb: bp.functions.api.memoryMb,
    workerMemoryMb: bp.functions.worker.memoryMb,
    cacheSizeGb,
    monthly: {
      apiRequests: Math.round(apiRequests),
      lambdaInvocations: Math.round(lambdaInvocations),
      lambdaGbSeconds: Math.round(apiGbSeconds + workerGbSeconds),
      sqsRequests: Math.round(sqsRequests),
      dynamodbWriteUnits: Math.round(writes * seconds),
      dynamodbReadUnits: Math.round(reads * seconds),
      alarmMetrics,
    },
  };
  if (!prices) return row;

  const gbSecond = prices.lambda.gbSecond[o.architecture];
  const provisioned = prices.lambda.provisionedConcurrencyGbSecond[o.architecture];
  const cost = {
    lambdaRequests: cents(perMillion(lambdaInvocations, prices.lambda.requestsPerMillion)),
    lambdaDuration: cents((apiGbSeconds + workerGbSeconds) * gbSecond),
    lambdaProvisioned: cents(provisionedGbSeconds * provisioned),
    apiRequests: cents(perMillion(apiRequests, prices.apiGateway.restRequestsPerMillion)),
    apiCache: cacheSizeGb
      ? cents(prices.apiGateway.cacheHourly[cacheSizeGb] * prices.hoursPerMonth)
      : 0,
    sqsRequests: cents(perMillion(sqsRequests, prices.sqs.standardRequestsPerMillion)),
    dynamodbWrites: cents(
      perMillion(writes * seconds, prices.dynamodb.writeRequestUnitsPerMillion),
    ),
    dynamodbReads: cents(perMillion(reads * seconds, prices.dynamodb.readRequestUnitsPerMillion)),
    alarms: alarmsCost(o.alarms, prices),
    total: 0,
  };
  cost.total = cents(
    Object.entries(cost)
      .filter(([k]) => k !== "total")
      .reduce((sum, [, v]) => sum + v, 0),
  );
  return { ...row, cost, currency: prices.currency };
}

// Defaults of the blueprint and alarm settings, and how team and environment overrides merge onto
// them. Kept apart from the schema so the schema says only what a user may write.
import type { AlarmSettings, BlueprintSettings } from "./schema";
import type { ResolvedAlarms, ResolvedBlueprint, ResolvedFunction, FunctionCode } from "./model";
import type { TrafficProfile } from "./capacity";
import { ceilClean } from "./capacity";

export const BLUEPRINT_DEFAULTS = {
  headroom: 1.2,
  api: {
    authorization: "iam",
    throttleHeadroom: 1.5,
    burstMultiplier: 2,
    cache: { enabled: false, sizeGb: "0.5", ttlSeconds: 300 },
  },
  functions: {
    api: { memoryMb: 512, timeoutSeconds: 10, provisionedConcurrency: 0 },
    worker: { memoryMb: 512, timeoutSeconds: 60, provisionedConcurrency: 0 },
  },
  queue: {
    maxReceiveCount: 5,
    retentionSeconds: 345_600,
    batchSize: 10,
    maximumBatchingWindowSeconds: 5,
  },
  table: { ttlAttribute: "expiresAt" },
} as const;

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** Later layers win; objects merge key by key, everything else is replaced. */
export function mergeLayers<T>(...layers: (Plain | undefined)[]): T {
  const out: Plain = {};
  for (const layer of layers) {
    if (!layer) continue;
    for (const [k, v] of Object.entries(layer)) {
      if (v === undefined) continue;
      out[k] = isPlain(v) && isPlain(out[k]) ? mergeLayers(out[k] as Plain, v) : v;
    }
  }
  return out as T;
}

export function resolveBlueprint(
  team: BlueprintSettings | undefined,
  env: BlueprintSettings | undefined,
): ResolvedBlueprint {
  const merged = mergeLayers<Plain & { functions: { api: Plain; worker: Plain } }>(
    BLUEPRINT_DEFAULTS as unknown as Plain,
    team as Plain | undefined,
    env as Plain | undefined,
  );
  const fn = (f: Plain): ResolvedFunction => ({
    ...(f as unknown as ResolvedFunction),
    code: toCode(f.code as Plain | undefined),
  });
  return {
    ...(merged as unknown as ResolvedBlueprint),
    functions: { api: fn(merged.functions.api), worker: fn(merged.functions.worker) },
  };
}

function toCode(code: Plain | undefined): FunctionCode {
  if (!code || code.reference === true) return { kind: "reference" };
  const handler = (code.handler as string | undefined) ?? "index.handler";
  if (isPlain(code.s3)) {
    const s3 = code.s3 as { bucket: string; key: string; objectVersion?: string };
    return { kind: "s3", bucket: s3.bucket, key: s3.key, objectVersion: s3.objectVersion, handler };
  }
  return { kind: "path", path: code.path as string, handler };
}

/** Alarm thresholds that follow from the declared traffic unless someone set them. */
export function resolveAlarms(
  traffic: TrafficProfile,
  blueprint: ResolvedBlueprint,
  ...layers: (AlarmSettings | undefined)[]
): ResolvedAlarms {
  const derived: ResolvedAlarms = {
    api5xxRate: 0.05,
    api4xxRate: 0.05,
    // AWS suggests 2,500 ms or the team's target; a team that declares a slower p99 alarms above it.
    apiLatencyP90Ms: Math.min(29_000, Math.max(2500, traffic.sync.p99DurationMs)),
    // 1 % of a minute's declared requests.
    lambdaErrors: Math.max(1, ceilClean(traffic.sync.requestsPerSecond * 60 * 0.01)),
    lambdaThrottles: 0,
    durationP90PercentOfTimeout: 80,
    concurrencyPercentOfReserved: 90,
    queueAgeSeconds: Math.max(60, ceilClean(1.5 * blueprint.functions.worker.timeoutSeconds)),
    dynamodbThrottles: 0,
    dynamodbSystemErrors: 0,
    quotaWarningPercent: 80,
    quotaCriticalPercent: 100,
  };
  return mergeLayers<ResolvedAlarms>(derived as unknown as Plain, ...(layers as Plain[]));
}

// How the levels of a setting merge: defaults (declared in the schema) <- organization <- team <-
// environment. The lowest level a user writes is parsed with the schema's defaults; every level
// above it is parsed with `overridesOf` that schema, so here each later level wins field by field.
import type { Overrides } from "./schema";
import type {
  BlueprintSettings,
  FunctionCode,
  FunctionSettings,
  ResolvedAlarms,
  ResolvedBlueprint,
  ResolvedFunction,
  AlarmSettings,
} from "./model";
import type { TrafficProfile } from "./capacity";
import { ceilClean } from "./capacity";

type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function mergePlain(base: Plain, layer: Plain): Plain {
  const out: Plain = { ...base };
  for (const [k, v] of Object.entries(layer)) {
    if (v === undefined) continue;
    const below = out[k];
    out[k] = isPlain(v) && isPlain(below) ? mergePlain(below, v) : v;
  }
  return out;
}

/** Later layers win; objects merge key by key, everything else (lists included) is replaced. */
export function mergeLayers<T extends Plain>(
  base: T,
  ...layers: (NoInfer<Overrides<T>> | undefined)[]
): T {
  // Each layer is a partial T, so merging keeps every field of `base` and its type.
  return layers.reduce<Plain>((acc, layer) => (layer ? mergePlain(acc, layer) : acc), base) as T;
}

/** The team's blueprint (its defaults applied by the schema) under the environment's overrides. */
export function resolveBlueprint(
  team: BlueprintSettings,
  env: Overrides<BlueprintSettings> | undefined,
): ResolvedBlueprint {
  const merged = mergeLayers(team, env);
  return {
    ...merged,
    functions: {
      api: resolveFunction(merged.functions.api),
      worker: resolveFunction(merged.functions.worker),
    },
  };
}

function resolveFunction({ code, ...settings }: FunctionSettings): ResolvedFunction {
  return { ...settings, code: toCode(code) };
}

export function toCode(code: FunctionSettings["code"]): FunctionCode {
  if (!code || "reference" in code) return { kind: "reference" };
  if ("s3" in code) return { kind: "s3", ...code.s3, handler: code.handler };
  return { kind: "path", path: code.path, handler: code.handler };
}

/**
 * The organization's thresholds (static defaults applied by the schema) under the team's and the
 * environment's; the thresholds no level sets that follow from traffic are derived here.
 */
export function resolveAlarms(
  traffic: TrafficProfile | undefined,
  blueprint: ResolvedBlueprint,
  org: AlarmSettings,
  ...layers: (Overrides<AlarmSettings> | undefined)[]
): ResolvedAlarms {
  const base: ResolvedAlarms = {
    ...org,
    // AWS suggests 2,500 ms or the team's target; a team that declares a slower p99 alarms above it.
    apiLatencyP90Ms:
      org.apiLatencyP90Ms ?? Math.min(29_000, Math.max(2500, traffic?.sync.p99DurationMs ?? 0)),
    // 1 % of a minute's declared requests.
    lambdaErrors:
      org.lambdaErrors ??
      Math.max(1, ceilClean((traffic?.sync.requestsPerSecond ?? 0) * 60 * 0.01)),
    queueAgeSeconds:
      org.queueAgeSeconds ??
      Math.max(60, ceilClean(1.5 * blueprint.functions.worker.timeoutSeconds)),
  };
  return mergeLayers(base, ...layers);
}

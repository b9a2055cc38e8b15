// AWS service limits on the resolved blueprint settings of each team environment, and the team's
// own code: each function's timeout fits its caller and its declared traffic, the queue's visibility
// timeout stays within SQS's limit, provisioned concurrency within the reservation.
import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import { SQS_VISIBILITY_TIMEOUT_MAX } from "../capacity";
import { isSized, type TeamEnvironment } from "../model";
import { arnRegion } from "../schema/aws-names";
import { environmentLayersOf, formerLayoutBlueprint, layoutPaths } from "../layout";
import { type Context, type EnvironmentCheck } from "./context";
import { arnPartitionProblem } from "./partition";

/** API Gateway REST integrations time out after 29 s. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

/**
 * Where a blueprint setting was written: the environment's override when it sets that very field,
 * else the team's `blueprint` (also where a default is changed).
 */
function blueprintField(e: TeamEnvironment, path: string): string {
  const raw = e.team.raw.environments[e.env];
  let at: unknown = raw && environmentLayersOf(raw, formerLayoutBlueprint()).settings;
  for (const key of path.split(".")) {
    at = typeof at === "object" && at !== null ? (at as Record<string, unknown>)[key] : undefined;
  }
  const level = at === undefined ? undefined : e.env;
  return `${layoutPaths(e.team.raw, level).settings}.${path}`;
}

export const checkApiTimeoutWithinApiGateway: EnvironmentCheck = (e, { report }) => {
  if (!isSized(e)) return;
  const { timeoutSeconds } = e.blueprint.functions.api;
  if (timeoutSeconds <= API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) return;
  report(
    e.team.file,
    blueprintField(e, "functions.api.timeoutSeconds"),
    `the API function answers API Gateway, which waits at most ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} s; move long work to the async path`,
    timeoutSeconds,
  );
};

export const checkApiTimeoutCoversP99: EnvironmentCheck = (e, { report }) => {
  if (!isSized(e)) return;
  const { timeoutSeconds } = e.blueprint.functions.api;
  if (timeoutSeconds * 1000 >= e.traffic.sync.p99DurationMs) return;
  report(
    e.team.file,
    blueprintField(e, "functions.api.timeoutSeconds"),
    `is below the declared p99 duration of ${e.traffic.sync.p99DurationMs} ms`,
    timeoutSeconds,
  );
};

export const checkWorkerTimeoutCoversAsync: EnvironmentCheck = (e, { report }) => {
  if (!isSized(e)) return;
  const { timeoutSeconds } = e.blueprint.functions.worker;
  if (!e.traffic.async || timeoutSeconds * 1000 >= e.traffic.async.averageDurationMs) return;
  report(
    e.team.file,
    blueprintField(e, "functions.worker.timeoutSeconds"),
    `is below the declared async average duration of ${e.traffic.async.averageDurationMs} ms`,
    timeoutSeconds,
  );
};

export const checkQueueVisibilityTimeout: EnvironmentCheck = (e, { report }) => {
  if (!isSized(e)) return;
  const visibility = e.derived.queueVisibilityTimeoutSeconds;
  if (visibility <= SQS_VISIBILITY_TIMEOUT_MAX) return;
  report(
    e.team.file,
    blueprintField(e, "functions.worker.timeoutSeconds"),
    `gives a queue visibility timeout of ${visibility} s (6 × timeout + batching window); SQS allows ${SQS_VISIBILITY_TIMEOUT_MAX}`,
    e.blueprint.functions.worker.timeoutSeconds,
  );
};

export const checkBatchingWindow: EnvironmentCheck = (e, { report }) => {
  if (!isSized(e)) return;
  const q = e.blueprint.queue;
  if (q.batchSize <= 10 || q.maximumBatchingWindowSeconds >= 1) return;
  report(
    e.team.file,
    blueprintField(e, "queue.maximumBatchingWindowSeconds"),
    "must be at least 1 when batchSize is above 10 (an SQS event source rule)",
    q.maximumBatchingWindowSeconds,
  );
};

const provisionedWithinReserved =
  (fn: "api" | "worker", reserved: "apiReservedConcurrency" | "workerReservedConcurrency") =>
  (e: TeamEnvironment, { report }: Context): void => {
    if (!isSized(e)) return;
    const { provisionedConcurrency } = e.blueprint.functions[fn];
    if (provisionedConcurrency <= e.derived[reserved]) return;
    report(
      e.team.file,
      blueprintField(e, `functions.${fn}.provisionedConcurrency`),
      `exceeds the function's reserved concurrency of ${e.derived[reserved]}`,
      provisionedConcurrency,
    );
  };

export const checkApiProvisionedConcurrency = provisionedWithinReserved(
  "api",
  "apiReservedConcurrency",
);
export const checkWorkerProvisionedConcurrency = provisionedWithinReserved(
  "worker",
  "workerReservedConcurrency",
);

/** A customer-managed table key is one DynamoDB can use: same partition, same region as the table. */
export const checkTableKey: EnvironmentCheck = (e, { lz, report }) => {
  if (!isSized(e)) return;
  const key = e.blueprint.table.kmsKeyArn;
  if (key === undefined) return;
  const at = blueprintField(e, "table.kmsKeyArn");
  const partition = arnPartitionProblem(key, lz);
  if (partition) {
    report(e.team.file, at, partition, key);
  } else if (arnRegion(key) !== e.region) {
    report(
      e.team.file,
      at,
      `is in ${arnRegion(key)}; the table of environment ${e.env} is in ${e.region}, and DynamoDB encrypts a table only with a key of its own region`,
      key,
    );
  }
};

/** Own code (`code.path`) is a zip inside the repository, present now, not only at synth. */
export function checkCodePaths({ lz, report }: Context): void {
  const root = repositoryRoot();
  const reported = new Set<string>();
  for (const team of lz.teams) {
    for (const e of team.environments) {
      if (!isSized(e)) continue;
      for (const fn of ["api", "worker"] as const) {
        const code = e.blueprint.functions[fn].code;
        if (code.kind !== "path") continue;
        const field = blueprintField(e, `functions.${fn}.code`);
        if (reported.has(`${team.file} ${field}`)) continue;
        reported.add(`${team.file} ${field}`);
        const problem = codePathProblem(root, code.path);
        if (problem) report(team.file, field, `path ${JSON.stringify(code.path)} ${problem}`);
      }
    }
  }
}

/** Why a zip path cannot be used, or undefined when it is a file inside the repository. */
function codePathProblem(root: string, path: string): string | undefined {
  const outside = "is outside the repository; a zip path is relative to the repository root";
  if (isAbsolute(path)) return outside;
  const abs = resolve(root, path);
  if (!abs.startsWith(root + sep)) return outside;
  if (!existsSync(abs)) {
    return "does not exist (relative to the repository root); build the zip before synth";
  }
  const real = realpathSync(abs);
  if (!real.startsWith(realpathSync(root) + sep)) {
    return "is a symlink to a file outside the repository";
  }
  if (!statSync(real).isFile()) return "is not a regular file";
  return undefined;
}

/** The nearest folder above this file (or its build/ copy) with package.json, as synth finds it. */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

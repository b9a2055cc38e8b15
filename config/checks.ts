// Checks that need the resolved numbers of one team environment: AWS service limits on the blueprint
// settings, and capacity planning against the account's quotas.
import type { ConfigProblem } from "./errors";
import { allAccounts, type LandingZone, type TeamEnvironment } from "./model";
import { SQS_VISIBILITY_TIMEOUT_MAX, suggestedLambdaQuota } from "./capacity";

/** API Gateway REST integrations time out after 29 s. */
export const API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS = 29;

export function checkBlueprintLimits(
  e: TeamEnvironment,
  file: string,
  at: string,
  problems: ConfigProblem[],
): void {
  const push = (path: string, message: string, got?: unknown) =>
    problems.push({ file, path, message, ...(got !== undefined && { got }) });
  const { api, worker } = e.blueprint.functions;
  const fnPath = (fn: string) =>
    e.team.raw.environments[e.env]?.blueprint?.functions
      ? `${at}.blueprint.functions.${fn}`
      : `blueprint.functions.${fn}`;

  if (api.timeoutSeconds > API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS) {
    push(
      `${fnPath("api")}.timeoutSeconds`,
      `the API function answers API Gateway, which waits at most ${API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS} s; move long work to the async path`,
      api.timeoutSeconds,
    );
  }
  if (api.timeoutSeconds * 1000 < e.traffic.sync.p99DurationMs) {
    push(
      `${fnPath("api")}.timeoutSeconds`,
      `is below the declared p99 duration of ${e.traffic.sync.p99DurationMs} ms`,
      api.timeoutSeconds,
    );
  }
  if (e.traffic.async && worker.timeoutSeconds * 1000 < e.traffic.async.averageDurationMs) {
    push(
      `${fnPath("worker")}.timeoutSeconds`,
      `is below the declared async average duration of ${e.traffic.async.averageDurationMs} ms`,
      worker.timeoutSeconds,
    );
  }
  if (e.derived.queueVisibilityTimeoutSeconds > SQS_VISIBILITY_TIMEOUT_MAX) {
    push(
      `${fnPath("worker")}.timeoutSeconds`,
      `gives a queue visibility timeout of ${e.derived.queueVisibilityTimeoutSeconds} s (6 × timeout + batching window); SQS allows ${SQS_VISIBILITY_TIMEOUT_MAX}`,
      worker.timeoutSeconds,
    );
  }
  const q = e.blueprint.queue;
  if (q.batchSize > 10 && q.maximumBatchingWindowSeconds < 1) {
    push(
      `blueprint.queue.maximumBatchingWindowSeconds`,
      "must be at least 1 when batchSize is above 10 (an SQS event source rule)",
      q.maximumBatchingWindowSeconds,
    );
  }
  if (api.provisionedConcurrency > e.derived.apiReservedConcurrency) {
    push(
      `${fnPath("api")}.provisionedConcurrency`,
      `exceeds the function's reserved concurrency of ${e.derived.apiReservedConcurrency}`,
      api.provisionedConcurrency,
    );
  }
  if (worker.provisionedConcurrency > e.derived.workerReservedConcurrency) {
    push(
      `${fnPath("worker")}.provisionedConcurrency`,
      `exceeds the function's reserved concurrency of ${e.derived.workerReservedConcurrency}`,
      worker.provisionedConcurrency,
    );
  }
  if (e.alarms.quotaWarningPercent >= e.alarms.quotaCriticalPercent) {
    push(
      `${at}.alarms.quotaWarningPercent`,
      `must be below quotaCriticalPercent (${e.alarms.quotaCriticalPercent})`,
      e.alarms.quotaWarningPercent,
    );
  }
}

export function checkCapacity(
  e: TeamEnvironment,
  file: string,
  at: string,
  problems: ConfigProblem[],
): void {
  const { requiredConcurrency, reservableConcurrency } = e.derived;
  if (requiredConcurrency > reservableConcurrency) {
    const suggested = suggestedLambdaQuota(requiredConcurrency, e.quotas.lambdaUnreservedMinimum);
    problems.push({
      file,
      path: `${at}.traffic`,
      message: `needs ${requiredConcurrency} concurrent Lambda executions, account quota allows ${reservableConcurrency}; lower the declared traffic or add quotas.lambdaConcurrentExecutions: ${suggested} to request an increase`,
    });
  }
  const rps = e.traffic.sync.requestsPerSecond;
  if (rps > e.quotas.apiGatewayRequestsPerSecond) {
    problems.push({
      file,
      path: `${at}.traffic.sync.requestsPerSecond`,
      message: `exceeds the account's API Gateway quota of ${e.quotas.apiGatewayRequestsPerSecond} requests per second; lower the declared traffic or add quotas.apiGatewayRequestsPerSecond: ${Math.ceil(rps / 1000) * 1000} to request an increase`,
      got: rps,
    });
  }
}

/**
 * AWS Organizations holds at most `quotas.organizationAccounts` accounts, the management account and
 * suspended or closed ones included (a closed account counts until AWS removes it, about 90 days).
 * Going over fails the organization stack half-way through creating accounts.
 */
export function checkOrganizationAccounts(
  lz: LandingZone,
  orgFile: string,
  problems: ConfigProblem[],
): void {
  const count = 1 + allAccounts(lz).length;
  const quota = lz.org.quotas.organizationAccounts;
  if (count <= quota) return;
  problems.push({
    file: orgFile,
    path: "quotas.organizationAccounts",
    message: `the configuration has ${count} accounts (management, core and team accounts, suspended and closed included) but the organization may hold ${quota}; request an increase of the AWS Organizations quota "Default maximum number of accounts" to at least ${count}, then declare it here`,
    got: quota,
  });
}

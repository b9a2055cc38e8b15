// Capacity planning at synth: declared traffic that cannot fit the account's quotas stops `npm run
// synth` and `npm run validate` with a message saying what to change, and leaves cdktf.out as it
// was; a declared quota raises the planning limit and files the increase request.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { REPO, removeDir, synthAccounts, EXAMPLE_ACCOUNTS } from "./helpers";

const run = (script: string, cwd: string, env: Record<string, string> = {}) =>
  spawnSync(process.execPath, [join(REPO, "build", script)], {
    cwd,
    env: { ...process.env, ...env },
    encoding: "utf8",
  });

// payments prod at 10,000 rps × 120 ms × 1.2 headroom needs 1,440 for the API function, plus 120 for
// the worker (5 msg/s × 20 s × 1.2): 1,560 against 1,000 − 100 unreserved = 900. The suggestion keeps
// peak use under the 80 % warning: 1,560 / 0.8 = 1,950, rounded up to 2,000.
const OVER_CAPACITY =
  "accounts/teams/payments.yaml: environments.prod.serverless-api.traffic: needs 1560 concurrent Lambda executions, account quota allows 900; lower the declared traffic or add quotas.lambdaConcurrentExecutions: 2000 to request an increase";

let project: string;
let payments: string;
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "lz-capacity-"));
  cpSync(EXAMPLE_ACCOUNTS, join(project, "accounts"), { recursive: true });
  payments = join(project, "accounts", "teams", "payments.yaml");
});
afterEach(() => removeDir(project));

function setPaymentsProd(from: string, to: string): void {
  const text = readFileSync(payments, "utf8");
  if (!text.includes(from)) throw new Error(`payments.yaml has no ${from}`);
  writeFileSync(payments, text.replace(from, to));
}

const PROD_TRAFFIC = "sync: { requestsPerSecond: 200, averageDurationMs: 120, p99DurationMs: 900 }";
const raiseTraffic = (rps: number) =>
  setPaymentsProd(PROD_TRAFFIC, PROD_TRAFFIC.replace("200", String(rps)));
const declareQuotas = (lines: string) =>
  setPaymentsProd(
    '  prod:\n    accountId: "210987654321"\n',
    `  prod:\n    accountId: "210987654321"\n    quotas:\n${lines}`,
  );

function problems(): string[] {
  try {
    loadLandingZone({ accountsDir: "accounts", cwd: project });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  return [];
}

test("traffic past the Lambda quota fails with the exact message, and only that one", () => {
  raiseTraffic(10_000);
  expect(problems()).toEqual([OVER_CAPACITY]);
});

test("npm run synth and npm run validate fail on it and leave cdktf.out untouched", () => {
  const first = run("main.js", project, { LZ_STACKS: "team-payments-prod" });
  expect(first.status).toBe(0);
  const file = join(project, "cdktf.out", "stacks", "team-payments-prod", "cdk.tf.json");
  const before = readFileSync(file);

  raiseTraffic(10_000);
  const synth = run("main.js", project, { LZ_STACKS: "team-payments-prod" });
  expect(synth.status).toBe(1);
  expect(synth.stderr).toContain(`${OVER_CAPACITY}\n`);
  expect(synth.stdout).toBe("");
  expect(readFileSync(file)).toEqual(before);
  expect(readdirSync(join(project, "cdktf.out", "stacks"))).toEqual(["team-payments-prod"]);
  expect(readdirSync(project).sort()).toEqual(["accounts", "cdktf.out"]);

  const validate = run("cli/validate.js", project);
  expect(validate.status).toBe(1);
  expect(validate.stderr + validate.stdout).toContain(OVER_CAPACITY);
});

test("the suggested quota, declared, passes and files the increase request in that account", () => {
  raiseTraffic(10_000);
  declareQuotas("      lambdaConcurrentExecutions: 2000\n");
  expect(problems()).toEqual([]);

  const out = synthAccounts(join(project, "accounts"), "team-payments-prod");
  try {
    const id = "team-payments-prod";
    expect(Object.values(out.resources(id, "aws_servicequotas_service_quota"))).toEqual([
      expect.objectContaining({ service_code: "lambda", quota_code: "L-B99A9384", value: 2000 }),
    ]);
    // The planned concurrency is what the blueprint reserves.
    const reserved = Object.values(out.resources(id, "aws_lambda_function"))
      .map((f) => f.reserved_concurrent_executions)
      .sort((a, b) => a - b);
    expect(reserved).toEqual([120, 1440]);
    // The quota alarms keep watching the applied quota through SERVICE_QUOTA().
    const alarms = Object.values(out.resources(id, "aws_cloudwatch_metric_alarm")).map(
      (a) => a.alarm_name,
    );
    expect(alarms).toContain("lz-payments-prod-quota-lambda-concurrency-critical");
  } finally {
    removeDir(join(out.outdir, ".."));
  }
});

test("a declared quota still too small is refused with a suggestion that fits", () => {
  raiseTraffic(10_000);
  declareQuotas("      lambdaConcurrentExecutions: 1500\n");
  expect(problems()).toEqual([
    "accounts/teams/payments.yaml: environments.prod.serverless-api.traffic: needs 1560 concurrent Lambda executions, account quota allows 1400; lower the declared traffic or add quotas.lambdaConcurrentExecutions: 2000 to request an increase",
  ]);
});

test("an API rate past the API Gateway quota fails; declaring the quota passes and requests it", () => {
  // 12,000 rps × 10 ms keeps Lambda within its quota (144 + 120), so only the API rate is refused.
  setPaymentsProd(
    PROD_TRAFFIC,
    "sync: { requestsPerSecond: 12000, averageDurationMs: 10, p99DurationMs: 900 }",
  );
  expect(problems()).toEqual([
    "accounts/teams/payments.yaml: environments.prod.serverless-api.traffic.sync.requestsPerSecond: exceeds the account's API Gateway quota of 10000 requests per second; lower the declared traffic or add quotas.apiGatewayRequestsPerSecond: 12000 to request an increase (got 12000)",
  ]);

  declareQuotas("      apiGatewayRequestsPerSecond: 12000\n");
  expect(problems()).toEqual([]);
  const out = synthAccounts(join(project, "accounts"), "team-payments-prod");
  try {
    const id = "team-payments-prod";
    expect(Object.values(out.resources(id, "aws_servicequotas_service_quota"))).toEqual([
      expect.objectContaining({
        service_code: "apigateway",
        quota_code: "L-8A5B8E43",
        value: 12000,
      }),
    ]);
    const alarm = Object.values(out.resources(id, "aws_cloudwatch_metric_alarm")).find(
      (a) => a.alarm_name === "lz-payments-prod-quota-apigateway-rate-critical",
    )!;
    expect(alarm.threshold).toBe(12000 * 60);
  } finally {
    removeDir(join(out.outdir, ".."));
  }
});

test("the example organization fits its quotas; only catalog prod declares an increase", () => {
  const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
  const requesting = lz.teams
    .flatMap((t) => t.environments)
    .filter((e) => e.requestsLambdaQuota)
    .map((e) => e.account.stackId);
  expect(requesting).toEqual(["team-catalog-prod"]);
  for (const e of lz.teams.flatMap((t) => t.environments)) {
    expect(e.capacity.reservedConcurrency).toBeLessThanOrEqual(e.capacity.reservableConcurrency);
  }
});

// `npm run capacity`: figures checked against cases computed by hand from the price table.
import { cpSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main } from "../cli/capacity";
import { runCommand } from "./cli";
import { REPO, removeDir, synthAccounts, writeFiles, EXAMPLE_ACCOUNTS } from "./helpers";

let root: string;
beforeAll(() => {
  root = mkdtempSync(join(tmpdir(), "lz-capacity-test-"));
  cpSync(EXAMPLE_ACCOUNTS, join(root, "accounts"), { recursive: true });
  // Round numbers, so every figure below can be followed with a pencil.
  writeFiles(join(root, "accounts"), {
    "teams/calc.yaml": `name: calc
owners: [{ name: Pat, email: pat@acme.example }]
costCenter: CC-1
blueprint:
  functions:
    api: { memoryMb: 1024 }
    worker: { memoryMb: 2048 }
  queue: { batchSize: 10, maximumBatchingWindowSeconds: 5 }
environments:
  prod:
    traffic:
      sync: { requestsPerSecond: 100, averageDurationMs: 200, p99DurationMs: 1000 }
      async: { messagesPerSecond: 10, averageDurationMs: 1000 }
    blueprint:
      api:
        cache: { enabled: true, sizeGb: "0.5" }
`,
  });
});
afterAll(() => removeDir(root));

// The command's entry point, in this process (runCommand), as `npm run capacity` runs in root.
const capacity = (args: string[]) =>
  runCommand(main, args, { cwd: root, env: { LZ_ACCOUNTS_DIR: "accounts" } });

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Row = Record<string, any>;
let cached: Row[] | undefined;
/** The JSON report of the default run (computed once: each run synthesizes the team stacks). */
function rows(): Row[] {
  if (cached) return cached;
  const r = capacity(["--format", "json"]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  cached = (JSON.parse(r.stdout) as { environments: Row[] }).environments;
  return cached;
}

test("the price table states its region and the date of its prices", () => {
  const table = JSON.parse(readFileSync(join(REPO, "cli/prices/eu-west-1.json"), "utf8"));
  expect(table.region).toBe("eu-west-1");
  expect(table.pricesAsOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
});

test("capacity of a hand-computed environment", () => {
  const calc = rows().find((r) => r.stack === "team-calc-prod")!;
  expect(calc).toMatchObject({
    requestsPerSecond: 100,
    messagesPerSecond: 10,
    neededConcurrency: 30, // 100 × 0.2 s + 10 × 1 s
    apiReservedConcurrency: 35, // ceil(20 × 1.2) = 24, below the Erlang B floor of 35 at A = 20
    workerReservedConcurrency: 12, // ceil(10 × 1.2)
    reservedConcurrency: 47,
    lambdaQuota: 1000,
    reservableConcurrency: 900, // 1000 − 100 unreserved
    headroom: 853,
    headroomPercent: 95,
    apiThrottleRateLimit: 150, // 100 × 1.5
    architecture: "arm64",
    cacheSizeGb: "0.5",
  });
});

test("monthly cost of a hand-computed environment (730 h = 2,628,000 s)", () => {
  const calc = rows().find((r) => r.stack === "team-calc-prod")!;
  expect(calc.monthly).toMatchObject({
    apiRequests: 289_080_000, // (100 + 10) × 2,628,000
    lambdaInvocations: 265_428_000, // 100 × s + 10 msg/s ÷ batch of 10 × s
    lambdaGbSeconds: 105_120_000, // 100 × 0.2 × 1 GB × s + 10 × 1 × 2 GB × s
    sqsRequests: 31_536_000, // 10 × (1 + 2/10) × s
    dynamodbWriteUnits: 78_840_000, // (20 % of 100 + 10) × s
    dynamodbReadUnits: 210_240_000, // 80 × s
  });
  // Alarm metrics as the synthesized stack defines them.
  const out = synthAccounts(join(root, "accounts"), "team-calc-prod");
  const alarms = Object.values(out.resources("team-calc-prod", "aws_cloudwatch_metric_alarm"));
  const metrics = alarms.reduce(
    (n, a) => n + Math.max(1, (a.metric_query ?? []).filter((q: Row) => q.metric).length),
    0,
  );
  removeDir(join(out.outdir, ".."));
  expect(metrics).toBeGreaterThan(0);
  expect(calc.monthly.alarmMetrics).toBe(metrics);

  const alarmCost = Math.round(metrics * 0.1 * 100) / 100;
  expect(calc.cost).toEqual({
    apiRequests: 1011.78, // 289.08 M × $3.50
    apiCache: 14.6, // $0.020 × 730 h
    lambdaRequests: 53.09, // 265.428 M × $0.20
    lambdaDuration: 1401.61, // 105,120,000 GB-s × $0.0000133334 (arm64)
    lambdaProvisioned: 0,
    sqsRequests: 12.61, // 31.536 M × $0.40
    dynamodbWrites: 55.72, // 78.84 M × $0.7068
    dynamodbReads: 29.75, // 210.24 M × $0.1415
    alarms: alarmCost,
    total:
      Math.round((1011.78 + 14.6 + 53.09 + 1401.61 + 12.61 + 55.72 + 29.75 + alarmCost) * 100) /
      100,
  });
});

test("low traffic fills smaller batches, and provisioned concurrency is billed all month", () => {
  const dev = rows().find((r) => r.stack === "team-payments-dev")!;
  // 1 msg/s with a 5 s window: batches of 5, so 1 + 2/5 SQS requests a message.
  expect(dev.monthly.sqsRequests).toBe(3_679_200);
  expect(dev.cost.sqsRequests).toBe(1.47);
  const prod = rows().find((r) => r.stack === "team-payments-prod")!;
  // 10 provisioned × 1 GB × 2,628,000 s × $0.0000033334
  expect(prod.cost.lambdaProvisioned).toBe(87.6);
});

test("--write-percent moves DynamoDB units between reads and writes", () => {
  const r = capacity(["--format", "json", "--write-percent", "100"]);
  const calc = (JSON.parse(r.stdout).environments as Row[]).find(
    (x) => x.stack === "team-calc-prod",
  )!;
  expect(calc.monthly.dynamodbWriteUnits).toBe(110 * 2_628_000);
  expect(calc.monthly.dynamodbReadUnits).toBe(0);
});

test("markdown (--format markdown) prints the table with prices' region and date", () => {
  const r = capacity(["--format", "markdown"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain("Prices: eu-west-1, USD, as of ");
  expect(r.stdout).toMatch(
    /^\| team-calc-prod \| 100 \| 10 \| 30 \| 47 \(35 \+ 12\) \| 1000 \| 900 \| 853 \(95 %\) \| 150 \/ 10000 \| 1024\/2048 MB \(arm64\) \| \$\d+\.\d\d \|$/m,
  );
});

test("plain text (the default): aligned columns, no Markdown", () => {
  const r = capacity([]);
  expect(r.code).toBe(0);
  expect(r.stdout).not.toMatch(/\|/);
  expect(r.stdout).toContain("Prices: eu-west-1, USD, as of ");
  const lines = r.stdout.split("\n");
  const header = lines.findIndex((l) => l.startsWith("stack "));
  const table = lines.slice(header, lines.indexOf("", header));
  expect(table).toHaveLength(2 + 8);
  expect(table[1]).toMatch(/^-+( +-+)+$/);
  // Every line is as wide as the rule under the header; money is right-aligned in the last column.
  for (const l of table.slice(2)) {
    expect(l.length).toBe(table[1].length);
    expect(l).toMatch(/ \$\d+\.\d\d$/);
  }
  expect(table[1].split("  ").filter(Boolean)).toHaveLength(12);
  expect(table[2]).toMatch(/^team-\S+ +\d+ +\d+ +\d+ +\d+ +\d+\+\d+ /);
});

test("csv: a header and one row per active team environment", () => {
  const r = capacity(["--format", "csv"]);
  const lines = r.stdout.trim().split("\n");
  expect(lines[0]).toMatch(/^stack,team,environment,region,requests_per_second,/);
  // The example's 7 sized environments and calc's prod, then its 2 sized by their blueprints.
  expect(lines).toHaveLength(1 + 8 + 2);
  const header = lines[0].split(",");
  const calc = lines.find((l) => l.startsWith("team-calc-prod,"))!.split(",");
  expect(calc[header.indexOf("reserved_concurrency")]).toBe("47");
  expect(calc[header.indexOf("cost_lambda_duration")]).toBe("1401.61");
});

test("accounts whose blueprints declare no traffic: what they reserve, cost and budget, in every format", () => {
  const r = capacity(["--format", "json"]);
  const doc = JSON.parse(r.stdout) as { environments: Row[]; sizedByBlueprints: Row[] };
  expect(doc.environments.map((e) => e.stack)).not.toContain("team-reporting-dev");
  const [dev, staging] = doc.sizedByBlueprints;
  expect(doc.sizedByBlueprints).toHaveLength(2);
  // Scheduled jobs: two schedules, one dead-letter queue, reserved concurrency from their runs.
  expect(dev).toMatchObject({
    stack: "team-reporting-dev",
    blueprints: ["scheduled-jobs"],
    reservedConcurrency: 2,
    lambdaQuota: 1000,
    schedules: 2,
    queues: 1,
    currency: "USD",
  });
  expect(dev.monthlyEstimate).toBeGreaterThan(0);
  // The budget is the estimate with the default 20 % headroom, rounded up.
  expect(dev.budget).toBe(Math.ceil(dev.monthlyEstimate * 1.2));
  // Baseline only: nothing priced, the declared limit is the budget.
  expect(staging).toMatchObject({
    stack: "team-reporting-staging",
    blueprints: ["baseline"],
    reservedConcurrency: 0,
    budget: 40,
  });
  expect(staging.monthlyEstimate).toBeUndefined();

  const text = capacity([]).stdout.split("\n");
  const at = text.indexOf("Accounts sized by their blueprints (no declared traffic):");
  expect(at).toBeGreaterThan(0);
  expect(text[at + 4]).toMatch(
    /^team-reporting-dev +scheduled-jobs +2 +1000 +900 +2 +1 +\$\d+\.\d\d +\$\d+\.00$/,
  );
  expect(capacity(["--format", "markdown"]).stdout).toMatch(
    /^\| team-reporting-staging \| baseline \| 0 \| 1000 \| 900 \| 0 \| 0 \| n\/a \| \$40\.00 \|$/m,
  );
  const csv = capacity(["--format", "csv"]).stdout.trim().split("\n");
  const header = csv[0].split(",");
  const row = csv.find((l) => l.startsWith("team-reporting-dev,"))!.split(",");
  expect(row[header.indexOf("reserved_concurrency")]).toBe("2");
  expect(row[header.indexOf("requests_per_second")]).toBe("");
  expect(Number(row[header.indexOf("cost_total_monthly")])).toBe(dev.monthlyEstimate);
});

test("bad flags name the flag and exit 2", () => {
  const r = capacity(["--format", "xlsx"]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(/^--format: must be one of text, markdown, csv, json \(got "xlsx"\)$/m);
  const w = capacity(["--write-percent", "120"]);
  expect(w.code).toBe(2);
  expect(w.stderr).toMatch(/^--write-percent: must be a number from 0 to 100/m);
});

// `npm run loadtest`: the built command as a user runs it, against the local target on 127.0.0.1
// (the reference service's handlers, dynalite, the local queue). Short runs: the verdicts asserted
// here follow from an added delay far beyond the declared numbers, never from how fast this machine
// happens to be.
import type { SizedEnvironment } from "../../config/model";
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLandingZone } from "../../config/load";
import { vegetaBinary } from "../../cli/loadtest/vegeta";
import { LOCAL_CREDENTIALS } from "../../cli/loadtest/auth";
import { startLocalTarget } from "../../cli/loadtest/local-target";
import type { LoadTestReport } from "../../cli/loadtest/report";
import { buildCli, type CliRun } from "../cli";
import { copyExampleAccounts, REPO, removeDir } from "../helpers";

let cli: ReturnType<typeof buildCli>;
let root: string;
let accounts: string;

beforeAll(async () => {
  // Built from source the first time on a machine (about a minute and a half): not a test's time.
  await vegetaBinary(() => undefined);
  cli = buildCli("loadtest");
  root = mkdtempSync(join(tmpdir(), "lz-loadtest-test-"));
  accounts = copyExampleAccounts();
  // payments as declared, but without the 5 s batching window: the local queue drains at once,
  // so a run ends a moment after its load.
  const file = join(accounts, "teams", "payments.yaml");
  const text = readFileSync(file, "utf8");
  expect(text).toContain("maximumBatchingWindowSeconds: 5");
  writeFileSync(
    file,
    text.replace("maximumBatchingWindowSeconds: 5", "maximumBatchingWindowSeconds: 0"),
  );
}, 600_000);

afterAll(() => {
  cli?.cleanup();
  removeDir(root);
  removeDir(accounts);
});

function loadtest(args: string[], out: string, env: Record<string, string> = {}): CliRun {
  return cli.run("cli/loadtest.js", [...args, "--out", join(root, out)], {
    env: { LZ_ACCOUNTS_DIR: accounts, ...env },
  });
}
const report = (out: string, profile: string): LoadTestReport =>
  JSON.parse(
    readFileSync(join(root, out, `payments-dev-${profile}.json`), "utf8"),
  ) as LoadTestReport;
const failed = (r: LoadTestReport) =>
  r.verdict.checks.filter((c) => !c.ok).map((c) => `${c.route} ${c.check}`);

test("a smoke run at the declared numbers passes, and writes the JSON and the chart", () => {
  // Off a terminal each stage reports its seconds in heartbeat lines (cli/progress.ts).
  const r = loadtest(["payments", "dev", "--profile", "smoke", "--duration", "2"], "smoke", {
    LZ_HEARTBEAT_SECONDS: "0.2",
  });
  expect(r.stderr).not.toContain("could not run");
  expect(r.code).toBe(0);
  expect(r.stderr).toMatch(/^stage smoke: [0-2]\/2 \(\d+%\) \d+ s/m);
  expect(r.stdout).toMatch(/^smoke\s+POST \/items\s+2\s+4\s+2\s/m);
  expect(r.stdout).toMatch(/^smoke\s+GET \/items\/\{id\}\s+2\s+4\s+2\s/m);
  expect(r.stdout).toMatch(/^smoke\s+POST \/jobs\s+1\s+2\s+1\s/m);
  expect(r.stdout).toContain("Verdict: PASS");

  const json = report("smoke", "smoke");
  expect(json.verdict.pass).toBe(true);
  expect(json.derived.apiReservedConcurrency).toBe(5);
  expect(json.stages[0].routes.map((x) => [x.route, x.sent, x.status])).toEqual([
    ["POST /items", 4, { "201": 4 }],
    ["GET /items/{id}", 4, { "200": 4 }],
    ["POST /jobs", 2, { "202": 2 }],
  ]);
  // Every job the API accepted was processed by the worker handler, in one batch of the blueprint's size.
  expect(json.local?.worker).toMatchObject({ enqueued: 2, processed: 2, deadLettered: 0 });
  expect(json.local?.worker.batchSize).toBe(10);
  // The drain projection at the declared 20 s per job: 24 concurrent jobs drain 1.2 per second.
  expect(json.queue).toMatchObject({ enqueued: 2, drainCapacityPerSecond: 1.2, backlogAtEnd: 0 });
  const svg = readFileSync(join(root, "smoke", "payments-dev-smoke.svg"), "utf8");
  expect(svg.startsWith("<svg")).toBe(true);
  expect(svg).toContain("GET /items/{id}");
});

test("a service slower than declared fails the verdict on p99 and exits 3", () => {
  const r = loadtest(
    ["payments", "dev", "--profile", "smoke", "--duration", "2", "--local-delay-ms", "1000"],
    "slow",
  );
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(/^The verdict failed on smoke POST \/items p99; /m);
  expect(r.stdout).toContain("Verdict: FAIL");
  expect(r.stdout).toMatch(
    /x smoke POST \/items p99: p99 \d+(\.\d)? ms; declared p99DurationMs 900/,
  );
  const json = report("slow", "smoke");
  expect(json.verdict.pass).toBe(false);
  expect(failed(json)).toEqual(expect.arrayContaining(["POST /items p99", "GET /items/{id} p99"]));
  for (const route of json.stages[0].routes.slice(0, 2)) {
    expect(route.latencyMs!.p50).toBeGreaterThanOrEqual(1000);
  }
});

test("traffic above the reserved concurrency is answered 429, as Lambda throttles", () => {
  // 5 requests per second that each take 1.5 s keep 7.5 executions busy; 5 are reserved.
  const r = loadtest(
    ["payments", "dev", "--profile", "declared", "--duration", "3", "--local-delay-ms", "1500"],
    "throttled",
  );
  expect(r.code).toBe(3);
  const json = report("throttled", "declared");
  const sync = json.stages[0].routes.slice(0, 2);
  const throttled = sync.reduce((s, x) => s + x.throttled, 0);
  expect(throttled).toBeGreaterThan(0);
  expect(json.local?.api.throttled).toBe(throttled);
  expect(json.local?.api.peakConcurrency).toBe(json.derived.apiReservedConcurrency);
  expect(json.stages[0].apiFunction.observedConcurrency).toBeGreaterThan(0);
  expect(failed(json)).toEqual(expect.arrayContaining([expect.stringMatching(/ throttled$/)]));
  expect(r.stdout).toMatch(/answered 429 at or below the declared rate/);
});

test("against a stage URL, IAM requests are signed with the SDK's credentials and accepted", async () => {
  const lz = loadLandingZone({ accountsDir: accounts, cwd: REPO, base: "" });
  const dev = lz.teams
    .find((t) => t.name === "payments")!
    .environments.find((e) => e.env === "dev")!;
  // The local target verifies every signature against these credentials (403 otherwise).
  const target = await startLocalTarget({ env: dev as SizedEnvironment, delayMs: 0 });
  try {
    const run = (secret: string) =>
      spawnAsync(
        [
          "payments",
          "dev",
          "--target",
          target.stageUrl,
          "--profile",
          "smoke",
          "--duration",
          "2",
          "--out",
          join(root, `stage-${secret.length}`),
        ],
        {
          LZ_ACCOUNTS_DIR: accounts,
          AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
          AWS_SECRET_ACCESS_KEY: secret,
          AWS_CONFIG_FILE: join(root, "no-config"),
          AWS_SHARED_CREDENTIALS_FILE: join(root, "no-credentials"),
        },
      );
    const good = await run(LOCAL_CREDENTIALS.secretAccessKey);
    expect(good.stderr).not.toContain("could not run");
    expect(good.code).toBe(0);
    const json = JSON.parse(
      readFileSync(
        join(root, `stage-${LOCAL_CREDENTIALS.secretAccessKey.length}`, "payments-dev-smoke.json"),
        "utf8",
      ),
    ) as LoadTestReport;
    expect(json.target).toBe(target.stageUrl);
    expect(json.local).toBeUndefined();
    // A wrong secret: the stage refuses the seeding request, and nothing else is sent.
    const bad = await run("wrong-secret");
    expect(bad.code).toBe(4);
    expect(bad.stderr).toMatch(/answered 403: .*signature/);
  } finally {
    await target.close();
  }
});

describe("usage mistakes exit 2 before any request", () => {
  const usage = (args: string[]) => {
    const r = loadtest(args, "usage");
    expect(r.code).toBe(2);
    expect(existsSync(join(root, "usage"))).toBe(false);
    return r.stderr;
  };
  test("unknown profile, team, environment", () => {
    expect(usage(["payments", "dev", "--profile", "soak"])).toContain(
      '--profile: must be one of smoke, declared, peak (got "soak")',
    );
    expect(usage(["billing", "dev"])).toContain(
      'unknown team "billing"; teams: catalog, notifications, payments',
    );
    expect(usage(["payments", "qa"])).toContain(
      'team payments has no environment "qa"; it has dev, prod',
    );
    expect(usage(["payments"])).toContain("expected <team> <env>");
  });
  test("a production stage needs --allow-production; a stage URL must be this environment's", () => {
    expect(
      usage([
        "payments",
        "prod",
        "--target",
        "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
      ]),
    ).toContain("payments prod is a production environment");
    expect(
      usage([
        "payments",
        "dev",
        "--target",
        "https://abc123.execute-api.eu-west-1.amazonaws.com/prod",
      ]),
    ).toContain("the URL's path must be the stage of payments dev, /dev");
    expect(usage(["payments", "dev", "--target", "http://example.com/dev"])).toContain(
      "a stage URL is https",
    );
    expect(
      usage([
        "payments",
        "dev",
        "--target",
        "https://abc123.execute-api.eu-west-1.amazonaws.com/dev",
        "--local-delay-ms",
        "5",
      ]),
    ).toContain("--local-delay-ms: slows the local target only");
  });
  test("a key-authorized API's stage needs its key in LZ_LOADTEST_API_KEY", () => {
    expect(
      usage([
        "catalog",
        "dev",
        "--target",
        "https://abc123.execute-api.eu-west-1.amazonaws.com/dev",
      ]),
    ).toContain("set LZ_LOADTEST_API_KEY to a key of its usage plan");
  });
});

function spawnAsync(args: string[], extraEnv: Record<string, string>): Promise<CliRun> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, ...extraEnv };
  delete childEnv.AWS_PROFILE;
  delete childEnv.AWS_SESSION_TOKEN;
  return new Promise((resolve) => {
    const child = spawn("node", [join(cli.dir, "cli/loadtest.js"), ...args], {
      cwd: REPO,
      env: childEnv,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

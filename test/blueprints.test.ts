// Blueprints as extension points (blueprints/): a platform team's own blueprint composes with the
// built-in ones, each environment lists its own, mistakes are reported by file and field, and
// nothing outside the blueprints' folders names a blueprint.
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { registerBlueprint, registeredBlueprints, unregisterBlueprint } from "../blueprints";
import { TEAM_FILE_FIELDS } from "../config/schema";
import { eventBus } from "./fixtures/blueprints/event-bus";
import {
  copyExampleAccounts,
  EXAMPLE_ACCOUNTS,
  removeDir,
  REPO,
  statementsOf,
  synthAccounts,
  writeFiles,
  type TfJson,
} from "./helpers";

const OWNER = `owners:
  - name: Ada Ops
    email: ada.ops@acme.example
costCenter: CC-7000
`;

function problemsOf(dir: string): string[] {
  try {
    loadLandingZone({ accountsDir: dir, cwd: dir });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

/** The example with one more team (and its ledger line), in a private copy. */
function withTeam(name: string, body: string, envs = ["dev"]): string {
  const dir = copyExampleAccounts();
  const ledger = readFileSync(join(dir, "ledger.yaml"), "utf8");
  writeFiles(dir, {
    [`teams/${name}.yaml`]: `name: ${name}\n${OWNER}${body}`,
    "ledger.yaml": `${ledger}  ${name}:\n${envs.map((e) => `    ${e}: [active]\n`).join("")}`,
  });
  return dir;
}

describe("a platform team's own blueprint (test/fixtures/blueprints/event-bus)", () => {
  beforeAll(() => registerBlueprint(eventBus, TEAM_FILE_FIELDS));
  afterAll(() => unregisterBlueprint(eventBus.name));

  test("composes with the serverless API in one account: its resources, alarm and output", () => {
    const dir = withTeam(
      "orders",
      `blueprints: [serverless-api, event-bus]
event-bus:
  archiveRetentionDays: 30
environments:
  dev:
    traffic:
      sync: { requestsPerSecond: 10, averageDurationMs: 100, p99DurationMs: 500 }
    event-bus:
      archiveRetentionDays: 3
`,
    );
    try {
      const out = synthAccounts(dir, "team-orders-dev");
      const id = "team-orders-dev";
      expect(out.resource(id, "aws_cloudwatch_event_bus").name).toBe("orders-dev-events");
      // The environment's override wins over the team's value.
      expect(out.resource(id, "aws_cloudwatch_event_archive").retention_days).toBe(3);
      const alarms = Object.values(out.resources(id, "aws_cloudwatch_metric_alarm")).map(
        (a) => a.alarm_name as string,
      );
      expect(alarms).toContain("lz-orders-dev-events-failed-invocations");
      // The serverless API is all there beside it, with its own alarms.
      expect(out.resource(id, "aws_api_gateway_rest_api").name).toBe("orders-dev-api");
      expect(alarms).toContain("lz-orders-dev-api-5xx");
      expect(Object.keys(out.stack(id).output).sort()).toEqual(["api_url", "event_bus_arn"]);
    } finally {
      removeDir(dir);
    }
  });

  test("an unknown blueprint is reported with the registered names", () => {
    const dir = withTeam(
      "orders",
      `environments:
  dev:
    blueprints: [baseline, event-buss]
    baseline: { monthlyLimit: 10 }
`,
    );
    try {
      const names = registeredBlueprints()
        .map((b) => b.name)
        .join(", ");
      expect(names).toBe("serverless-api, baseline, scheduled-jobs, event-bus");
      expect(problemsOf(dir)).toContain(
        `teams/orders.yaml: environments.dev.blueprints[1]: unknown blueprint; registered: ${names} (got "event-buss")`,
      );
    } finally {
      removeDir(dir);
    }
  });
});

describe("team files choose their blueprints", () => {
  test("traffic is required by the serverless API, and refused where no blueprint reads it", () => {
    const dir = withTeam(
      "orders",
      `environments:
  dev: {}
  prod:
    blueprints: [baseline]
    baseline: { monthlyLimit: 10 }
    traffic:
      sync: { requestsPerSecond: 10, averageDurationMs: 100, p99DurationMs: 500 }
`,
      ["dev", "prod"],
    );
    try {
      const problems = problemsOf(dir);
      expect(problems).toContain(
        "teams/orders.yaml: environments.dev.traffic: required field is missing: the serverless-api blueprint is sized from it",
      );
      expect(problems).toContain(
        "teams/orders.yaml: environments.prod.traffic: no blueprint of this environment uses traffic (blueprints: baseline)",
      );
    } finally {
      removeDir(dir);
    }
  });

  test("a baseline-only account needs a declared limit; settings of an unlisted blueprint are refused", () => {
    const dir = withTeam(
      "orders",
      `blueprints: [baseline]
environments:
  dev:
    scheduled-jobs:
      jobs: {}
`,
    );
    try {
      const problems = problemsOf(dir);
      expect(problems).toContain(
        "teams/orders.yaml: baseline.monthlyLimit: required: an account without a workload has no estimate to budget from; declare its monthly limit",
      );
      expect(problems).toContain(
        "teams/orders.yaml: environments.dev.scheduled-jobs: settings of a blueprint this environment does not list (blueprints: baseline)",
      );
    } finally {
      removeDir(dir);
    }
  });

  test("a job declared only in an environment must be whole there; its duration must fit its timeout", () => {
    const dir = withTeam(
      "orders",
      `blueprints: [scheduled-jobs]
scheduled-jobs:
  jobs:
    export: { schedule: "rate(1 hour)", durationSeconds: 600, timeoutSeconds: 300 }
environments:
  dev:
    scheduled-jobs:
      jobs:
        cleanup: { schedule: "rate(1 day)" }
`,
    );
    try {
      const problems = problemsOf(dir);
      expect(problems).toContain(
        "teams/orders.yaml: environments.dev.scheduled-jobs.jobs.cleanup.durationSeconds: required field is missing (expected number)",
      );
      const other = withTeam(
        "orders",
        `blueprints: [scheduled-jobs]
scheduled-jobs:
  jobs:
    export: { schedule: "rate(1 hour)", durationSeconds: 600, timeoutSeconds: 300 }
environments:
  dev: {}
`,
      );
      try {
        expect(problemsOf(other)).toContain(
          "teams/orders.yaml: scheduled-jobs.jobs.export.timeoutSeconds: is below the declared durationSeconds of 600 (got 300)",
        );
      } finally {
        removeDir(other);
      }
    } finally {
      removeDir(dir);
    }
  });
});

describe("the example's scheduled-jobs account (team-reporting-dev)", () => {
  const out = synthAccounts(EXAMPLE_ACCOUNTS);
  const id = "team-reporting-dev";
  const byName = (type: string, name: string): TfJson =>
    Object.values(out.resources(id, type)).find((r) => r.name === name)!;

  test("one schedule per job on the function's live alias, with retries and an encrypted dead-letter queue", () => {
    const schedule = byName("aws_scheduler_schedule", "reporting-dev-job-nightly-export");
    expect(schedule).toMatchObject({
      schedule_expression: "cron(0 2 * * ? *)",
      schedule_expression_timezone: "Europe/Berlin",
      flexible_time_window: { mode: "FLEXIBLE", maximum_window_in_minutes: 15 },
      target: { retry_policy: { maximum_retry_attempts: 2, maximum_event_age_in_seconds: 3600 } },
    });
    expect(schedule.target.arn).toMatch(/^\$\{aws_lambda_alias\..*nightly-export.*\.arn\}$/);
    const dlq = byName("aws_sqs_queue", "reporting-dev-job-runs-dlq");
    expect(dlq.sqs_managed_sse_enabled).toBe(true);
    expect(schedule.target.dead_letter_config.arn).toMatch(
      /^\$\{aws_sqs_queue\..*runs-dlq.*\.arn\}$/,
    );
    expect(
      byName("aws_scheduler_schedule", "reporting-dev-job-refresh").flexible_time_window,
    ).toEqual({ mode: "OFF" });
  });

  test("the scheduler's role may invoke only its job's alias and send only to the dead-letter queue", () => {
    const role = byName("aws_iam_role", "lz-reporting-dev-job-nightly-export-scheduler");
    const trust = statementsOf(role.assume_role_policy as string);
    expect(trust).toEqual([
      expect.objectContaining({
        Principal: { Service: "scheduler.amazonaws.com" },
        Condition: { StringEquals: { "aws:SourceAccount": expect.any(String) } },
      }),
    ]);
    const policy = Object.values(out.resources(id, "aws_iam_role_policy")).find((p) =>
      String(p.role).includes("nightly-export_scheduler-role"),
    )!;
    expect(
      statementsOf(policy.policy as string).map((s) => [s.Action, String(s.Resource)]),
    ).toEqual([
      ["lambda:InvokeFunction", expect.stringMatching(/aws_lambda_alias\..*nightly-export.*\.arn/)],
      ["sqs:SendMessage", expect.stringMatching(/aws_sqs_queue\..*runs-dlq.*\.arn/)],
    ]);
  });

  test("reserved concurrency from duration × overlap; alarms on errors, throttles, duration and the DLQ", () => {
    const fn = Object.values(out.resources(id, "aws_lambda_function")).find(
      (f) => f.function_name === "reporting-dev-job-refresh",
    )!;
    // 20 s runs every 15 minutes never overlap: one execution.
    expect(fn.reserved_concurrent_executions).toBe(1);
    expect(fn.timeout).toBe(60);
    const alarms = Object.values(out.resources(id, "aws_cloudwatch_metric_alarm"));
    const names = alarms.map((a) => a.alarm_name as string).sort();
    expect(names.filter((n) => n.includes("-job-"))).toEqual([
      "lz-reporting-dev-job-nightly-export-duration",
      "lz-reporting-dev-job-nightly-export-errors",
      "lz-reporting-dev-job-nightly-export-throttles",
      "lz-reporting-dev-job-refresh-duration",
      "lz-reporting-dev-job-refresh-errors",
      "lz-reporting-dev-job-refresh-throttles",
      "lz-reporting-dev-job-runs-dlq-not-empty",
    ]);
    const duration = alarms.find((a) => a.alarm_name === "lz-reporting-dev-job-refresh-duration")!;
    // 80 % of the 60 s timeout.
    expect(duration.threshold).toBe(48_000);
  });

  test("the baseline-only account has the account's settings and quota alarms, and no workload", () => {
    const staging = "team-reporting-staging";
    for (const type of ["aws_lambda_function", "aws_sqs_queue", "aws_api_gateway_rest_api"])
      expect(out.resources(staging, type)).toEqual({});
    expect(out.resource(staging, "aws_oam_link")).toBeDefined();
    expect(out.resource(staging, "aws_budgets_budget").limit_amount).toBe("40");
  });
});

/** Every .ts file under a folder of the repository. */
function sources(folder: string): string[] {
  const abs = join(REPO, folder);
  return readdirSync(abs).flatMap((entry) => {
    const path = join(abs, entry);
    if (statSync(path).isDirectory()) return sources(join(folder, entry));
    return entry.endsWith(".ts") ? [join(folder, entry)] : [];
  });
}

test("nothing in stacks/, config/validators/ or cli/ names a registered blueprint", () => {
  const names = registeredBlueprints().map((b) => b.name);
  expect(names.length).toBeGreaterThanOrEqual(3);
  const found = ["stacks", "config/validators", "cli"].flatMap(sources).flatMap((file) => {
    const text = readFileSync(join(REPO, file), "utf8");
    return names
      .filter((n) =>
        // A quoted name anywhere; a hyphenated name even unquoted (none is an English word).
        new RegExp(`["'\`]${n}["'\`]${n.includes("-") ? `|\\b${n}\\b` : ""}`).test(text),
      )
      .map((n) => `${file}: ${n}`);
  });
  expect(found).toEqual([]);
});

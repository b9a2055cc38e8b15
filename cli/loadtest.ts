// `npm run loadtest -- <team> <env> [--target local|<stage url>] [--profile smoke|declared|peak]
// [--duration <s>] [--out <dir>] [--allow-production] [--local-delay-ms <n>]`: sends the traffic a
// team declares (open model, constant arrival rate per route) to the local target or a deployed
// stage, and checks the declaration holds: p99 at or under the declared p99, under 1 % errors, no 429
// at or below the declared rate. Writes <out>/<team>-<env>-<profile>.json and .svg (docs/loadtest.md).
// Exit code: 0 pass, 1 invalid configuration, 2 usage, 3 the verdict failed, 4 the run could not happen.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { defaultProvider } from "@aws-sdk/credential-provider-node";
import { loadLandingZone } from "../config/load";
import { blueprintOf } from "../blueprints";
import { isSized, type LandingZone, type SizedEnvironment } from "../config/model";
import { API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS } from "../config/validators/blueprint";
import {
  decimalNumber,
  EXIT_GATE,
  EXIT_OK,
  exitCodeOf,
  ExternalError,
  oneOf,
  outputFolder,
  parseFlags,
  UsageError,
} from "./args";
import { protectedFolders } from "./output-paths";
import { startProgress, withHeartbeat } from "./progress";
import { checks, queueReport, series, stageReports, type StageResults } from "./loadtest/analyze";
import { authorize, type Caller } from "./loadtest/auth";
import { renderChartSvg } from "./loadtest/chart";
import { startLocalTarget, type LocalStats, type LocalTarget } from "./loadtest/local-target";
import { loadStages, PROFILES, type Profile, type Stage } from "./loadtest/profile";
import { renderText } from "./loadtest/render";
import { writeResults, type LoadTestReport } from "./loadtest/report";
import { routeCall, seedItems, vegetaTarget, type RunContext } from "./loadtest/requests";
import { API_KEY_VARIABLE, checkStageUrl } from "./loadtest/target";
import {
  LoadTestError,
  readResults,
  runAttack,
  stopAttacks,
  vegetaBinary,
} from "./loadtest/vegeta";

export const USAGE = `Usage: npm run loadtest -- <team> <env> [--target local|<stage url>] [--profile smoke|declared|peak]
         [--duration <seconds per stage>] [--out <dir, default loadtest-results>]
         [--allow-production] [--local-delay-ms <n>]
  --target local         the reference service on 127.0.0.1 (default)
  --target <stage url>   a deployed stage: terraform output -raw api_url of the team stack
  --profile              smoke: a few seconds at a small rate; declared (default): the declared rates;
                         peak: 1x, 1.5x, 2x the declared rates, one stage each
  --duration <s>         seconds per stage, a decimal number above 0 up to 3600
  --out <dir>            never inside the accounts folder or a source folder of the repository
  --allow-production     required to load-test a production environment's stage
  --local-delay-ms <n>   local target only: every invocation takes n ms longer, 0 to 30000
                         (rehearses a slow service)
See docs/loadtest.md. A failed verdict exits 3, a run that could not happen (no Go, the target
  unreachable, no credentials) exits 4.`;

/** API Gateway gives up on an integration after 29 s; a request is abandoned just after. */
const REQUEST_TIMEOUT_SECONDS = API_GATEWAY_INTEGRATION_TIMEOUT_SECONDS + 1;
/** An hour per stage; a longer run is a soak test, not this command's. */
export const STAGE_MAX_SECONDS = 3600;
/** Past the request timeout every request is abandoned, so a longer delay rehearses nothing more. */
export const LOCAL_DELAY_MAX_MS = REQUEST_TIMEOUT_SECONDS * 1000;

interface Options {
  team: string;
  env: string;
  target: string;
  profile: Profile;
  duration?: number;
  out: string;
  allowProduction: boolean;
  localDelayMs: number;
}

function parse(argv: string[]): Options {
  const { values, positionals } = parseFlags(
    {
      args: argv,
      allowPositionals: true,
      options: {
        target: { type: "string" },
        profile: { type: "string" },
        duration: { type: "string" },
        out: { type: "string" },
        "allow-production": { type: "boolean" },
        "local-delay-ms": { type: "string" },
      },
    },
    USAGE,
  );
  if (positionals.length !== 2) {
    throw new UsageError(
      `expected <team> <env>, got ${positionals.length} argument(s)\n\n${USAGE}`,
    );
  }
  const target = values.target ?? "local";
  const localDelayMs =
    decimalNumber("local-delay-ms", values["local-delay-ms"], {
      unit: "milliseconds",
      min: 0,
      max: LOCAL_DELAY_MAX_MS,
      integer: true,
    }) ?? 0;
  if (localDelayMs > 0 && target !== "local") {
    throw new UsageError(
      "--local-delay-ms: slows the local target only; it has no effect on a stage",
    );
  }
  return {
    team: positionals[0],
    env: positionals[1],
    target,
    profile: oneOf<Profile>("profile", values.profile, PROFILES, "declared"),
    duration: decimalNumber("duration", values.duration, {
      unit: "seconds",
      above: 0,
      max: STAGE_MAX_SECONDS,
    }),
    out: outputFolder("--out", values.out, protectedFolders()) ?? "loadtest-results",
    allowProduction: values["allow-production"] === true,
    localDelayMs,
  };
}

function findEnvironment(lz: LandingZone, team: string, env: string): SizedEnvironment {
  const t = lz.teams.find((x) => x.name === team);
  if (!t) {
    throw new UsageError(
      `unknown team ${JSON.stringify(team)}; teams: ${lz.teams.map((x) => x.name).join(", ") || "(none)"}`,
    );
  }
  const e = t.environments.find((x) => x.env === env);
  if (!e) {
    throw new UsageError(
      `${t.file}: team ${team} has no environment ${JSON.stringify(env)}; it has ${t.environments.map((x) => x.env).join(", ")}`,
    );
  }
  // The load test drives the blueprints that declare a load profile; the others are named, not tested.
  const without = e.blueprints.filter((u) => !blueprintOf(u).loadProfile).map((u) => u.name);
  if (!isSized(e) || without.length === e.blueprints.length) {
    throw new UsageError(
      `${t.file}: environments.${env}: no blueprint with a load profile to test (blueprints: ${e.blueprints.map((u) => u.name).join(", ")})`,
    );
  }
  if (without.length > 0)
    console.error(
      `loadtest: ${without.join(", ")} ha${without.length === 1 ? "s" : "ve"} no load profile; not tested`,
    );
  return e;
}

/** The caller of a deployed stage: the blueprint's authorization, with what it needs to hand. */
async function stageCaller(env: SizedEnvironment): Promise<Caller> {
  const authorization = env.blueprint.api.authorization;
  if (authorization === "api-key") {
    const apiKey = process.env[API_KEY_VARIABLE];
    if (!apiKey) {
      throw new UsageError(
        `${env.team.file}: ${env.team.name}'s API is key-authorized; set ${API_KEY_VARIABLE} to a key of its usage plan ` +
          `(aws apigateway get-api-keys --name-query ${env.team.name}-${env.env}-api-default --include-values --query 'items[0].value' --output text)`,
      );
    }
    return { authorization, region: env.region, apiKey };
  }
  if (authorization === "iam") {
    const credentials = defaultProvider();
    try {
      await credentials();
    } catch (e) {
      throw new LoadTestError(
        `${env.team.name}'s API is IAM-authorized and no AWS credentials were found to sign with (the SDK's default chain: ` +
          `AWS_PROFILE, environment, SSO, instance role): ${(e as Error).message}`,
      );
    }
    return { authorization, region: env.region, credentials };
  }
  return { authorization, region: env.region };
}

async function runStages(
  bin: string,
  stages: Stage[],
  caller: Caller,
  ctx: RunContext,
  log: (line: string) => void,
): Promise<StageResults[]> {
  const dir = mkdtempSync(join(tmpdir(), "lz-loadtest-"));
  try {
    const out: StageResults[] = [];
    for (const [i, stage] of stages.entries()) {
      log(
        `Stage ${stage.label} (${stage.durationSeconds} s): ${stage.routes.map((r) => `${r.route} ${round(r.rate)}/s`).join(", ")}`,
      );
      const spawnedMs = Date.now();
      const stageCtx = { ...ctx, runId: `${ctx.runId}-${i}` };
      // One failed generator stops the others: load the user believes has stopped must stop.
      const attacks = Promise.all(
        stage.routes.map((r, j) =>
          runAttack(bin, {
            name: r.route,
            rate: r.rate,
            durationSeconds: stage.durationSeconds,
            timeoutSeconds: REQUEST_TIMEOUT_SECONDS,
            resultsFile: join(dir, `${i}-${j}.bin`),
            target: async (seq) =>
              vegetaTarget(await authorize(caller, routeCall(r.route, seq, stageCtx))),
          }),
        ),
      );
      try {
        await stageProgress(stage, attacks);
      } catch (e) {
        stopAttacks();
        await attacks.catch(() => undefined);
        throw e;
      }
      const results = new Map(
        stage.routes.map((r, j) => [r.route, readResults(bin, join(dir, `${i}-${j}.bin`))]),
      );
      // The clock starts with the first request, not with the generators' start-up.
      const first = [...results.values()]
        .flat()
        .reduce((min, x) => Math.min(min, x.startMs), Infinity);
      out.push({ stage, startedMs: Number.isFinite(first) ? first : spawnedMs, results });
    }
    return out;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function loadtest(argv: string[], log: (line: string) => void): Promise<number> {
  const o = parse(argv);
  const lz = loadLandingZone();
  const env = findEnvironment(lz, o.team, o.env);
  const remote = o.target === "local" ? undefined : checkStageUrl(env, o.target, o.allowProduction);
  const stages = loadStages(env, o.profile, o.duration);
  const caller = remote ? await stageCaller(env) : undefined;
  const bin = await vegetaBinary(log);

  let local: LocalTarget | undefined;
  const interrupt = () => {
    stopAttacks();
    void local?.close().finally(() => process.exit(130));
    if (!local) process.exit(130);
  };
  process.once("SIGINT", interrupt);
  process.once("SIGTERM", interrupt);
  let runs: StageResults[];
  let localStats: LocalStats | undefined;
  const startedAt = new Date().toISOString();
  try {
    if (!remote) local = await startLocalTarget({ env, delayMs: o.localDelayMs });
    const stageUrl = remote?.stageUrl ?? local!.stageUrl;
    const who = caller ?? local!.caller;
    const runId = randomBytes(4).toString("hex");
    log(
      `Load test ${env.team.name} ${env.env} against ${remote ? stageUrl : `the local target (${stageUrl})`}`,
    );
    const itemIds = await seedItems(who, { stageUrl, runId });
    runs = await runStages(bin, stages, who, { stageUrl, runId, itemIds }, log);
    if (local) {
      const window = env.blueprint.queue.maximumBatchingWindowSeconds;
      const wait = window * 1000 + 10_000 + o.localDelayMs * 2;
      localStats = await withHeartbeat("waiting for the local queue to drain", () =>
        local!.finish(wait),
      );
    }
  } catch (e) {
    if (e instanceof UsageError || e instanceof LoadTestError) throw e;
    throw new LoadTestError((e as Error).message);
  } finally {
    process.off("SIGINT", interrupt);
    process.off("SIGTERM", interrupt);
    await local?.close();
  }

  const stageReps = stageReports(env, runs);
  const verdictChecks = checks(
    env,
    stageReps,
    localStats && {
      enqueued: localStats.worker.enqueued,
      processed: localStats.worker.processed,
      deadLettered: localStats.worker.deadLettered,
      drained: localStats.worker.drainedSecondsAfterLastSend !== null,
    },
  );
  const d = env.derived;
  const report: LoadTestReport = {
    team: env.team.name,
    env: env.env,
    stack: env.account.stackId,
    profile: o.profile,
    target: remote ? remote.stageUrl : "local",
    authorization: env.blueprint.api.authorization,
    startedAt,
    declared: env.traffic,
    derived: {
      apiReservedConcurrency: d.apiReservedConcurrency,
      workerMaximumConcurrency: d.workerMaximumConcurrency,
      workerReservedConcurrency: d.workerReservedConcurrency,
      batchSize: env.blueprint.queue.batchSize,
      apiThrottleRateLimit: d.apiThrottleRateLimit,
      apiThrottleBurstLimit: d.apiThrottleBurstLimit,
    },
    stages: stageReps,
    ...(env.traffic.async && { queue: queueReport(env, stageReps) }),
    ...(localStats && { local: localStats }),
    verdict: { pass: verdictChecks.every((c) => c.ok), checks: verdictChecks },
    series: series(runs),
  };
  let svg: string;
  try {
    svg = await renderChartSvg({
      title: `${env.team.name} ${env.env}: ${o.profile} load, target ${report.target}`,
      p99Limit: env.traffic.sync.p99DurationMs,
      series: report.series,
    });
  } catch (e) {
    throw new LoadTestError(`rendering the chart failed: ${(e as Error).message}`);
  }
  let files: ReturnType<typeof writeResults>;
  try {
    files = writeResults(o.out, report, svg);
  } catch (e) {
    // Exit 4 (could not run), never 3: 3 means the verdict failed.
    throw new LoadTestError(`writing the results failed: ${(e as Error).message}`);
  }
  process.stdout.write(renderText(report, files));
  if (!report.verdict.pass) {
    const failed = report.verdict.checks.filter((c) => !c.ok);
    console.error(
      `The verdict failed on ${failed.map((c) => `${c.stage} ${c.route} ${c.check}`).join("; ")}`,
    );
    return EXIT_GATE;
  }
  return EXIT_OK;
}

const round = (x: number) => Math.round(x * 1000) / 1000;

/**
 * A stage's progress in seconds of its duration: a bar on a terminal, a heartbeat line elsewhere.
 * One progress per stage, done before the next stage's line is logged, so the two never interleave.
 */
async function stageProgress<T>(stage: Stage, work: Promise<T>): Promise<T> {
  const progress = startProgress(`stage ${stage.label}`, stage.durationSeconds);
  const started = Date.now();
  let shown = 0;
  const clock = setInterval(() => {
    const elapsed = Math.min(stage.durationSeconds, Math.floor((Date.now() - started) / 1000));
    // Past the duration vegeta waits for the last answers (up to its timeout).
    progress.tick(elapsed - shown, elapsed >= stage.durationSeconds ? "last answers" : undefined);
    shown = elapsed;
  }, 1000);
  clock.unref();
  try {
    return await work;
  } finally {
    clearInterval(clock);
    progress.done();
  }
}

export async function main(argv: string[]): Promise<number> {
  // The pinned SDK runs on Node 20, which this project supports (README, "Quickstart"); its
  // warning that later SDK releases will need Node 22 is for whoever upgrades it, not for this run.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  try {
    return await loadtest(argv, (line) => console.error(line));
  } catch (e) {
    return exitCodeOf(
      e instanceof LoadTestError
        ? new ExternalError(`The load test could not run: ${e.message}`)
        : e,
    );
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

// `npm run rehearse [-- --stacks <glob>] [--config <dir>] [--organization greenfield|adoption] [--keep]`
//
// The deploy rehearsal: the real Terraform engine and AWS provider take every stack through what a
// platform team's first deployment does, against the moto AWS API emulator on a loopback port, for a
// greenfield organization and for the adoption of an existing one (cli/rehearsal/fixtures.ts). Per
// stack, in the deploy order of the stack graph (stacks/graph.ts: a stack starts once every stack it
// needs has applied, so independent stacks and the provider's fixed waits overlap):
//   init → apply (which validates against the provider's schema first) → a second plan that must
//   show no changes;
// then plan-summary on a real plan of a dangerous change, the plan-time Lambda quota check refusing
// an account too small, and destroy of everything not kept by prevent_destroy, each stack once every
// stack that needs it is destroyed. Resources the emulator cannot serve are stubbed as
// rehearsal/emulator-gaps.yaml declares, never silently. Prints one line per stack and step, a
// heartbeat while steps run (cli/progress.ts), a table of where the time went, and one JSON line per
// organization.
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { allTeamEnvironments, type LandingZone } from "../config/model";
import { teamAccessStackId } from "../config/access";
import { planStacks, selectStacks, type StackPlan } from "../stacks";
import { chainBehind, deployPhases, withNeeds } from "../stacks/graph";
import { LOCK_FILE, pluginCacheDir, requiredAwsProviderVersion } from "../stacks/provider-lock";
import { synthesize } from "../stacks/synth";
import { LAMBDA_QUOTA_LOCAL } from "../modules/service-blueprint/concurrency-check";
import {
  EXIT_GATE,
  EXIT_OK,
  exitCodeOf,
  ExternalError,
  HelpRequested,
  oneOf,
  parseFlags,
  UsageError,
} from "./args";
import { startProgress, type Progress } from "./progress";
import { readPlan } from "./plan-review/read";
import { render } from "./plan-review/render";
import { fails, summarize } from "./plan-review/summarize";
import { Emulator, ensureMoto, venvBin } from "./rehearsal/emulator";
import {
  SEEDED_POLICY_TYPE,
  SEEDED_SERVICE_PRINCIPAL,
  seedAdoption,
  writeFixture,
  type OrganizationKind,
} from "./rehearsal/fixtures";
import {
  OVERRIDE_FILE,
  readGaps,
  rehearsalOverride,
  type EmulatorGaps,
  type StackJson,
} from "./rehearsal/overrides";
import { renderTimings, runGraph, Slots, Timings } from "./rehearsal/schedule";
import {
  duplicateAccounts,
  inventoryRequest,
  KILL_POINTS,
  orphans,
  runKillable,
  type Inventory,
  type KillPoint,
} from "./rehearsal/interrupt";
import { recoverStack } from "./recover";
import { terraformBinary } from "./plan";
import {
  choosePluginDir,
  mirrorProviderVersion,
  providerLock,
  terraform,
  terraformVersion,
  type TerraformEnv,
} from "./rehearsal/terraform";

export const USAGE =
  "Usage: npm run rehearse -- [--stacks <id or glob>[,...]] [--config <dir>] [--organization greenfield|adoption] [--keep] [--interrupt <k>]\n" +
  "  Applies, re-plans and destroys every stack against the moto AWS API emulator (docs/rehearsal.md).\n" +
  `  --interrupt <k>: kills Terraform at k points (1 to ${KILL_POINTS.length}) of the first applies and resumes each time.`;
const GAPS_FILE = join("rehearsal", "emulator-gaps.yaml");
const WORK_DIR = ".rehearsal";
/**
 * Terraform commands running at once, both organizations together. Much of an apply is the
 * provider's fixed waits, so more than the cores; each command holds its provider processes
 * (about 450 MB each, one per provider configuration in use), which bounds it.
 */
const PARALLEL_COMMANDS = Number(process.env.LZ_REHEARSAL_PARALLELISM) || 6;
const ORGANIZATION_KINDS: OrganizationKind[] = ["greenfield", "adoption"];

class StepError extends Error {}

interface StackState {
  plan: StackPlan;
  /**
   * Which of its steps get a free command slot first (lower first): for going up, the stack with
   * the longest chain of stacks waiting on it; for going down, the one deepest in the graph.
   */
  priority: { up: number; down: number };
  dir: string;
  log: string;
  json: StackJson;
  resources: number;
  stubbed: number;
  /** Addresses of the stubbed resources: never created, so neither kept nor destroyed. */
  stubbedAddresses: string[];
  /** Arguments left unset because the emulator ignores them, and those whose read-back is ignored. */
  unset: string[];
  readBack: string[];
  /** List values the emulator refuses, left out of their argument. */
  leftOut: string[];
  applied: number;
  secondPlanChanges: number;
  destroyed: number;
}

interface Interruptions {
  points: KillPoint[];
  coreStack: string;
  teamStack: string;
  interruptions: number;
  resumed: number;
  /** What the resumed applies imported (the import blocks) and what recover imported. */
  importedByApply: number;
  importedByRecover: string[];
  notReached: string[];
}

interface Context {
  kind: OrganizationKind;
  endpoint: string;
  interrupt?: Interruptions;
  t: TerraformEnv;
  providerVersion: string;
  problems: string[];
  slots: Slots;
  timings: Timings;
  progress: Progress;
}

function progress(ctx: Context, stack: string, step: string, started: number, note = ""): void {
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  console.log(
    `${ctx.kind.padEnd(10)} ${stack.padEnd(28)} ${step.padEnd(14)} ${seconds.padStart(6)} s${note ? `  ${note}` : ""}`,
  );
}

/**
 * One Terraform command of one stack, in a command slot; its time goes to the table under `name`
 * and the heartbeat names it while it runs.
 */
async function step(
  ctx: Context,
  s: StackState,
  name: string,
  args: string[],
  ok = [0],
  priority = s.priority.up,
) {
  return ctx.slots.run(priority, async () => {
    const started = Date.now();
    const running = ctx.timings.start(ctx.kind, s.plan.id, name);
    ctx.progress.label(ctx.timings.running());
    let r;
    try {
      r = await terraform(s.dir, args, ctx.t, s.log);
    } finally {
      running.done();
      ctx.progress.tick(1, ctx.timings.running());
    }
    if (!ok.includes(r.code)) {
      progress(ctx, s.plan.id, name, started, "FAILED");
      // An argument the installed provider does not know is named, never passed over.
      for (const m of r.stderr.matchAll(
        /Error: Unsupported (argument|block type)\n\n([\s\S]*?)\n\n(.*)/g,
      )) {
        ctx.problems.push(
          `${s.plan.id}: provider ${ctx.providerVersion} lacks an argument this stack sets: ${m[3]} (${m[2].trim().split("\n")[0]})`,
        );
      }
      throw new StepError(
        `${s.plan.id}: terraform ${args[0]} failed (exit ${r.code}); see ${s.log}\n${lastLines(r.stderr || r.stdout, 25)}`,
      );
    }
    return { ...r, started };
  });
}

/**
 * The run's first init. Terraform's plugin cache is not safe for concurrent first installs: inits
 * that all find the provider missing race to create its folder, and the losers fail ("mkdir ...
 * file exists"). The first init goes alone and fills the cache; the others then find it there.
 */
let cacheFilled: Promise<unknown> | undefined;

async function init(ctx: Context, s: StackState): Promise<void> {
  // The lock file the rehearsal wrote pins the provider; the plugin cache shares one copy of it.
  const args = ["init", "-input=false", "-no-color", "-lockfile=readonly"];
  if (ctx.t.pluginDir) args.push(`-plugin-dir=${ctx.t.pluginDir}`);
  let run: ReturnType<typeof step>;
  if (cacheFilled === undefined) {
    run = step(ctx, s, "init", args);
    cacheFilled = run.catch(() => undefined);
  } else {
    await cacheFilled;
    run = step(ctx, s, "init", args);
  }
  const i = await run;
  progress(ctx, s.plan.id, "init", i.started);
}

const APPLY_ARGS = ["apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=20"];

/**
 * What exists in the emulator, listed through the AWS API (rehearsal/inventory.py). Asynchronous:
 * the emulator writes its request log to a pipe this process reads, and blocking the event loop
 * (spawnSync) would fill that pipe and stop the emulator mid-answer.
 */
function inventory(request: Record<string, unknown>, env: NodeJS.ProcessEnv): Promise<Inventory> {
  return new Promise((done, fail) => {
    const child = spawn(venvBin("python"), [join("rehearsal", "inventory.py")], {
      // The SDK refuses an empty AWS_PROFILE (the rehearsal empties it for Terraform's sake).
      env: Object.fromEntries(Object.entries(env).filter(([k, v]) => k !== "AWS_PROFILE" || v)),
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code, signal) => {
      if (code === 0) done(JSON.parse(stdout) as Inventory);
      else
        fail(
          new StepError(
            `the emulator's inventory failed (exit ${code ?? signal}):\n${lastLines(stderr, 25)}`,
          ),
        );
    });
    child.stdin.end(JSON.stringify(request));
  });
}

/**
 * The stack's first apply, killed at each of its points (SIGKILL to Terraform's process group), and
 * resumed each time with the documented command: `npm run recover -- <stack>`, then the same apply.
 */
async function interruptedApply(ctx: Context, s: StackState, it: Interruptions): Promise<void> {
  const role =
    s.plan.id === "organization"
      ? "organization"
      : s.plan.id === it.coreStack
        ? "core"
        : s.plan.id === it.teamStack
          ? "team"
          : undefined;
  const points = it.points.filter((p) => p.stack === role).sort((a, b) => a.order - b.order);
  if (points.length === 0) return apply(ctx, s);
  let pending = false;
  for (let i = 0; i <= points.length; i++) {
    const point = points[i];
    const run = await ctx.slots.run(s.priority.up, async () => {
      const started = Date.now();
      const running = ctx.timings.start(ctx.kind, s.plan.id, i === 0 ? "apply" : "resume");
      try {
        if (i > 0) {
          const r = await recoverStack(
            s.dir,
            (args) => terraform(s.dir, args, ctx.t, s.log),
            () => {},
          ).catch((e: unknown) => {
            // Recover failing is this stack's failure, not the rehearsal's end.
            if (e instanceof ExternalError)
              throw new StepError(`${s.plan.id}: npm run recover failed: ${e.message}`);
            throw e;
          });
          it.importedByRecover.push(...r.imported.map((x) => `${s.plan.id} ${x.address}`));
          progress(
            ctx,
            s.plan.id,
            "recover",
            started,
            `${r.missing.length} missing from state, ${r.byImportBlock.length} left to the import blocks, ${r.imported.length} imported, ${r.unidentified.length} unidentified`,
          );
        }
        const r = await runKillable(terraformBinary(), s.dir, APPLY_ARGS, ctx.t.env, s.log, point);
        return { ...r, started };
      } finally {
        running.done();
      }
    });
    if (pending) {
      // The previous kill is resumed once this recover and apply ran to its end or to the next kill.
      if (run.killed || run.code === 0) it.resumed++;
      pending = false;
    }
    // What a resumed apply adopted through the stack's import blocks (an account by email).
    if (i > 0) it.importedByApply += run.stdout.match(/: Import complete/g)?.length ?? 0;
    if (run.killed) {
      it.interruptions++;
      pending = true;
      progress(ctx, s.plan.id, "killed", run.started, `SIGKILL ${point.label}`);
      continue;
    }
    if (run.code !== 0) {
      throw new StepError(
        `${s.plan.id}: terraform apply failed (exit ${run.code}) after ${it.interruptions} interruption(s); see ${s.log}\n${lastLines(run.stderr || run.stdout, 25)}`,
      );
    }
    for (const p of points.slice(i)) it.notReached.push(`${s.plan.id}: ${p.label}`);
    const imported = Number(/Resources: (\d+) imported/.exec(run.stdout)?.[1] ?? 0);
    s.applied = imported + Number(/(\d+) added/.exec(run.stdout)?.[1] ?? 0);
    progress(
      ctx,
      s.plan.id,
      i > 0 ? "resumed apply" : "apply",
      run.started,
      `${s.applied} applied (${imported} imported)`,
    );
    return;
  }
}

/** Applies the stack; Terraform validates it against the provider's schema before anything runs. */
async function apply(ctx: Context, s: StackState): Promise<void> {
  const a = await step(ctx, s, "apply", [
    "apply",
    "-auto-approve",
    "-input=false",
    "-no-color",
    "-parallelism=20",
  ]);
  // "Apply complete! Resources: 10 imported, 22 added, 0 changed, 0 destroyed." (every command
  // costs a provider start, so the counts come from Terraform's own summary line)
  const imported = /Resources: (\d+) imported/.exec(a.stdout)?.[1];
  s.applied = Number(imported ?? 0) + Number(/(\d+) added/.exec(a.stdout)?.[1] ?? 0);
  progress(
    ctx,
    s.plan.id,
    "apply",
    a.started,
    [
      `${s.applied} applied`,
      `${s.stubbed} stubbed`,
      imported && `${imported} imported`,
      s.unset.length > 0 && `${s.unset.length} argument(s) left unset`,
      s.readBack.length > 0 && `${s.readBack.length} read-back(s) ignored`,
      s.leftOut.length > 0 && `${s.leftOut.length} value(s) left out`,
    ]
      .filter(Boolean)
      .join(", "),
  );
}

async function replan(ctx: Context, s: StackState): Promise<void> {
  const p = await step(
    ctx,
    s,
    "second plan",
    ["plan", "-input=false", "-no-color", "-detailed-exitcode", "-out=second.tfplan"],
    [0, 2],
  );
  if (p.code === 2) {
    const show = await step(ctx, s, "show", ["show", "-json", "second.tfplan"]);
    const plan = JSON.parse(show.stdout) as {
      resource_changes?: { address: string; change: { actions: string[] } }[];
    };
    const changed = (plan.resource_changes ?? []).filter(
      (c) => !c.change.actions.every((a) => a === "no-op" || a === "read"),
    );
    s.secondPlanChanges = changed.length;
    for (const c of changed)
      ctx.problems.push(`${s.plan.id}: second plan: ${c.change.actions.join("+")} ${c.address}`);
  }
  progress(ctx, s.plan.id, "second plan", p.started, `${s.secondPlanChanges} change(s)`);
}

/** plan-summary on what Terraform really writes: a team's table key changed must be flagged. */
async function reviewChange(ctx: Context, s: StackState): Promise<void> {
  const [name, table] = Object.entries(s.json.resource?.aws_dynamodb_table ?? {})[0] ?? [];
  if (!table) return;
  const key = "rehearsal_key";
  const change = join(s.dir, "rehearsal_change_override.tf.json");
  writeFileSync(
    change,
    JSON.stringify({
      resource: {
        aws_dynamodb_table: { [name]: { hash_key: key, attribute: [{ name: key, type: "S" }] } },
      },
    }),
  );
  try {
    await step(ctx, s, "change plan", [
      "plan",
      "-input=false",
      "-no-color",
      "-refresh=false",
      "-out=change.tfplan",
    ]);
    const started = Date.now();
    const show = await step(ctx, s, "show", ["show", "-json", "change.tfplan"]);
    const planFile = join(s.dir, "change.plan.json");
    writeFileSync(planFile, show.stdout);
    const summary = summarize(readPlan(`${s.plan.id}=${planFile}`));
    const flagged = summary.attention.some(
      (l) => l.action === "replace" && l.address === `aws_dynamodb_table.${name}`,
    );
    if (!flagged || !fails([summary], "replace")) {
      ctx.problems.push(
        `${s.plan.id}: plan-summary did not flag the replaced table:\n${render([summary], "text")}`,
      );
    }
    progress(
      ctx,
      s.plan.id,
      "plan-summary",
      started,
      flagged ? "table replacement flagged" : "NOT FLAGGED",
    );
  } finally {
    rmSync(change, { force: true });
  }
}

/** The plan-time quota check must stop a plan in an account whose Lambda quota is too small. */
async function quotaCheck(ctx: Context, s: StackState): Promise<void> {
  const file = join(s.dir, "rehearsal_quota_override.tf.json");
  writeFileSync(file, JSON.stringify({ locals: { [LAMBDA_QUOTA_LOCAL]: 10 } }));
  try {
    const r = await step(
      ctx,
      s,
      "quota check",
      ["plan", "-input=false", "-no-color", "-refresh=false"],
      [0, 1],
    );
    const refused = r.code === 1 && /Lambda concurrent executions quota is 10/.test(r.stderr);
    if (!refused)
      ctx.problems.push(
        `${s.plan.id}: a plan with a Lambda quota of 10 was not refused by the precondition`,
      );
    progress(
      ctx,
      s.plan.id,
      "quota check",
      r.started,
      refused ? "quota 10 refused at plan" : "NOT REFUSED",
    );
  } finally {
    rmSync(file, { force: true });
  }
}

async function destroy(ctx: Context, s: StackState): Promise<void> {
  const protectedAddresses = Object.entries(s.json.resource ?? {}).flatMap(([type, blocks]) =>
    Object.entries(blocks)
      .filter(([, b]) => (b.lifecycle as { prevent_destroy?: boolean })?.prevent_destroy === true)
      .map(([name]) => `${type}.${name}`)
      .filter((address) => !s.stubbedAddresses.includes(address)),
  );
  if (protectedAddresses.length > 0) {
    await step(ctx, s, "state rm", ["state", "rm", ...protectedAddresses], [0], s.priority.down);
  }
  // The second plan has just read every resource back; refreshing again would only repeat it.
  const d = await step(
    ctx,
    s,
    "destroy",
    ["destroy", "-auto-approve", "-input=false", "-no-color", "-refresh=false", "-parallelism=20"],
    [0],
    s.priority.down,
  );
  s.destroyed = Number(/Resources: (\d+) destroyed/.exec(d.stdout)?.[1] ?? 0);
  progress(
    ctx,
    s.plan.id,
    "destroy",
    d.started,
    `${s.destroyed} destroyed, ${protectedAddresses.length} kept by prevent_destroy${byType(protectedAddresses)}`,
  );
}

/** `: 2 aws_sqs_queue, 1 aws_dynamodb_table`, largest first; the log lists every address. */
function byType(addresses: string[]): string {
  const counts = new Map<string, number>();
  for (const a of addresses) counts.set(a.split(".")[0], (counts.get(a.split(".")[0]) ?? 0) + 1);
  const parts = [...counts].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return parts.length > 0 ? ` (${parts.map(([t, n]) => `${n} ${t}`).join(", ")})` : "";
}

/**
 * What adoption changes is the organization stack (imports, merged lists) and, in every other stack,
 * the account binding (recorded ids instead of plan-time lookups), which is the same code in every
 * team stack. So without --stacks the adoption run takes the core stacks and the first production
 * team stack (production adds deletion protection and provisioned concurrency), and leaves the
 * machine to greenfield's full run.
 */
export function adoptionSubset(
  kind: OrganizationKind,
  lz: LandingZone,
  plans: StackPlan[],
  selector: string | undefined,
): StackPlan[] {
  if (kind !== "adoption" || selector !== undefined) return plans;
  const production = new Set(
    allTeamEnvironments(lz)
      .filter((e) => e.production)
      .map((e) => e.account.stackId),
  );
  const team =
    plans.find((p) => production.has(p.id)) ?? plans.find((p) => p.id.startsWith("team-"));
  // Of the teams' access stacks, the one of that same team (the same binding code in each).
  const teamName = allTeamEnvironments(lz).find((e) => e.account.stackId === team?.id)?.team.name;
  const teamAccess = new Set(lz.access?.teams.map((t) => t.stackId));
  return plans.filter((p) =>
    p.id.startsWith("team-")
      ? p === team
      : !teamAccess.has(p.id) || (teamName !== undefined && p.id === teamAccessStackId(teamName)),
  );
}

interface Shared {
  pluginDir?: string;
  providerVersion: string;
  engine: string;
  lockFile: string;
  slots: Slots;
  timings: Timings;
  progress: Progress;
}

async function rehearse(
  kind: OrganizationKind,
  source: string,
  selector: string | undefined,
  gaps: EmulatorGaps,
  base: Shared,
  interruptPoints?: KillPoint[],
): Promise<{
  line: { organization: string; seconds: number };
  ok: boolean;
  interrupt?: Record<string, unknown>;
}> {
  const started = Date.now();
  const emulator = await Emulator.start();
  const work = resolve(WORK_DIR, kind);
  rmSync(work, { recursive: true, force: true });
  mkdirSync(join(work, "logs"), { recursive: true });
  writeFileSync(join(work, "terraformrc"), "");
  const ctx: Context = {
    kind,
    endpoint: emulator.endpoint,
    providerVersion: base.providerVersion,
    problems: [],
    slots: base.slots,
    timings: base.timings,
    progress: base.progress,
    t: {
      pluginDir: base.pluginDir,
      env: {
        ...process.env,
        TF_IN_AUTOMATION: "1",
        CHECKPOINT_DISABLE: "1",
        TF_CLI_CONFIG_FILE: join(work, "terraformrc"),
        TF_PLUGIN_CACHE_DIR: pluginCacheDir(),
        // Terraform and the provider are Go programs that start a dozen times per stack; a lazier
        // garbage collector saved about a seventh of their CPU time here for a few percent of memory.
        GOGC: process.env.GOGC ?? "200",
        AWS_ACCESS_KEY_ID: "rehearsal",
        AWS_SECRET_ACCESS_KEY: "rehearsal",
        AWS_SESSION_TOKEN: "",
        AWS_PROFILE: "",
        AWS_EC2_METADATA_DISABLED: "true",
      },
    },
  };
  const stacks: StackState[] = [];
  let interruptResult: Record<string, unknown> | undefined;
  try {
    const accounts = join(work, "accounts");
    if (kind === "greenfield") {
      writeFixture(source, accounts);
    } else {
      const seeded = seedAdoption(
        loadLandingZone({ accountsDir: source }),
        source,
        accounts,
        emulator.endpoint,
      );
      console.log(
        `${kind.padEnd(10)} seeded the emulator: organization ${seeded.organizationId}, ${Object.keys(seeded.organizationalUnitIds).length} OUs, ${Object.keys(seeded.accountIds).length} accounts`,
      );
    }
    const lz = loadLandingZone({ accountsDir: accounts });
    let plans = adoptionSubset(kind, lz, rehearsedStacks(planStacks(lz), selector), selector);
    if (interruptPoints) {
      // The organization, one core stack (log-archive: buckets, a key, roles) and the first
      // production team stack, with what they need.
      const team = adoptionSubset(kind, lz, planStacks(lz), undefined).find((p) =>
        p.id.startsWith("team-"),
      )!;
      const core = lz.coreAccounts.logArchive.stackId;
      plans = rehearsedStacks(planStacks(lz), `${core},${team.id}`);
      ctx.interrupt = {
        points: interruptPoints,
        coreStack: core,
        teamStack: team.id,
        interruptions: 0,
        resumed: 0,
        importedByApply: 0,
        importedByRecover: [],
        notReached: [],
      };
    }
    const outdir = join(work, "cdktf.out");
    synthesize(plans, outdir, { prune: false, lockFile: base.lockFile });

    const phases = deployPhases(plans);
    const behind = chainBehind(plans);
    for (const plan of plans) {
      const dir = join(outdir, "stacks", plan.id);
      const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson;
      const override = rehearsalOverride(json, gaps, {
        endpoint: emulator.endpoint,
        platformRoleName: lz.org.platformRoleName,
        providerVersion: base.pluginDir ? base.providerVersion : undefined,
      });
      writeFileSync(join(dir, OVERRIDE_FILE), JSON.stringify(override.json, null, 2));
      const resources = Object.values(json.resource ?? {}).reduce(
        (n, b) => n + Object.keys(b).length,
        0,
      );
      stacks.push({
        plan,
        priority: {
          up: -behind.get(plan.id)!,
          down: -phases.findIndex((p) => p.includes(plan)),
        },
        dir,
        json,
        resources,
        log: join(work, "logs", `${plan.id}.log`),
        stubbed: override.stubbedResources.length,
        stubbedAddresses: override.stubbedResources,
        unset: override.unsetArguments,
        readBack: override.ignoredReadBack,
        leftOut: override.leftOutValues,
        applied: 0,
        secondPlanChanges: 0,
        destroyed: 0,
      });
    }

    // The review and the quota check run on a non-production team stack's plan, after its second plan.
    const reviewed = stacks.find(
      (s) =>
        s.plan.id.startsWith("team-") &&
        !lz.teams.some((t) =>
          t.environments.some((e) => e.account.stackId === s.plan.id && e.production),
        ),
    );
    const it = ctx.interrupt;
    const failures = await runGraph(stacks, {
      prepare: (s) => init(ctx, s),
      up: async (s) => {
        if (it) return interruptedApply(ctx, s, it);
        await apply(ctx, s);
        if (s.plan.id === "organization" && kind === "adoption")
          await checkAdoptedOrganization(ctx, s);
      },
      check: async (s) => {
        await replan(ctx, s);
        if (s === reviewed && !it) {
          await reviewChange(ctx, s);
          await quotaCheck(ctx, s);
        }
      },
      // An interrupt rehearsal ends with the comparison below, not a destroy.
      down: (s) => (it ? Promise.resolve() : destroy(ctx, s)),
    });
    for (const e of failures) {
      if (!(e instanceof StepError)) throw e;
      ctx.problems.push(e.message);
    }
    if (it) interruptResult = await compareWithEmulator(ctx, stacks, it, lz.org);
  } catch (e) {
    if (!(e instanceof StepError)) throw e;
    ctx.problems.push(e.message);
  } finally {
    emulator.stop();
  }

  const sum = (f: (s: StackState) => number) => stacks.reduce((n, s) => n + f(s), 0);
  const line = {
    organization: kind,
    stacks: stacks.length,
    resources: sum((s) => s.resources),
    applied: sum((s) => s.applied),
    emulatorGaps: sum((s) => s.stubbed),
    secondPlanChanges: sum((s) => s.secondPlanChanges),
    destroyed: sum((s) => s.destroyed),
    seconds: Math.round((Date.now() - started) / 1000),
    engine: base.engine,
    provider: base.providerVersion,
  };
  for (const p of ctx.problems) console.error(`${kind}: ${p}`);
  return {
    line,
    ok: ctx.problems.length === 0 && line.secondPlanChanges === 0,
    interrupt: interruptResult && { ...interruptResult, secondPlanChanges: line.secondPlanChanges },
  };
}

/** Objects in the emulator that no stack's state holds, and accounts sharing an email. */
async function compareWithEmulator(
  ctx: Context,
  stacks: StackState[],
  it: Interruptions,
  org: { managementAccountId: string; platformRoleName: string; homeRegion: string },
): Promise<Record<string, unknown>> {
  const states = stacks.map((s) => {
    const json = JSON.parse(readFileSync(join(s.dir, "cdk.tf.json"), "utf8")) as {
      terraform?: { backend?: { local?: { path?: string } } };
    };
    const file = resolve(s.dir, json.terraform?.backend?.local?.path ?? "terraform.tfstate");
    return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as unknown) : {};
  });
  const listed = await inventory(inventoryRequest(stacks, org, ctx.endpoint), ctx.t.env);
  for (const e of listed.errors) ctx.problems.push(`the inventory could not list ${e}`);
  const orphaned = orphans(listed, states);
  const duplicates = duplicateAccounts(listed);
  for (const o of orphaned) ctx.problems.push(`orphan (in the emulator, in no state): ${o}`);
  for (const d of duplicates) ctx.problems.push(`two accounts with the email ${d}`);
  // Fewer kills than asked rehearse less than asked.
  for (const n of it.notReached)
    ctx.problems.push(`kill point not reached (the apply ended first): ${n}`);
  if (it.resumed !== it.interruptions)
    ctx.problems.push(`${it.interruptions - it.resumed} interrupted apply(s) did not resume`);
  console.log(
    `${ctx.kind.padEnd(10)} adopted after the kills: ${it.importedByApply} by the resumed applies' import blocks, ${it.importedByRecover.length} by recover${it.importedByRecover.length ? ` (${it.importedByRecover.join(", ")})` : ""}`,
  );
  return {
    interruptions: it.interruptions,
    resumed: it.resumed,
    orphans: orphaned.length,
    duplicateAccounts: duplicates.length,
  };
}

/**
 * The stacks the rehearsal takes: `--stacks` and everything those need (an emulator starts empty,
 * so a team stack cannot apply without the organization, log-archive and observability); all
 * without `--stacks`.
 */
export function rehearsedStacks(all: StackPlan[], selector: string | undefined): StackPlan[] {
  if (selector === undefined) return all;
  return withNeeds(all, selectStacks(all, selector, "--stacks")).plans;
}

/** Adoption must keep what the organization already used enabled, and import what exists. */
async function checkAdoptedOrganization(ctx: Context, s: StackState): Promise<void> {
  const show = await step(ctx, s, "show", ["show", "-json"]);
  const state = JSON.parse(show.stdout) as {
    values?: { root_module?: { resources?: { type: string; values: Record<string, unknown> }[] } };
  };
  const org = state.values?.root_module?.resources?.find(
    (r) => r.type === "aws_organizations_organization",
  );
  const principals = (org?.values.aws_service_access_principals ?? []) as string[];
  const types = (org?.values.enabled_policy_types ?? []) as string[];
  const kept = principals.includes(SEEDED_SERVICE_PRINCIPAL) && types.includes(SEEDED_POLICY_TYPE);
  if (!kept) {
    ctx.problems.push(
      `organization: adopting disabled what the organization used (trusted access ${principals.join(", ")}; policy types ${types.join(", ")})`,
    );
  }
  progress(
    ctx,
    s.plan.id,
    "adoption",
    show.started,
    kept
      ? `${SEEDED_SERVICE_PRINCIPAL} and ${SEEDED_POLICY_TYPE} still enabled`
      : "DISABLED what the organization used",
  );
}

function lastLines(text: string, n: number): string {
  return text.trimEnd().split("\n").slice(-n).join("\n");
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { values } = parseFlags(
      {
        args: argv,
        options: {
          stacks: { type: "string" },
          config: { type: "string" },
          organization: { type: "string" },
          keep: { type: "boolean" },
          interrupt: { type: "string" },
        },
        strict: true,
        allowPositionals: false,
      },
      USAGE,
    );
    const source = resolve(values.config ?? "accounts");
    if (!existsSync(join(source, "organization.yaml"))) {
      throw new UsageError(`--config: ${source} holds no organization.yaml\n${USAGE}`);
    }
    let interruptPoints: KillPoint[] | undefined;
    if (values.interrupt !== undefined) {
      const k = Number(values.interrupt);
      if (!/^\d+$/.test(values.interrupt) || k < 1 || k > KILL_POINTS.length) {
        throw new UsageError(
          `--interrupt: a number of kill points from 1 to ${KILL_POINTS.length} (got ${JSON.stringify(values.interrupt)})\n${USAGE}`,
        );
      }
      if (values.stacks !== undefined || values.organization !== undefined) {
        throw new UsageError(
          `--interrupt: chooses its own stacks and organization; give neither --stacks nor --organization\n${USAGE}`,
        );
      }
      interruptPoints = KILL_POINTS.slice(0, k);
    }
    // An interrupted apply is rehearsed on an adopted organization: the one whose plan can read
    // the account list, so an account created by a killed apply is adopted by its import block.
    const only: OrganizationKind[] = interruptPoints
      ? ["adoption"]
      : values.organization
        ? [oneOf("organization", values.organization, ORGANIZATION_KINDS, "greenfield")]
        : ORGANIZATION_KINDS;
    // A configuration error or a --stacks that matches nothing stops here, before anything is
    // installed or started.
    const lz = loadLandingZone({ accountsDir: source });
    const all = planStacks(lz);
    let selected: StackPlan[];
    try {
      selected = selectStacks(all, values.stacks, "--stacks");
    } catch (e) {
      throw new UsageError(`${(e as Error).message}\n${USAGE}`);
    }
    // An emulator starts empty: what the selected stacks need is rehearsed with them, and said so.
    const { added } = withNeeds(all, selected);
    if (values.stacks !== undefined && added.length > 0) {
      console.log(
        `--stacks ${values.stacks}: rehearsing also what it needs first (npm run validate -- --graph): ${added.join(", ")}`,
      );
    }

    const engine = `terraform ${terraformVersion()}`;
    const pluginDir = await choosePluginDir();
    const providerVersion = pluginDir ? mirrorProviderVersion(pluginDir) : "as synthesized";
    console.log(
      `Rehearsing with ${engine}, AWS provider ${providerVersion}${pluginDir ? ` from ${pluginDir}` : " from the registry"}`,
    );
    await ensureMoto((l) => console.log(l));
    const gaps = readGaps(GAPS_FILE);
    mkdirSync(WORK_DIR, { recursive: true });
    const lockFile = resolve(WORK_DIR, LOCK_FILE);
    providerLock(lockFile, pluginDir ? providerVersion : requiredAwsProviderVersion(), pluginDir);

    // The two organizations run side by side, each with its own emulator, sharing the command slots.
    const timings = new Timings();
    const heartbeat = startProgress("rehearsal", 0);
    // The heartbeat names the running steps with their time so far.
    const refresh = setInterval(() => heartbeat.label(timings.running()), 5000);
    refresh.unref();
    const shared = {
      pluginDir,
      providerVersion,
      engine,
      lockFile,
      slots: new Slots(PARALLEL_COMMANDS),
      timings,
      progress: heartbeat,
    };
    let results;
    try {
      results = await Promise.all(
        only.map((kind) => rehearse(kind, source, values.stacks, gaps, shared, interruptPoints)),
      );
    } finally {
      clearInterval(refresh);
      heartbeat.done();
    }
    const ok = results.every((r) => r.ok);
    const lines = results.map((r) => r.line);
    // A failed rehearsal keeps its folder: the logs are what a reader needs next.
    if (!values.keep && ok) rmSync(WORK_DIR, { recursive: true, force: true });
    console.log(
      renderTimings(
        timings.done,
        Object.fromEntries(lines.map((l) => [l.organization, l.seconds])),
      ),
    );
    for (const line of lines) console.log(JSON.stringify(line));
    for (const r of results) if (r.interrupt) console.log(JSON.stringify(r.interrupt));
    if (!ok) {
      const failed = only.filter((_, i) => !results[i].ok);
      console.error(
        `The rehearsal found problems in ${failed.join(" and ")} (listed above); ${WORK_DIR}/ keeps the logs.`,
      );
      return EXIT_GATE;
    }
    return EXIT_OK;
  } catch (e) {
    // Past the flags and the configuration, what stops a rehearsal is Terraform, the emulator or
    // its installation: exit 4 with their message.
    const known = e instanceof ConfigError || e instanceof UsageError || e instanceof HelpRequested;
    return exitCodeOf(known ? e : new ExternalError(e instanceof Error ? e.message : String(e)));
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

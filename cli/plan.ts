// `npm run plan -- <stack-id>... [--role plan|apply] [--format text|markdown|json]
// [--fail-on destroy|replace|any] [--detailed-exitcode]`: validates the configuration, synthesizes
// the named stacks once, then in cdktf.out/stacks/<id> of each, one after the other, runs `terraform
// init`, `plan -out=tfplan` and `show -json` (or the binary named by TERRAFORM_BINARY_NAME, e.g.
// tofu) with one shared provider cache, writes the JSON plan there as plan.json, redacted (no
// sensitive value in clear text: plan-review/redact.ts), and prints one summary of every stack.
// A stack whose Terraform fails is named and the others are still planned. Terraform's own output
// goes to stderr, so stdout is the summary alone (CI posts it as is).
//
// `--role plan` makes every provider that assumes a role into a member account assume the read-only
// plan role (`planRoleName`) instead of the platform role: the stacks declare a Terraform variable
// for the role's name (stacks/account-stack.ts), so the synthesized JSON is the same for both roles
// and only `-var` differs. A saved plan keeps its variables: a plan made with the plan role cannot be
// applied (it would assume the read-only role); the apply re-plans with `--role apply` and checks
// with `plan-summary --compare` that it makes the reviewed changes.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLandingZone } from "../config/load";
import type { LandingZone } from "../config/model";
import { planStacks, type StackPlan as StackPlanSpec } from "../stacks";
import { ROLE_VARIABLE } from "../stacks/account-stack";
import { committedLockFile, pluginCacheDir } from "../stacks/provider-lock";
import { defaultOutdir, synthesize } from "../stacks/synth";
import {
  EXIT_CHANGES,
  EXIT_EXTERNAL,
  EXIT_GATE,
  EXIT_OK,
  exitCodeOf,
  ExternalError,
  outputFolder,
  UsageError,
} from "./args";
import { protectedFolders } from "./output-paths";
import { parseReviewFlags, type PlanRole } from "./plan-review/flags";
import { readPlan } from "./plan-review/read";
import { redactPlan } from "./plan-review/redact";
import { render } from "./plan-review/render";
import { gateLine, summarize, type StackSummary } from "./plan-review/summarize";
import { startProgress } from "./progress";

export const USAGE = `Usage: npm run plan -- <stack-id>... [--role plan|apply] [--format text|markdown|json] [--fail-on destroy|replace|any] [--detailed-exitcode]
  Synthesizes the stacks once, then for each runs terraform (or $TERRAFORM_BINARY_NAME) init, plan and
  show in cdktf.out/stacks/<stack-id>, writes plan.json there (sensitive values replaced by digests;
  tfplan keeps them: never upload it) and prints one review summary on stdout.
  --role <role>         plan: assume the read-only plan role (planRoleName) in member accounts;
                        apply (default): the platform role. A plan made with --role plan cannot be applied.
  --fail-on <gate>      exit 3 when a plan deletes (destroy), replaces or deletes (replace), or changes anything (any)
  --detailed-exitcode   as Terraform's: exit 0 when no plan has changes, 2 when one has changes
  A stack whose terraform fails is named on stderr and in the summary; the others are still planned (exit 4).`;

export const terraformBinary = () => process.env.TERRAFORM_BINARY_NAME || "terraform";

/** Runs one Terraform command; `ok` lists the exit codes that are not a failure. */
function run(
  binary: string,
  args: string[],
  cwd: string,
  { capture = false, ok = [0] } = {},
): { stdout: string; code: number } {
  const r = spawnSync(binary, args, {
    cwd,
    encoding: "utf8",
    // Terraform's progress goes to our stderr; only `show -json` is captured.
    stdio: ["ignore", capture ? "pipe" : process.stderr, "inherit"],
    maxBuffer: 512 * 1024 * 1024,
    // One shared provider cache for every stack's init (stacks/provider-lock.ts).
    env: { ...process.env, TF_IN_AUTOMATION: "1", TF_PLUGIN_CACHE_DIR: pluginCacheDir() },
  });
  if (r.error) throw new ExternalError(`${binary} ${args[0]}: ${r.error.message}`);
  if (r.status === null || !ok.includes(r.status)) {
    throw new ExternalError(
      `${binary} ${args.join(" ")} failed with ${r.status === null ? `signal ${r.signal}` : `exit code ${r.status}`} in ${cwd}`,
    );
  }
  return { stdout: r.stdout ?? "", code: r.status };
}

/** The `-var` that picks the role, for `terraform plan`; nothing for the default (apply). */
export function roleVars(lz: LandingZone, role: PlanRole): string[] {
  return role === "plan" ? [`-var=${ROLE_VARIABLE}=${lz.org.planRoleName}`] : [];
}

export interface PlanRun {
  summaries: StackSummary[];
  /** Stacks whose terraform failed, each with why. */
  failed: { stack: string; message: string }[];
  /** Stacks whose plan has changes, by Terraform's own -detailed-exitcode. */
  changed: string[];
}

/**
 * Synthesizes `selected` once into `outdir` and plans each in turn. Throws only before anything is
 * planned (no Terraform binary); a stack's failure is recorded and the next stack planned.
 */
export function planEach(
  lz: LandingZone,
  selected: StackPlanSpec[],
  outdir: string,
  { role, detailedExitcode }: { role: PlanRole; detailedExitcode: boolean },
): PlanRun {
  // Before writing anything: is there a Terraform to run?
  const binary = terraformBinary();
  const probe = spawnSync(binary, ["version"], { encoding: "utf8" });
  if (probe.error) {
    throw new ExternalError(
      `${binary} was not found (${(probe.error as NodeJS.ErrnoException).code}); install Terraform, or set TERRAFORM_BINARY_NAME to the binary to use (e.g. tofu). Nothing was synthesized.`,
    );
  }
  synthesize(selected, outdir);
  const out: PlanRun = { summaries: [], failed: [], changed: [] };
  const progress = startProgress(
    `Planning ${selected.length} stack(s) with ${binary}`,
    selected.length,
    {
      silent: selected.length === 1,
    },
  );
  for (const plan of selected) {
    const dir = join(outdir, "stacks", plan.id);
    progress.label(plan.id);
    console.error(`Synthesized ${plan.id} to ${dir}; running ${binary} there.`);
    if (plan.needs.length > 0) {
      console.error(
        `${plan.id} plans once ${plan.needs.map((n) => n.stack).join(", ")} ha${plan.needs.length === 1 ? "s" : "ve"} been applied (npm run validate -- --graph).`,
      );
    }
    try {
      // The committed lock file (copied in by synthesis) pins the provider's checksums: init may
      // not change it, so a provider that does not match it fails here.
      const init = ["init", "-input=false", "-no-color"];
      if (committedLockFile()) init.push("-lockfile=readonly");
      run(binary, init, dir);
      // With -detailed-exitcode Terraform itself says whether the plan has changes (exit 2), output
      // changes included, which the resource summary alone would not see.
      const planned = run(
        binary,
        [
          "plan",
          "-input=false",
          "-no-color",
          "-out=tfplan",
          ...roleVars(lz, role),
          ...(detailedExitcode ? ["-detailed-exitcode"] : []),
        ],
        dir,
        { ok: detailedExitcode ? [0, 2] : [0] },
      );
      const json = run(binary, ["show", "-json", "tfplan"], dir, { capture: true }).stdout;
      const planFile = join(dir, "plan.json");
      writeFileSync(planFile, `${JSON.stringify(redactJson(json, planFile))}\n`);
      console.error(`Wrote ${planFile} (sensitive values replaced by digests).`);
      out.summaries.push(summarize(readPlan(`${plan.id}=${planFile}`)));
      if (planned.code === 2) out.changed.push(plan.id);
    } catch (e) {
      const message = (e as Error).message;
      console.error(`${plan.id}: the plan failed: ${message}`);
      out.failed.push({ stack: plan.id, message });
    }
    progress.tick(1, plan.id);
  }
  progress.done(
    `Planned ${selected.length - out.failed.length} of ${selected.length} stack(s)${out.failed.length ? `; failed: ${out.failed.map((f) => f.stack).join(", ")}` : ""}.`,
  );
  return out;
}

function redactJson(json: string, file: string): unknown {
  try {
    return redactPlan(JSON.parse(json));
  } catch (e) {
    throw new ExternalError(
      `${file}: terraform show -json printed no JSON (${(e as Error).message})`,
    );
  }
}

/** The stacks named on the command line, in the order given, each once. */
export function selectStacks(lz: LandingZone, ids: string[]): StackPlanSpec[] {
  const plans = planStacks(lz);
  const byId = new Map(plans.map((p) => [p.id, p]));
  const out: StackPlanSpec[] = [];
  for (const id of new Set(ids)) {
    const plan = byId.get(id);
    if (!plan) {
      throw new UsageError(
        `<stack-id>: no stack ${id}; stacks are: ${plans.map((p) => p.id).join(", ")} (suspended and closed accounts have none)`,
      );
    }
    out.push(plan);
  }
  return out;
}

export function main(argv: string[]): number {
  try {
    const flags = parseReviewFlags(argv, USAGE, { detailedExitcode: true, role: true });
    const { format, failOn, detailedExitcode, positionals, role } = flags;
    if (positionals.length === 0) throw new UsageError(`give at least one stack id\n${USAGE}`);
    const lz = loadLandingZone();
    const selected = selectStacks(lz, positionals);
    const outdir = outputFolder("CDKTF_OUTDIR", defaultOutdir(), protectedFolders(), true)!;
    const result = planEach(lz, selected, outdir, { role: role ?? "apply", detailedExitcode });
    const failed = result.failed.map((f) => f.stack);
    process.stdout.write(render(result.summaries, format, { failOn, failed }));
    const gate = gateLine(result.summaries, failOn);
    if (gate) console.error(gate);
    if (failed.length > 0) {
      console.error(`The plan failed for ${failed.length} stack(s): ${failed.join(", ")}.`);
      return EXIT_EXTERNAL;
    }
    if (gate) return EXIT_GATE;
    return detailedExitcode && result.changed.length > 0 ? EXIT_CHANGES : EXIT_OK;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

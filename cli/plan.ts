// `npm run plan -- <stack-id> [--format text|markdown|json] [--fail-on destroy|replace|any]
// [--detailed-exitcode]`: validates the configuration, synthesizes only that stack, runs
// `terraform init`, `plan -out` and `show -json` in cdktf.out/stacks/<id> (or the binary named by
// TERRAFORM_BINARY_NAME, e.g. tofu), writes the JSON plan next to it as plan.json and prints its
// summary. Terraform's own output goes to stderr, so stdout is the summary alone (CI posts it as is).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { committedLockFile, pluginCacheDir } from "../stacks/provider-lock";
import { defaultOutdir, synthesize } from "../stacks/synth";
import {
  EXIT_CHANGES,
  EXIT_GATE,
  EXIT_OK,
  exitCodeOf,
  ExternalError,
  outputFolder,
  UsageError,
} from "./args";
import { protectedFolders } from "./output-paths";
import { parseReviewFlags } from "./plan-review/flags";
import { readPlan } from "./plan-review/read";
import { render } from "./plan-review/render";
import { gateLine, summarize } from "./plan-review/summarize";

export const USAGE = `Usage: npm run plan -- <stack-id> [--format text|markdown|json] [--fail-on destroy|replace|any] [--detailed-exitcode]
  Synthesizes one stack, runs terraform (or $TERRAFORM_BINARY_NAME) init, plan and show in
  cdktf.out/stacks/<stack-id>, writes plan.json there and prints the review summary on stdout.
  --fail-on <gate>      exit 3 when the plan deletes (destroy), replaces or deletes (replace), or changes anything (any)
  --detailed-exitcode   as Terraform's: exit 0 when the plan has no changes, 2 when it has changes`;

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

export function main(argv: string[]): number {
  try {
    const { format, failOn, detailedExitcode, positionals } = parseReviewFlags(argv, USAGE, {
      detailedExitcode: true,
    });
    if (positionals.length !== 1) throw new UsageError(`give exactly one stack id\n${USAGE}`);
    const stackId = positionals[0];

    const lz = loadLandingZone();
    const plans = planStacks(lz);
    const plan = plans.find((p) => p.id === stackId);
    if (!plan) {
      throw new UsageError(
        `<stack-id>: no stack ${stackId}; stacks are: ${plans.map((p) => p.id).join(", ")} (suspended and closed accounts have none)`,
      );
    }

    // Before writing anything: is there a Terraform to run?
    const binary = terraformBinary();
    const probe = spawnSync(binary, ["version"], { encoding: "utf8" });
    if (probe.error) {
      throw new ExternalError(
        `${binary} was not found (${(probe.error as NodeJS.ErrnoException).code}); install Terraform, or set TERRAFORM_BINARY_NAME to the binary to use (e.g. tofu). Nothing was synthesized.`,
      );
    }

    const outdir = outputFolder("CDKTF_OUTDIR", defaultOutdir(), protectedFolders(), true)!;
    synthesize([plan], outdir);
    const dir = join(outdir, "stacks", stackId);
    console.error(`Synthesized ${stackId} to ${dir}; running ${binary} there.`);
    if (plan.needs.length > 0) {
      console.error(
        `${stackId} plans once ${plan.needs.map((n) => n.stack).join(", ")} ha${plan.needs.length === 1 ? "s" : "ve"} been applied (npm run validate -- --graph).`,
      );
    }
    // The committed lock file (copied in by synthesis) pins the provider's checksums: init may not
    // change it, so a provider that does not match it fails here.
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
        ...(detailedExitcode ? ["-detailed-exitcode"] : []),
      ],
      dir,
      { ok: detailedExitcode ? [0, 2] : [0] },
    );
    const json = run(binary, ["show", "-json", "tfplan"], dir, { capture: true }).stdout;
    const planFile = join(dir, "plan.json");
    writeFileSync(planFile, json);
    console.error(`Wrote ${planFile}.`);

    const summaries = [summarize(readPlan(planFile))];
    process.stdout.write(render(summaries, format, failOn));
    const gate = gateLine(summaries, failOn);
    if (gate) {
      console.error(gate);
      return EXIT_GATE;
    }
    return detailedExitcode && planned.code === 2 ? EXIT_CHANGES : EXIT_OK;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

// `npm run plan -- <stack-id> [--format text|markdown] [--fail-on destroy|replace|any]`: validates
// the configuration, synthesizes only that stack, runs `terraform init`, `plan -out` and `show -json`
// in cdktf.out/stacks/<id> (or the binary named by TERRAFORM_BINARY_NAME, e.g. tofu), writes the JSON
// plan next to it as plan.json and prints its summary. Terraform's own output goes to stderr, so
// stdout is the summary alone (CI posts it as is).
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { committedLockFile, pluginCacheDir } from "../stacks/provider-lock";
import { defaultOutdir, synthesize } from "../stacks/synth";
import { UsageError } from "./args";
import { parseReviewFlags } from "./plan-review/flags";
import { readPlan } from "./plan-review/read";
import { render } from "./plan-review/render";
import { fails, summarize } from "./plan-review/summarize";

const USAGE =
  "Usage: npm run plan -- <stack-id> [--format text|markdown] [--fail-on destroy|replace|any]";

export const terraformBinary = () => process.env.TERRAFORM_BINARY_NAME || "terraform";

class ToolError extends Error {}

function run(binary: string, args: string[], cwd: string, capture = false): string {
  const r = spawnSync(binary, args, {
    cwd,
    encoding: "utf8",
    // Terraform's progress goes to our stderr; only `show -json` is captured.
    stdio: ["ignore", capture ? "pipe" : process.stderr, "inherit"],
    maxBuffer: 512 * 1024 * 1024,
    // One shared provider cache for every stack's init (stacks/provider-lock.ts).
    env: { ...process.env, TF_IN_AUTOMATION: "1", TF_PLUGIN_CACHE_DIR: pluginCacheDir() },
  });
  if (r.error) throw new ToolError(`${binary} ${args[0]}: ${r.error.message}`);
  if (r.status !== 0) {
    throw new ToolError(`${binary} ${args.join(" ")} failed with exit code ${r.status} in ${cwd}`);
  }
  return r.stdout ?? "";
}

function main(argv: string[]): number {
  try {
    const { format, failOn, positionals } = parseReviewFlags(argv, USAGE);
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
      throw new ToolError(
        `${binary} was not found (${(probe.error as NodeJS.ErrnoException).code}); install Terraform, or set TERRAFORM_BINARY_NAME to the binary to use (e.g. tofu). Nothing was synthesized.`,
      );
    }

    const outdir = defaultOutdir();
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
    run(binary, ["plan", "-input=false", "-no-color", "-out=tfplan"], dir);
    const json = run(binary, ["show", "-json", "tfplan"], dir, true);
    const planFile = join(dir, "plan.json");
    writeFileSync(planFile, json);
    console.error(`Wrote ${planFile}.`);

    const summary = summarize(readPlan(planFile));
    process.stdout.write(render([summary], format));
    return fails([summary], failOn) ? 1 : 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(
        `Configuration is invalid (${e.problems.length} problem(s)); nothing was planned:`,
      );
      console.error(e.message);
      return 2;
    }
    if (e instanceof UsageError || e instanceof ToolError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

// node scripts/ci/plan-destroy.mjs <plan|apply> <cdktf.out of the base> <stack-id>...: plans the destroy of
// stacks removed from the head. Their code is only in the base commit (scripts/ci/synth-base.sh
// synthesized it), their state still exists: in each stack's folder of the base this runs `init`,
// `plan -destroy -out=tfplan` and `show -json` with $TERRAFORM_BINARY_NAME (terraform by default)
// and writes plan.json there, redacted by the head's plan review (build/cli/plan-review/redact.js,
// as `npm run plan` redacts) so it can be uploaded. A stack that fails is named, the others are
// still planned; exit 4 when any failed. With `plan`, a stack that declares the role variable
// (landing_zone_role_name, as `npm run plan -- --role plan` sets it) assumes its read-only plan role,
// the second of the two names its validation allows; `apply` keeps the default, the platform role.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [role, outdir, ...ids] = process.argv.slice(2);
if (!["plan", "apply"].includes(role) || !outdir || ids.length === 0) {
  console.error(
    "usage: node scripts/ci/plan-destroy.mjs <plan|apply> <cdktf.out of the base> <stack-id>...",
  );
  process.exit(2);
}
const require = createRequire(import.meta.url);
let redactPlan;
try {
  ({ redactPlan } = require(resolve("build/cli/plan-review/redact.js")));
} catch (e) {
  // Never an unredacted plan.json: it would carry sensitive values in clear text into an artifact.
  console.error(`plan-destroy: build/cli/plan-review/redact.js: ${e.message} (run npm run build)`);
  process.exit(4);
}
const binary = process.env.TERRAFORM_BINARY_NAME || "terraform";
const tf = (cwd, args, capture = false) =>
  spawnSync(binary, args, {
    cwd,
    encoding: "utf8",
    stdio: ["ignore", capture ? "pipe" : process.stderr, "inherit"],
    maxBuffer: 512 * 1024 * 1024,
    env: { ...process.env, TF_IN_AUTOMATION: "1" },
  });
const ROLE_VARIABLE = "landing_zone_role_name";

/** The `-var` that makes the stack assume its plan role, when it declares one. */
function roleVars(dir) {
  if (role !== "plan") return [];
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"));
  const variable = json.variable?.[ROLE_VARIABLE];
  const condition = variable?.validation?.[0]?.condition ?? "";
  const names = /contains\((\[[^\]]*\])/.exec(condition);
  if (!names) {
    console.error(
      `${dir}: declares no ${ROLE_VARIABLE}: its destroy is planned with its default role`,
    );
    return [];
  }
  return [`-var=${ROLE_VARIABLE}=${JSON.parse(names[1])[1]}`];
}

const failed = [];
/** One stack's destroy plan, written to plan.json; the step that failed, or undefined. */
function planDestroy(dir) {
  if (!existsSync(join(dir, "cdk.tf.json"))) return "synth (the base did not synthesize it)";
  const steps = [
    ["init", "-input=false", "-no-color", "-lockfile=readonly"],
    ["plan", "-destroy", "-input=false", "-no-color", "-lock-timeout=5m", "-out=tfplan"].concat(
      roleVars(dir),
    ),
  ];
  const bad = steps.find((args) => tf(dir, args).status !== 0);
  if (bad) return bad[0];
  const show = tf(dir, ["show", "-json", "tfplan"], true);
  if (show.status !== 0) return "show";
  writeFileSync(join(dir, "plan.json"), JSON.stringify(redactPlan(JSON.parse(show.stdout))));
  return undefined;
}

for (const id of ids) {
  const dir = join(outdir, "stacks", id);
  const bad = planDestroy(dir);
  if (bad) {
    console.error(`${id}: the destroy plan failed (${bad})`);
    failed.push(id);
  } else console.error(`${id}: planned its destroy (${join(dir, "plan.json")})`);
}
if (failed.length > 0) {
  console.error(`The destroy plan failed for ${failed.length} stack(s): ${failed.join(", ")}.`);
  process.exit(4);
}

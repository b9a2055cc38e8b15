// node scripts/ci/plan-destroy.mjs <cdktf.out of the base> <stack-id>...: plans the destroy of
// stacks removed from the head. Their code is only in the base commit (scripts/ci/synth-base.sh
// synthesized it), their state still exists: in each stack's folder of the base this runs `init`,
// `plan -destroy -out=tfplan` and `show -json` with $TERRAFORM_BINARY_NAME (terraform by default)
// and writes plan.json there, redacted by the head's plan review (build/cli/plan-review/redact.js,
// as `npm run plan` redacts) so it can be uploaded. A stack that fails is named, the others are
// still planned; exit 4 when any failed.
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

const [outdir, ...ids] = process.argv.slice(2);
if (!outdir || ids.length === 0) {
  console.error("usage: node scripts/ci/plan-destroy.mjs <cdktf.out of the base> <stack-id>...");
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
const failed = [];
for (const id of ids) {
  const dir = join(outdir, "stacks", id);
  const steps = [
    ["init", "-input=false", "-no-color", "-lockfile=readonly"],
    ["plan", "-destroy", "-input=false", "-no-color", "-lock-timeout=5m", "-out=tfplan"],
  ];
  const bad = steps.find((args) => tf(dir, args).status !== 0);
  const show = bad ? undefined : tf(dir, ["show", "-json", "tfplan"], true);
  if (bad || show.status !== 0) {
    console.error(`${id}: the destroy plan failed (${bad ? bad[0] : "show"})`);
    failed.push(id);
    continue;
  }
  writeFileSync(join(dir, "plan.json"), JSON.stringify(redactPlan(JSON.parse(show.stdout))));
  console.error(`${id}: planned its destroy (${join(dir, "plan.json")})`);
}
if (failed.length > 0) {
  console.error(`The destroy plan failed for ${failed.length} stack(s): ${failed.join(", ")}.`);
  process.exit(4);
}

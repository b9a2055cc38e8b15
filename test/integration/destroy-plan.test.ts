// A stack removed from the head still has state: scripts/ci/plan-destroy.mjs plans its destroy from
// the base's synthesized code, with real Terraform on a local state, and writes plan.json only
// through the plan review's redaction (a stand-in module here, so this tests the script alone).
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, removeDir } from "../helpers";

let work: string;
const script = join(REPO, "scripts", "ci", "plan-destroy.mjs");
const stackDir = () => join(work, "base", "cdktf.out", "stacks", "team-gone-dev");

function terraform(args: string[]) {
  const r = spawnSync("terraform", args, { cwd: stackDir(), encoding: "utf8" });
  if (r.status !== 0) throw new Error(`terraform ${args.join(" ")}: ${r.stderr}`);
}

function planDestroy(role: string, ids: string[]) {
  const r = spawnSync(process.execPath, [script, role, join(work, "base", "cdktf.out"), ...ids], {
    cwd: work,
    encoding: "utf8",
    env: { ...process.env, TERRAFORM_BINARY_NAME: "terraform" },
  });
  return { code: r.status, stderr: r.stderr };
}

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), "lz-destroy-plan-"));
  mkdirSync(stackDir(), { recursive: true });
  // A stack as synthesis writes it: the role variable the plan role sets, a local state, a resource.
  writeFileSync(
    join(stackDir(), "cdk.tf.json"),
    JSON.stringify({
      terraform: { backend: { local: { path: join(work, "team-gone-dev.tfstate") } } },
      variable: {
        landing_zone_role_name: {
          type: "string",
          default: "OrganizationAccountAccessRole",
          validation: [
            {
              condition:
                '${contains(["OrganizationAccountAccessRole","LandingZonePlan"], var.landing_zone_role_name)}',
              error_message: "landing_zone_role_name must be one of the two roles.",
            },
          ],
        },
      },
      resource: { terraform_data: { marker: { input: "team gone" } } },
    }),
  );
  terraform(["init", "-input=false", "-no-color"]);
  terraform(["apply", "-input=false", "-no-color", "-auto-approve"]);
});
afterAll(() => removeDir(work));

test("without the plan review's redaction it writes nothing", () => {
  const r = planDestroy("plan", ["team-gone-dev"]);
  expect(r.code).toBe(4);
  expect(r.stderr).toContain("build/cli/plan-review/redact.js");
  expect(existsSync(join(stackDir(), "plan.json"))).toBe(false);
});

test("plans the destroy of what the state holds, with the stack's plan role, redacted", () => {
  mkdirSync(join(work, "build", "cli", "plan-review"), { recursive: true });
  writeFileSync(
    join(work, "build", "cli", "plan-review", "redact.js"),
    "exports.redactPlan = (plan) => ({ ...plan, redacted: true });\n",
  );
  const r = planDestroy("plan", ["team-gone-dev"]);
  expect([r.code, r.stderr]).toEqual([
    0,
    expect.stringContaining("team-gone-dev: planned its destroy"),
  ]);
  const plan = JSON.parse(readFileSync(join(stackDir(), "plan.json"), "utf8"));
  expect(plan.redacted).toBe(true);
  expect(
    plan.resource_changes.map((c: { address: string; change: { actions: string[] } }) => [
      c.address,
      c.change.actions,
    ]),
  ).toEqual([["terraform_data.marker", ["delete"]]]);
  expect(plan.variables.landing_zone_role_name.value).toBe("LandingZonePlan");
  expect(existsSync(join(stackDir(), "tfplan"))).toBe(true);
});

test("a stack the base did not synthesize is named as failed, the others still planned", () => {
  const r = planDestroy("apply", ["team-missing-dev", "team-gone-dev"]);
  expect(r.code).toBe(4);
  expect(r.stderr).toContain(
    "team-missing-dev: the destroy plan failed (synth (the base did not synthesize it))",
  );
  expect(r.stderr).toContain("team-gone-dev: planned its destroy");
  const plan = JSON.parse(readFileSync(join(stackDir(), "plan.json"), "utf8"));
  expect(plan.variables.landing_zone_role_name.value).toBe("OrganizationAccountAccessRole");
});

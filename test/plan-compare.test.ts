// `plan-summary --compare <reviewed> <new>`: the apply's gate that what it applies is what was
// reviewed, and the redaction that lets plan.json be uploaded (sensitive values become digests
// that still compare).
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as planSummaryMain } from "../cli/plan-summary";
import { redactPlan } from "../cli/plan-review/redact";
import { runCommand } from "./cli";
import { removeDir, REPO } from "./helpers";

const TEAM = join(REPO, "test/fixtures/plans/team-payments-prod.json");
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Plan = any;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "lz-compare-"));
});
afterEach(() => removeDir(dir));

const team = (): Plan => JSON.parse(readFileSync(TEAM, "utf8"));
const write = (name: string, plan: Plan) => {
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(plan));
  return file;
};
const change = (plan: Plan, type: string): Plan =>
  plan.resource_changes.find((c: Plan) => c.type === type);
const compare = (reviewed: Plan, fresh: Plan) =>
  runCommand(planSummaryMain, [
    "--compare",
    write("reviewed.json", reviewed),
    write("new.json", fresh),
  ]);

test("the same plan: exit 0", () => {
  const r = compare(team(), team());
  expect(r.code).toBe(0);
  expect(r.stderr).toBe("");
  expect(r.stdout).toMatch(
    /new\.json makes the same changes as the reviewed .*reviewed\.json\.\n$/,
  );
});

test("values only the apply knows, refreshed state and drift may differ: exit 0", () => {
  const fresh = team();
  // A computed value known in one plan and unknown in the other (after_unknown).
  const lambda = change(fresh, "aws_lambda_function");
  lambda.change.after.version = "8";
  lambda.change.after_unknown.version = true;
  // An unchanged resource whose refreshed values moved, and drift that changes no action.
  change(fresh, "aws_sqs_queue").change.after.visibility_timeout_seconds = 900;
  fresh.resource_drift = [];
  fresh.prior_state = { format_version: "1.0", values: {} };
  const r = compare(team(), fresh);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
});

test("an extra resource, a changed action and a changed planned value: exit 3, one line each", () => {
  const fresh = team();
  fresh.resource_changes.push({
    address: "aws_sqs_queue.extra",
    mode: "managed",
    type: "aws_sqs_queue",
    name: "extra",
    change: { actions: ["create"], before: null, after: { name: "x" }, after_unknown: {} },
  });
  change(fresh, "aws_cloudwatch_log_group").change.actions = ["delete", "create"];
  change(fresh, "aws_lambda_function").change.after.memory_size = 3008;
  const r = compare(team(), fresh);
  expect(r.code).toBe(3);
  expect(r.stdout).toBe("");
  expect(r.stderr.trim().split("\n")).toEqual([
    "aws_cloudwatch_log_group.service_api-function_logs_1402CF7C: actions differ (reviewed update, new delete,create)",
    "aws_lambda_function.service_api-function_6E6E106F: planned value differs at memory_size",
    "aws_sqs_queue.extra: only in the new plan (create)",
    expect.stringMatching(
      /^--compare: .*new\.json differs from the reviewed .*reviewed\.json in 3 change\(s\); do not apply it: review the new plan$/,
    ),
  ]);
});

test("a changed sensitive value: the redacted digests differ (exit 3), and neither value is printed", () => {
  const withSecret = (secret: string) => {
    const plan = team();
    const c = change(plan, "aws_lambda_function").change;
    c.after.environment = [{ variables: { TOKEN: secret } }];
    c.after_sensitive.environment = [{ variables: { TOKEN: true } }];
    return redactPlan(plan);
  };
  const same = compare(withSecret("s3cret-one"), withSecret("s3cret-one"));
  expect(same.code).toBe(0);
  const r = compare(withSecret("s3cret-one"), withSecret("s3cret-two"));
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(
    /^aws_lambda_function\.service_api-function_6E6E106F: planned value differs at environment\[0\]\.variables\.TOKEN$/m,
  );
  expect(r.stderr).not.toMatch(/s3cret/);
  expect(JSON.stringify(withSecret("s3cret-one"))).not.toMatch(/s3cret/);
});

test("a resource removed from the new plan: exit 3", () => {
  const fresh = team();
  fresh.resource_changes = fresh.resource_changes.filter((c: Plan) => c.type !== "aws_s3_bucket");
  const r = compare(team(), fresh);
  expect(r.code).toBe(3);
  expect(r.stderr).toMatch(
    /^aws_s3_bucket\.exports_bucket_3F8A21C9: only in the reviewed plan \(delete\)$/m,
  );
});

test("a malformed plan: exit 2, file: JSON path: problem; one plan only: exit 2", () => {
  const broken = team();
  broken.resource_changes[0].change.actions = "update";
  const r = compare(team(), broken);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /new\.json: resource_changes\[0\]\.change\.actions: must be an array \(got "update"\)$/m,
  );
  const one = runCommand(planSummaryMain, ["--compare", write("a.json", team())]);
  expect(one.code).toBe(2);
  expect(one.stderr).toMatch(/^--compare takes two plans, the reviewed one and the new one$/m);
});

describe("redaction", () => {
  const plan = (): Plan => ({
    format_version: "1.2",
    variables: { db: { value: "var-secret" }, region: { value: "eu-west-1" } },
    planned_values: {
      outputs: { token: { sensitive: true, value: "out-secret" } },
      root_module: {
        resources: [
          {
            address: "a.b",
            values: { password: "pv-secret", name: "n" },
            sensitive_values: { password: true },
          },
        ],
      },
    },
    resource_changes: [
      {
        address: "a.b",
        mode: "managed",
        type: "a",
        name: "b",
        change: {
          actions: ["update"],
          before: { password: "old-secret", name: "n" },
          after: { password: "new-secret", name: "n" },
          after_unknown: {},
          before_sensitive: { password: true },
          after_sensitive: { password: true },
        },
      },
    ],
    output_changes: {
      token: {
        actions: ["update"],
        before: "x-secret",
        after: "out-secret",
        before_sensitive: true,
        after_sensitive: true,
      },
    },
    prior_state: {
      values: {
        root_module: {
          resources: [{ values: { password: "old-secret" }, sensitive_values: { password: true } }],
        },
      },
    },
    configuration: { root_module: { variables: { db: { sensitive: true } } } },
  });

  test("no sensitive value is left, the rest is untouched, the same value gives the same digest", () => {
    const out = JSON.stringify(redactPlan(plan(), undefined));
    expect(out).not.toMatch(/secret/);
    expect(out).toContain('"name":"n"');
    expect(out).toContain('"region":{"value":"eu-west-1"}');
    expect(out).not.toContain('"configuration"');
    expect(JSON.stringify(redactPlan(plan(), undefined))).toBe(out);
    expect(out).toMatch(/"password":"\(sensitive sha256:[0-9a-f]{64}\)"/);
  });

  test("with a digest key the markers are keyed, and another key gives other markers", () => {
    const a = JSON.stringify(redactPlan(plan(), "key-one"));
    expect(a).toMatch(/"\(sensitive hmac-sha256:[0-9a-f]{64}\)"/);
    expect(JSON.stringify(redactPlan(plan(), "key-two"))).not.toBe(a);
  });
});

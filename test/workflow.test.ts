// The GitHub Actions workflows: valid YAML, every npm script and script they run exists, pull
// requests plan in the shards of `npm run changes` and post one sticky comment, the merge destroys
// removed stacks then applies phase by phase what was reviewed, and records the last applied commit;
// the drift workflow runs daily. (actionlint checks them in .ci/run.)
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { deployPhases } from "../stacks/graph";
import { REPO, EXAMPLE_ACCOUNTS } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const read = (path: string) => {
  const text = readFileSync(join(REPO, path), "utf8");
  return { text, yaml: parse(text, { uniqueKeys: true }) as Json };
};
const { text, yaml: workflow } = read(".github/workflows/landing-zone.yml");
const apply = read(".github/workflows/landing-zone-apply.yml").yaml;
const drift = read(".github/workflows/landing-zone-drift.yml").yaml;
const setup = read(".github/actions/setup/action.yml").yaml;
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Json).scripts,
);
const jobsOf = (w: Json) => Object.values(w.jobs as Record<string, Json>);
const stepsOf = (w: Json) => jobsOf(w).flatMap((job) => (job.steps ?? []) as Json[]);
const allSteps = [...stepsOf(workflow), ...stepsOf(apply), ...stepsOf(drift), ...setup.runs.steps];
const runs: string[] = allSteps.filter((s) => s.run).map((s) => s.run as string);
const runOf = (job: Json) => (job.steps as Json[]).map((s) => s.run ?? "").join("\n");

test("is valid YAML with the triggers of a plan/apply pipeline; labels re-run the gate", () => {
  expect(workflow.on).toEqual({
    pull_request: { types: ["opened", "synchronize", "reopened", "labeled", "unlabeled"] },
    push: { branches: ["main"] },
  });
  expect(workflow.permissions).toEqual({ contents: "read" });
  // A label other than allow-destroy re-plans nothing.
  expect(workflow.jobs.changes.if).toContain("github.event.label.name == 'allow-destroy'");
  expect(workflow.concurrency.group).toContain("github.event.label.name != 'allow-destroy'");
  expect(workflow.concurrency["cancel-in-progress"]).toBe(
    "${{ github.event_name == 'pull_request' }}",
  );
});

test("every npm script and every script under scripts/ci it runs exists", () => {
  const used = runs.flatMap((r) =>
    [...r.matchAll(/npm run (?:--silent )?([a-z][a-z0-9:-]*)/g)].map((m) => m[1]),
  );
  expect(new Set(used)).toEqual(
    new Set([
      "validate",
      "diagram",
      "lock",
      "synth",
      "applied",
      "changes",
      "plan-summary",
      "drift",
    ]),
  );
  for (const name of used.filter((n) => n !== "drift")) expect(scripts).toContain(name);
  const files = runs.flatMap((r) => [...r.matchAll(/scripts\/ci\/[\w.-]+/g)].map((m) => m[0]));
  expect(files.length).toBeGreaterThan(5);
  for (const f of files) expect([f, existsSync(join(REPO, f))]).toEqual([f, true]);
});

test("every action is pinned to a major version, or is this repository's setup", () => {
  const uses = [
    ...allSteps.filter((s) => s.uses).map((s) => s.uses as string),
    ...jobsOf(workflow)
      .filter((j) => j.uses)
      .map((j) => j.uses as string),
  ];
  expect(uses.length).toBeGreaterThan(0);
  for (const u of uses)
    expect(u).toMatch(
      /^([\w-]+\/[\w-]+@v\d+|\.\/\.github\/(actions\/setup|workflows\/[\w-]+\.yml))$/,
    );
});

test("pull requests: a plan job per shard of npm run changes with the plan role, one sticky comment", () => {
  const { changes, plan, comment } = workflow.jobs;
  expect(runOf(changes)).toContain(
    'npm run --silent changes -- --base "$RUNNER_TEMP/base/cdktf.out" > changes.json',
  );
  expect(plan.strategy.matrix.shard).toBe("${{ fromJSON(needs.changes.outputs.jobs) }}");
  expect(plan.strategy["fail-fast"]).toBe(false);
  expect(plan.if).toContain("github.event_name == 'pull_request'");
  expect(runOf(plan)).toContain('scripts/ci/plan-shard.sh "$KIND" plan');
  const creds = (plan.steps as Json[]).find((s) => s.uses?.startsWith("aws-actions/"))!;
  expect(creds.with["role-to-assume"]).toBe("${{ vars.LZ_PLAN_ROLE_ARN }}");
  const upload = (plan.steps as Json[]).find((s) => s.uses === "actions/upload-artifact@v4")!;
  expect(upload.with["retention-days"]).toBeLessThanOrEqual(7);
  // The comment also when some plans failed, naming them; found by its marker, not --edit-last.
  expect(comment.if).toContain("always()");
  expect(comment.needs).toEqual(["changes", "plan"]);
  expect(comment.permissions["pull-requests"]).toBe("write");
  const commentRuns = runOf(comment);
  expect(commentRuns).toContain("--failed");
  expect(commentRuns).toContain("--format markdown > comment.md");
  expect(commentRuns).toContain("scripts/ci/sticky-comment.sh");
  expect(commentRuns).toContain("--fail-on destroy");
  expect(text).not.toContain("--edit-last");
  expect(readFileSync(join(REPO, "scripts/ci/sticky-comment.sh"), "utf8")).toContain(
    "<!-- landing-zone-plan -->",
  );
});

test("merge: destroys latest phase first, then applies phase by phase, each after the earlier ones", () => {
  const jobs = workflow.jobs as Record<string, Json>;
  const graph = deployPhases(
    planStacks(loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO })),
  );
  const order = [
    ...graph.map((_, i) => `destroy-phase-${graph.length - i}`),
    ...graph.map((_, i) => `apply-phase-${i + 1}`),
  ];
  expect(Object.keys(jobs).filter((n) => /^(destroy|apply)-phase-/.test(n))).toEqual(order);
  order.forEach((name, i) => {
    const job = jobs[name];
    const [kind, n] = [name.startsWith("destroy") ? "destroy" : "apply", name.split("-").pop()];
    expect(job.uses).toBe("./.github/workflows/landing-zone-apply.yml");
    // A skipped phase (nothing to do there) must not skip the next one; a failed one must.
    expect(job.if).toContain("!failure()");
    expect(job.if).toContain("github.event_name == 'push'");
    expect(job.if).toContain(`needs.changes.outputs.${kind}${n} != '[]'`);
    expect(job.needs).toEqual(["changes", ...order.slice(0, i)]);
    expect(job.with.shards).toBe(`\${{ needs.changes.outputs.${kind}${n} }}`);
    expect(job.with.kind).toBe(kind === "destroy" ? "destroy" : "change");
  });
  // The phases come from the graph at run time; the job count is checked against it there too.
  expect(runOf(jobs.changes)).toContain(`jobs=${graph.length}`);
  // The diff is against the last applied commit, recorded only after every phase.
  expect(runOf(jobs.changes)).toContain("npm run --silent applied");
  expect(text).not.toContain("github.event.before");
  expect(jobs.record.needs).toEqual(["changes", ...order]);
  expect(jobs.record.if).toContain("!failure() && !cancelled()");
  expect(jobs.record.permissions).toEqual({ contents: "write" });
  expect(runOf(jobs.record)).toContain('npm run applied -- --record "$GITHUB_SHA"');
});

test("an apply shard runs in the protected environment with the apply role, exactly as reviewed", () => {
  expect(Object.keys(apply.on)).toEqual(["workflow_call"]);
  const job = apply.jobs.apply;
  expect(job.environment).toBe("landing-zone-apply");
  expect(job.strategy.matrix.shard).toBe("${{ fromJSON(inputs.shards) }}");
  const creds = (job.steps as Json[]).find((s) => s.uses?.startsWith("aws-actions/"))!;
  expect(creds.with["role-to-assume"]).toBe("${{ vars.LZ_APPLY_ROLE_ARN }}");
  expect(runOf(job)).toContain('scripts/ci/apply-shard.sh "$KIND" "$BASE"');
  const script = readFileSync(join(REPO, "scripts/ci/apply-shard.sh"), "utf8");
  expect(script).toContain('plan-summary -- --compare "$reviewed" "$new"');
  expect(script).toContain("allow-destroy");
  expect(script).toContain("no reviewed plan");
});

test("drift: daily and on demand, every stack in shards with the plan role, one issue", () => {
  expect(Object.keys(drift.on)).toEqual(["schedule", "workflow_dispatch"]);
  expect(drift.on.schedule).toHaveLength(1);
  expect(drift.concurrency.group).not.toBe("landing-zone-apply");
  expect(runOf(drift.jobs.shards)).toContain("npm run --silent changes -- --base");
  expect(drift.jobs.drift.strategy.matrix.shard).toBe("${{ fromJSON(needs.shards.outputs.jobs) }}");
  expect(runOf(drift.jobs.drift)).toContain("npm run --silent drift -- --stacks");
  expect(runOf(drift.jobs.drift)).toContain("--role plan");
  expect(drift.jobs.issue.permissions.issues).toBe("write");
  expect(runOf(drift.jobs.issue)).toContain("scripts/ci/drift-issue.sh");
});

test("one switch selects Terraform or OpenTofu everywhere", () => {
  for (const w of [workflow, apply, drift]) {
    expect(w.env.TERRAFORM_BINARY_NAME).toBe(
      "${{ vars.LZ_IAC_BINARY == 'tofu' && 'tofu' || 'terraform' }}",
    );
    for (const job of jobsOf(w)) {
      const steps = (job.steps ?? []) as Json[];
      // Every job that runs Terraform (or OpenTofu): the plan and apply shards, drift, synth, lock.
      const tf = /scripts\/ci\/(plan|apply)-shard|npm run (--silent )?(drift|synth|lock)/;
      if (!steps.some((s) => tf.test(s.run ?? ""))) continue;
      const uses = steps.find((s) => s.uses === "./.github/actions/setup");
      expect(uses?.with["iac-binary"]).toBe("${{ vars.LZ_IAC_BINARY }}");
    }
  }
  const ifs = (setup.runs.steps as Json[]).filter((s) =>
    /setup-(terraform|opentofu)/.test(s.uses ?? ""),
  );
  expect(ifs.map((s) => s.if)).toEqual([
    "inputs.iac-binary != 'tofu'",
    "inputs.iac-binary == 'tofu'",
  ]);
});

test("providers: the committed lock file is checked, and one plugin cache serves every init", () => {
  expect(workflow.env.TF_PLUGIN_CACHE_DIR).toBe("${{ github.workspace }}/.terraform-plugin-cache");
  expect(runs).toContain("npm run lock -- --check");
  const cache = (setup.runs.steps as Json[]).find((s) => s.uses === "actions/cache@v4");
  expect(cache?.with).toEqual({
    path: "${{ env.TF_PLUGIN_CACHE_DIR }}",
    key: "${{ inputs.iac-binary || 'terraform' }}-providers-${{ runner.os }}-${{ hashFiles('.terraform.lock.hcl') }}",
  });
});

test("the guard holds the lifecycle against the merge base; the diff is against the last applied commit", () => {
  const steps = workflow.jobs.changes.steps as Json[];
  const validate = steps.find((s) => /npm run validate/.test(s.run ?? ""))!;
  expect(validate.run).toContain('npm run validate -- --base "$BASE"');
  expect(validate.env.BASE).toBe("${{ steps.base.outputs.guard }}");
  const base = steps.find((s) => s.id === "base")!;
  expect(base.run).toContain('guard=$(git merge-base HEAD "$PR_BASE")');
  // The stacks are diffed against the last applied commit, a pull request's when its merge base has it.
  expect(base.run).toContain("applied=$(npm run --silent applied)");
  expect(base.run).toContain('git merge-base --is-ancestor "$applied" "$guard"');
  // The merge base and the tag need the history: the checkout fetches all of it.
  expect(steps[0].with["fetch-depth"]).toBe(0);
});

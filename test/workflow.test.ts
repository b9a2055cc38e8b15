// The GitHub Actions template: valid YAML, every npm script it runs exists, plans per stack in
// parallel on pull requests, applies in the phases of the stack graph on merge.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { deployPhases } from "../stacks/graph";
import { REPO, EXAMPLE_ACCOUNTS } from "./helpers";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

const text = readFileSync(join(REPO, ".github/workflows/landing-zone.yml"), "utf8");
const workflow = parse(text, { uniqueKeys: true }) as Json;
const scripts = Object.keys(
  (JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as Json).scripts,
);
const runs: string[] = Object.values(workflow.jobs as Record<string, Json>).flatMap((job) =>
  (job.steps as Json[]).filter((s) => s.run).map((s) => s.run as string),
);

test("is valid YAML with the triggers of a plan/apply pipeline", () => {
  expect(workflow.on).toEqual({ pull_request: null, push: { branches: ["main"] } });
  expect(workflow.permissions).toEqual({ contents: "read" });
});

test("every npm script it runs exists in package.json", () => {
  const used = runs.flatMap((r) =>
    [...r.matchAll(/npm run (?:--silent )?([a-z][a-z0-9:-]*)/g)].map((m) => m[1]),
  );
  expect(new Set(used)).toEqual(
    new Set(["validate", "diagram", "lock", "synth", "plan", "plan-summary"]),
  );
  for (const name of used) expect(scripts).toContain(name);
});

test("every action is pinned to a major version", () => {
  const uses = Object.values(workflow.jobs as Record<string, Json>).flatMap((job) =>
    (job.steps as Json[]).filter((s) => s.uses).map((s) => s.uses as string),
  );
  expect(uses.length).toBeGreaterThan(0);
  for (const u of uses) expect(u).toMatch(/^[\w-]+\/[\w-]+@v\d+$/);
});

test("pull requests: one plan job per changed stack, then one comment with every summary", () => {
  const { plan, comment } = workflow.jobs;
  expect(plan.strategy.matrix.stack).toBe("${{ fromJSON(needs.changes.outputs.all) }}");
  expect(plan.strategy["fail-fast"]).toBe(false);
  expect(plan.if).toContain("github.event_name == 'pull_request'");
  expect(plan.steps.map((s: Json) => s.run).join("\n")).toContain(
    'npm run --silent plan -- "${{ matrix.stack }}" --format markdown',
  );
  expect(comment.needs).toEqual(["changes", "plan"]);
  expect(comment.permissions["pull-requests"]).toBe("write");
  const commentRuns = comment.steps.map((s: Json) => s.run ?? "").join("\n");
  expect(commentRuns).toContain("npm run --silent plan-summary --");
  expect(commentRuns).toContain("--fail-on destroy");
});

test("merge: one apply job per phase of the stack graph, each after the earlier ones", () => {
  const jobs = workflow.jobs as Record<string, Json>;
  const phaseJobs = Object.keys(jobs).filter((name) => name.startsWith("apply-phase-"));
  const graph = deployPhases(
    planStacks(loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO })),
  );
  expect(phaseJobs).toEqual(graph.map((_, i) => `apply-phase-${i + 1}`));
  phaseJobs.forEach((name, i) => {
    const job = jobs[name];
    expect(job.if).toContain("github.event_name == 'push'");
    // A skipped phase (nothing changed there) must not skip the next one; a failed one must.
    expect(job.if).toContain("!failure()");
    expect(job.if).toContain(`needs.changes.outputs.phase${i + 1} != '[]'`);
    expect(job.needs).toEqual(["changes", ...phaseJobs.slice(0, i)]);
    expect(job.environment).toBe("landing-zone-apply");
    expect(job.strategy.matrix.stack).toBe(`\${{ fromJSON(needs.changes.outputs.phase${i + 1}) }}`);
    const run = job.steps.map((s: Json) => s.run ?? "").join("\n");
    expect(run).toContain('npm run plan -- "${{ matrix.stack }}"');
    expect(run).toMatch(/apply -input=false tfplan/);
  });
  // The phases come from the graph at run time; the job count is checked against it there too.
  const changes = (jobs.changes.steps as Json[]).find((s) => s.id === "changed")!.run as string;
  expect(changes).toContain("npm run --silent validate -- --graph --format json > graph.json");
  expect(changes).toContain(`jobs=${phaseJobs.length}`);
  expect(Object.keys(jobs.changes.outputs)).toEqual([
    "all",
    ...phaseJobs.map((_, i) => `phase${i + 1}`),
  ]);
  expect(text).not.toMatch(/CORE_ORDER|log-archive organization-trail/);
  expect(workflow.concurrency["cancel-in-progress"]).toBe(
    "${{ github.event_name == 'pull_request' }}",
  );
});

test("providers: the committed lock file is checked, and one plugin cache serves every init", () => {
  expect(workflow.env.TF_PLUGIN_CACHE_DIR).toBe("${{ github.workspace }}/.terraform-plugin-cache");
  expect(runs).toContain("npm run lock -- --check");
  const jobs = workflow.jobs as Record<string, Json>;
  for (const [name, job] of Object.entries(jobs)) {
    const steps = job.steps as Json[];
    if (!steps.some((s) => /npm run (--silent )?plan --/.test(s.run ?? ""))) continue;
    const cache = steps.find((s) => s.uses === "actions/cache@v4");
    expect([name, cache?.with]).toEqual([
      name,
      {
        path: "${{ env.TF_PLUGIN_CACHE_DIR }}",
        key: "terraform-providers-${{ runner.os }}-${{ hashFiles('.terraform.lock.hcl') }}",
      },
    ]);
  }
});

test("validation holds the lifecycle against the merge base with the target branch", () => {
  const validate = (workflow.jobs.changes.steps as Json[]).find((s) =>
    /npm run validate/.test(s.run ?? ""),
  )!;
  expect(validate.run).toContain('npm run validate -- --base "$(git merge-base HEAD "$BASE")"');
  expect(validate.env.BASE).toBe(
    "${{ github.event.pull_request.base.sha || github.event.before }}",
  );
  // The merge base needs the history: the checkout fetches all of it.
  expect(workflow.jobs.changes.steps[0].with["fetch-depth"]).toBe(0);
});

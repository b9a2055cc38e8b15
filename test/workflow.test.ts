// The GitHub Actions template: valid YAML, every npm script it runs exists, plans per stack in
// parallel on pull requests, applies in dependency order on merge.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
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
  expect(new Set(used)).toEqual(new Set(["validate", "diagram", "synth", "plan", "plan-summary"]));
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

test("merge: organization, then core accounts in deploy order, then team accounts", () => {
  const { "apply-organization": org, "apply-core": core, "apply-teams": teams } = workflow.jobs;
  for (const job of [org, core, teams]) {
    expect(job.if).toContain("github.event_name == 'push'");
    expect(job.environment).toBe("landing-zone-apply");
    expect(job.steps.map((s: Json) => s.run ?? "").join("\n")).toMatch(/apply -input=false tfplan/);
  }
  expect(core.needs).toContain("apply-organization");
  expect(teams.needs).toEqual(expect.arrayContaining(["apply-organization", "apply-core"]));
  // A skipped upstream (nothing changed there) must not skip the next phase; a failed one must.
  expect(core.if).toContain("!failure()");
  expect(teams.if).toContain("!failure()");
  // Core stacks one after the other, in the deploy order the rehearsal applies.
  expect(core.strategy).toBeUndefined();
  expect(core.env.CHANGED).toBe("${{ needs.changes.outputs.core }}");
  const order = planStacks(loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO }))
    .map((p) => p.id)
    .filter((id) => id !== "organization" && !isTeamPhase(id));
  expect(core.env.CORE_ORDER.split(" ")).toEqual(order);
  expect(order).toContain("access");
  expect(core.steps.map((s: Json) => s.run ?? "").join("\n")).toContain("for stack in $CORE_ORDER");
  expect(teams.strategy.matrix.stack).toBe("${{ fromJSON(needs.changes.outputs.teams) }}");
  expect(workflow.concurrency["cancel-in-progress"]).toBe(
    "${{ github.event_name == 'pull_request' }}",
  );
});

/** What the workflow's jq puts in the team phase: team stacks and each team's access stack. */
const isTeamPhase = (id: string) => id.startsWith("team-") || id.startsWith("access-");

test("the changed stacks split: access-<team> with the teams (after access), access with the core", () => {
  const changes = (workflow.jobs.changes.steps as Json[]).find((s) => s.id === "changed")!
    .run as string;
  const team = /team='([^']+)'/.exec(changes)![1];
  expect(team).toBe('startswith("team-") or (startswith("access-"))');
  const ids = planStacks(loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO })).map(
    (p) => p.id,
  );
  expect(ids.filter(isTeamPhase)).toEqual(
    expect.arrayContaining([
      "access-catalog",
      "access-notifications",
      "access-payments",
      "team-payments-dev",
    ]),
  );
  expect(isTeamPhase("access")).toBe(false);
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

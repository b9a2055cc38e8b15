// The deploy order is data: every stack names what it needs applied first, manifest.json carries it
// for the cdktf CLI, `npm run validate -- --graph` prints it, and synthesis leaves Terraform's working
// files in a stack folder alone.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { graphJson, renderGraph } from "../cli/graph";
import { main as validate } from "../cli/validate";
import { rehearsedStacks } from "../cli/rehearse";
import { renderTimings, runGraph, Slots } from "../cli/rehearsal/schedule";
import { loadLandingZone } from "../config/load";
import { planStacks, selectStacks } from "../stacks";
import { chainBehind, deployPhases, withNeeds, type GraphNode } from "../stacks/graph";
import { lockFileProblem, readLockFile } from "../stacks/provider-lock";
import { synthesize } from "../stacks/synth";
import { runCommand } from "./cli";
import { EXAMPLE_ACCOUNTS, REPO, removeDir, synthAccounts } from "./helpers";

const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
const plans = planStacks(lz);
const ids = (list: { id: string }[]) => list.map((p) => p.id);

test("every stack's needs name stacks of the configuration, each with a reason", () => {
  const known = new Set(ids(plans));
  for (const p of plans) {
    for (const n of p.needs) {
      expect(known).toContain(n.stack);
      expect(n.why.length).toBeGreaterThan(10);
    }
  }
});

test("the example applies in four phases; a phase needs only earlier ones", () => {
  const phases = deployPhases(plans).map(ids);
  expect(phases).toEqual([
    ["organization"],
    ["log-archive", "access"],
    [
      "organization-trail",
      "security",
      "observability",
      "access-catalog",
      "access-notifications",
      "access-payments",
      "access-reporting",
    ],
    [
      "team-catalog-dev",
      "team-catalog-prod",
      "team-catalog-staging",
      "team-notifications-dev",
      "team-notifications-prod",
      "team-payments-dev",
      "team-payments-prod",
      "team-reporting-dev",
      "team-reporting-staging",
    ],
  ]);
  const phaseOf = new Map(phases.flatMap((ph, i) => ph.map((id) => [id, i] as const)));
  for (const p of plans) {
    for (const n of p.needs) expect(phaseOf.get(n.stack)!).toBeLessThan(phaseOf.get(p.id)!);
  }
});

test("a selection is ordered among itself: needs outside it count as applied", () => {
  const subset = selectStacks(plans, "organization-trail,team-payments-dev,observability");
  expect(deployPhases(subset).map(ids)).toEqual([
    ["organization-trail", "observability"],
    ["team-payments-dev"],
  ]);
});

test("a cycle is named, not looped over", () => {
  const node = (id: string, need: string): GraphNode => ({
    id,
    kind: id,
    needs: [{ stack: need, why: "test" }],
  });
  expect(() => deployPhases([node("a", "b"), node("b", "c"), node("c", "a")])).toThrow(
    "the stacks' needs form a cycle: a → b → c → a",
  );
});

test("a stack with what it needs: the rehearsal takes team-payments-dev with its needs", () => {
  const selected = selectStacks(plans, "team-payments-dev");
  expect(withNeeds(plans, selected).added).toEqual([
    "organization",
    "log-archive",
    "observability",
  ]);
  expect(ids(rehearsedStacks(plans, "team-payments-dev"))).toEqual([
    "organization",
    "log-archive",
    "observability",
    "team-payments-dev",
  ]);
  expect(ids(rehearsedStacks(plans, "access-payments"))).toEqual([
    "organization",
    "access",
    "access-payments",
  ]);
  expect(rehearsedStacks(plans, undefined)).toEqual(plans);
});

test("an account that keeps its own Config recorder does not wait for the log archive bucket", () => {
  const security = plans.find((p) => p.id === "security")!;
  expect(security.needs.map((n) => n.stack)).toEqual(["organization", "log-archive"]);
  const withExisting = planStacks({
    ...lz,
    coreAccounts: {
      ...lz.coreAccounts,
      security: { ...lz.coreAccounts.security, configRecorder: "existing" },
    },
  });
  expect(withExisting.find((p) => p.id === "security")!.needs.map((n) => n.stack)).toEqual([
    "organization",
  ]);
});

describe("manifest.json", () => {
  const out = synthAccounts();
  const manifest = JSON.parse(readFileSync(join(out.outdir, "manifest.json"), "utf8"));

  test("carries every stack's dependencies, which the cdktf CLI deploys by", () => {
    expect(Object.keys(manifest.stacks)).toHaveLength(plans.length);
    for (const p of plans) {
      expect(manifest.stacks[p.id].dependencies).toEqual(p.needs.map((n) => n.stack));
    }
    expect(manifest.stacks["team-payments-prod"].dependencies).toEqual([
      "organization",
      "log-archive",
      "observability",
    ]);
    expect(manifest.stacks.organization.dependencies).toEqual([]);
  });

  test("the cdktf CLI's scheduler starts a stack only after its dependencies: the phases", () => {
    // @cdktf/cli-core's getStackWithNoUnmetDependencies: a pending stack whose every dependency
    // is done runs next, so `cdktf deploy '*'` applies phase by phase.
    const { getStackWithNoUnmetDependencies } =
      require("@cdktf/cli-core/src/lib/helpers/stack-helpers") as {
        getStackWithNoUnmetDependencies(e: unknown[]): Promise<Executor | undefined>;
      };
    interface Executor {
      stack: { name: string; dependencies: string[] };
      currentState: string;
      isPending: boolean;
    }
    const executors: Executor[] = Object.entries(
      manifest.stacks as Record<string, { dependencies: string[] }>,
    ).map(([name, s]) => ({
      stack: { name, dependencies: s.dependencies },
      currentState: "pending",
      isPending: true,
    }));
    const order: string[] = [];
    return (async () => {
      for (let next = await getStackWithNoUnmetDependencies(executors); next;) {
        order.push(next.stack.name);
        Object.assign(next, { currentState: "done", isPending: false });
        next = await getStackWithNoUnmetDependencies(executors);
      }
      expect(order).toHaveLength(plans.length);
      const position = new Map(order.map((id, i) => [id, i]));
      for (const p of plans) {
        for (const n of p.needs) expect(position.get(n.stack)!).toBeLessThan(position.get(p.id)!);
      }
    })();
  });
});

test("--graph at 1,000 teams stays one screen; JSON lists every stack", () => {
  const teams = Array.from({ length: 1000 }, (_, i) => `t${i}`);
  const core = plans.filter((p) => !p.id.startsWith("team-") && !p.id.startsWith("access-"));
  const teamNeeds = plans.find((p) => p.id === "team-payments-dev")!.needs;
  const accessNeeds = plans.find((p) => p.id === "access-payments")!.needs;
  const big: GraphNode[] = [
    ...core,
    ...teams.flatMap((t) =>
      ["dev", "prod"].map((e) => ({
        id: `team-${t}-${e}`,
        kind: "team-<team>-<env>",
        needs: teamNeeds,
      })),
    ),
    ...teams.map((t) => ({ id: `access-${t}`, kind: "access-<team>", needs: accessNeeds })),
  ];
  const text = renderGraph(big);
  expect(text.split("\n").length).toBeLessThan(20);
  expect(text).toContain("Deploy order: 3,006 stacks in 4 phases");
  expect(text).toContain(
    "phase 3 (1,003 stacks): organization-trail, security, observability, access-<team> ×1,000",
  );
  expect(text).toContain("phase 4 (2,000 stacks): team-<team>-<env> ×2,000");
  const json = graphJson(big);
  expect(json.phases.flat()).toHaveLength(3006);
  expect(json.needs["team-t999-prod"]).toEqual(["organization", "log-archive", "observability"]);
});

// validate's entry point runs in this process (runCommand): the test is about what it prints.
test("npm run validate -- --graph prints the order; --format json for machines", () => {
  const env = { LZ_ACCOUNTS_DIR: EXAMPLE_ACCOUNTS };
  const text = runCommand(validate, ["--graph"], { env });
  expect(text.code).toBe(0);
  expect(text.stdout).toBe(`${renderGraph(plans)}\n`);
  expect(text.stdout).toContain("  phase 2 (2 stacks): log-archive, access\n");
  const json = runCommand(validate, ["--graph", "--format", "json"], { env });
  expect(json.code).toBe(0);
  expect(JSON.parse(json.stdout)).toEqual(graphJson(plans));
  // Without --graph, --format json is the validation document, whose stacks carry their needs too.
  const validation = runCommand(validate, ["--format", "json"], { env });
  expect(validation.code).toBe(0);
  const doc = JSON.parse(validation.stdout);
  expect(doc.stacks).toEqual(plans.map((p) => ({ id: p.id, needs: p.needs.map((n) => n.stack) })));
});

describe("synthesis keeps Terraform's working files", () => {
  test("a re-synth replaces cdk.tf.json and assets/, and leaves .terraform/, plans and state", () => {
    const out = synthAccounts(undefined, "team-payments-dev");
    const dir = join(out.outdir, "stacks", "team-payments-dev");
    const working = {
      ".terraform/terraform.tfstate": "{}",
      ".terraform.lock.hcl": "# written by terraform init\n",
      tfplan: "plan",
      "plan.json": "{}",
      "rehearsal_override.tf.json": "{}",
    };
    for (const [file, text] of Object.entries(working)) {
      mkdirSync(join(dir, file, ".."), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
    writeFileSync(join(dir, "cdk.tf.json"), "stale");
    mkdirSync(join(dir, "assets", "stale-asset"), { recursive: true });
    try {
      synthesize(selectStacks(plans, "team-payments-dev"), out.outdir, {
        prune: false,
        lockFile: null,
      });
      for (const [file, text] of Object.entries(working)) {
        expect(readFileSync(join(dir, file), "utf8")).toBe(text);
      }
      expect(JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8"))).toEqual(
        out.stack("team-payments-dev"),
      );
      expect(existsSync(join(dir, "assets", "stale-asset"))).toBe(false);
      expect(readdirSync(join(dir, "assets")).length).toBeGreaterThan(0);
      expect(readdirSync(join(out.outdir, "stacks")).filter((e) => e.startsWith("."))).toEqual([]);
    } finally {
      removeDir(join(out.outdir, ".."));
    }
  });

  test("the committed lock file goes into every stack written, replacing what init wrote", () => {
    const out = synthAccounts(undefined, "organization");
    const lock = join(out.outdir, "..", "committed.lock.hcl");
    writeFileSync(lock, LOCK);
    writeFileSync(join(out.outdir, "stacks", "organization", ".terraform.lock.hcl"), "# init's\n");
    try {
      synthesize(selectStacks(plans, "organization,log-archive"), out.outdir, {
        prune: false,
        lockFile: lock,
      });
      for (const id of ["organization", "log-archive"]) {
        expect(readFileSync(join(out.outdir, "stacks", id, ".terraform.lock.hcl"), "utf8")).toBe(
          LOCK,
        );
      }
    } finally {
      removeDir(join(out.outdir, ".."));
    }
  });
});

const LOCK = `# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.25.0"
  constraints = "6.25.0"
  hashes = [
    "h1:AAAA",
    "zh:0000",
  ]
}
`;

test("a lock file is read, and one that does not pin the required version says how to fix it", () => {
  expect(readLockFile(LOCK).get("registry.terraform.io/hashicorp/aws")).toEqual({
    version: "6.25.0",
    constraints: "6.25.0",
    hashes: ["h1:AAAA", "zh:0000"],
  });
  expect(lockFileProblem(LOCK, "6.25.0")).toBeUndefined();
  expect(lockFileProblem(LOCK, "6.26.0")).toBe(
    ".terraform.lock.hcl: pins registry.terraform.io/hashicorp/aws 6.25.0, the stacks require 6.26.0; run npm run lock",
  );
  expect(lockFileProblem("", "6.25.0")).toBe(
    ".terraform.lock.hcl: pins no registry.terraform.io/hashicorp/aws; run npm run lock",
  );
});

test("the rehearsal's time table: per stack and step, slowest first, totals per organization", () => {
  const table = renderTimings(
    [
      { organization: "greenfield", stack: "organization", step: "apply", seconds: 20 },
      { organization: "greenfield", stack: "team-a-dev", step: "apply", seconds: 100 },
      { organization: "greenfield", stack: "team-a-dev", step: "destroy", seconds: 50 },
      { organization: "greenfield", stack: "team-a-dev", step: "quota check", seconds: 5 },
    ],
    { greenfield: 160 },
  ).split("\n");
  expect(table[1].split(/\s+/)).toEqual([
    "organization",
    "stack",
    "init",
    "apply",
    "second",
    "plan",
    "destroy",
    "other",
    "total",
  ]);
  expect(table[2].split(/\s+/)).toEqual([
    "greenfield",
    "team-a-dev",
    "-",
    "100",
    "-",
    "50",
    "5",
    "155",
  ]);
  expect(table[3].split(/\s+/)).toEqual([
    "greenfield",
    "organization",
    "-",
    "20",
    "-",
    "-",
    "-",
    "20",
  ]);
  expect(table[4]).toMatch(/^greenfield\s+all steps \(wall 160 s\)\s+-\s+120\s+-\s+50\s+5\s+175$/);
});

test("command slots: at most n at once, the lowest priority number first", async () => {
  const slots = new Slots(1);
  const started: string[] = [];
  let release!: () => void;
  const first = slots.run(5, () => new Promise<void>((r) => (release = r)));
  const later = [
    slots.run(3, async () => void started.push("phase 3")),
    slots.run(1, async () => void started.push("phase 1")),
  ];
  await Promise.resolve();
  expect(started).toEqual([]);
  release();
  await Promise.all([first, ...later]);
  expect(started).toEqual(["phase 1", "phase 3"]);
});

describe("the rehearsal's schedule follows the graph", () => {
  const graph = (ids: Record<string, string[]>) =>
    Object.entries(ids).map(([id, needs]) => ({
      plan: { id, kind: id, needs: needs.map((stack) => ({ stack, why: "test" })) },
    }));
  const stacks = graph({ org: [], logs: ["org"], obs: ["org", "logs"], team: ["obs"], other: [] });

  test("up after every need is up, down after every dependant is down", async () => {
    const events: string[] = [];
    const step = (name: string) => async (s: { plan: { id: string } }) => {
      events.push(`${name} ${s.plan.id}`);
      await new Promise((r) => setTimeout(r, 1));
    };
    const failures = await runGraph(stacks, {
      prepare: step("prepare"),
      up: step("up"),
      check: step("check"),
      down: step("down"),
    });
    expect(failures).toEqual([]);
    const at = (e: string) => events.indexOf(e);
    for (const s of stacks) {
      expect(at(`check ${s.plan.id}`)).toBeGreaterThan(at(`up ${s.plan.id}`));
      expect(at(`down ${s.plan.id}`)).toBeGreaterThan(at(`check ${s.plan.id}`));
      for (const n of s.plan.needs) {
        expect(at(`up ${s.plan.id}`)).toBeGreaterThan(at(`up ${n.stack}`));
        expect(at(`down ${n.stack}`)).toBeGreaterThan(at(`down ${s.plan.id}`));
      }
    }
    // Independent stacks overlap: `other` is up before the chain has finished.
    expect(at("up other")).toBeLessThan(at("up team"));
  });

  test("a failure stops what needs it, and nothing is destroyed", async () => {
    const events: string[] = [];
    const chain = stacks.filter((s) => s.plan.id !== "other");
    const failures = await runGraph(chain, {
      prepare: async () => undefined,
      up: async (s) => {
        if (s.plan.id === "logs") throw new Error("logs failed");
        events.push(`up ${s.plan.id}`);
      },
      check: async () => undefined,
      down: async (s) => void events.push(`down ${s.plan.id}`),
    });
    expect(failures.map((e) => (e as Error).message)).toEqual(["logs failed"]);
    expect(events).not.toContain("up obs");
    expect(events).not.toContain("up team");
    expect(events.filter((e) => e.startsWith("down"))).toEqual([]);
  });
});

test("the longest chain waiting on each stack: what the rehearsal starts first", () => {
  const behind = chainBehind(plans);
  expect(Object.fromEntries([...behind].filter(([, n]) => n > 0))).toEqual({
    organization: 3,
    "log-archive": 2,
    observability: 1,
    access: 1,
  });
  expect(behind.get("team-payments-prod")).toBe(0);
});

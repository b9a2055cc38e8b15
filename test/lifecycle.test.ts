// Account lifecycle: active -> suspended -> closed -> removed, one recorded step at a time, and the
// moves that would lose an account refused with the safe path spelled out.
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import {
  copyExampleAccounts,
  EXAMPLE_ACCOUNTS,
  REPO,
  removeDir,
  synthAccounts,
  writeFiles,
} from "./helpers";

let dir: string;
beforeEach(() => {
  dir = copyExampleAccounts();
});
afterEach(() => removeDir(dir));

function edit(rel: string, change: (doc: ReturnType<typeof parseDocument>) => void): void {
  const path = join(dir, rel);
  const doc = parseDocument(readFileSync(path, "utf8"));
  change(doc);
  writeFiles(dir, { [rel]: doc.toString() });
}

const setStatus = (team: string, env: string, status: string) =>
  edit(`teams/${team}.yaml`, (d) => d.setIn(["environments", env, "status"], status));

const setHistory = (team: string, env: string, history: string[]) =>
  edit("ledger.yaml", (d) => {
    const seq = d.createNode(history);
    seq.flow = true;
    d.setIn(["teams", team, env], seq);
  });

function problems(): string[] {
  try {
    loadLandingZone({ accountsDir: dir, cwd: dir });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  return [];
}

test("the example configuration and its ledger agree", () => {
  expect(problems()).toEqual([]);
});

test("suspending: the account moves to Suspended, keeps prevent_destroy, and its team stack is not synthesized", () => {
  setStatus("payments", "dev", "suspended");
  setHistory("payments", "dev", ["active", "suspended"]);
  const lz = loadLandingZone({ accountsDir: dir, cwd: dir });
  expect(planStacks(lz).map((p) => p.id)).not.toContain("team-payments-dev");
  expect(planStacks(lz).map((p) => p.id)).toContain("team-payments-prod");

  const out = synthAccounts(dir, "organization");
  const all = out.resources("organization", "aws_organizations_account");
  const dev = Object.values(all).find((a) => a.name === "payments-dev")!;
  const suspendedOu = Object.entries(
    out.resources("organization", "aws_organizations_organizational_unit"),
  ).find(([, ou]) => ou.name === "Suspended")![0];
  expect(dev.parent_id).toBe(`\${aws_organizations_organizational_unit.${suspendedOu}.id}`);
  expect(dev.close_on_deletion).toBe(false);
  expect(dev.lifecycle.prevent_destroy).toBe(true);
  removeDir(join(out.outdir, ".."));
});

test("a status change that is not recorded in the ledger names the line to append", () => {
  setStatus("payments", "dev", "suspended");
  expect(problems()).toEqual([
    `teams/payments.yaml: environments.dev.status: changes the account from active to suspended; record the step by appending suspended to teams.payments.dev in ledger.yaml (got "suspended")`,
  ]);
});

test("closing an active account is refused, in the team file and in the ledger", () => {
  setStatus("payments", "dev", "closed");
  expect(problems()).toEqual([
    `teams/payments.yaml: environments.dev.status: an account is closed only from suspended: set status: suspended first (the account moves to the Suspended OU), apply, then set status: closed (ledger.yaml records active) (got "closed")`,
  ]);
  setHistory("payments", "dev", ["active", "closed"]);
  expect(problems()).toEqual([
    `ledger.yaml: teams.payments.dev[1]: an account is closed only from suspended: set status: suspended first (the account moves to the Suspended OU), apply, then set status: closed (got "closed")`,
  ]);
});

test("closing a suspended account: only now close_on_deletion is on and prevent_destroy off", () => {
  setStatus("payments", "dev", "closed");
  setHistory("payments", "dev", ["active", "suspended", "closed"]);
  expect(problems()).toEqual([]);
  const out = synthAccounts(dir, "organization");
  const accounts = Object.values(out.resources("organization", "aws_organizations_account"));
  const dev = accounts.find((a) => a.name === "payments-dev")!;
  expect(dev.close_on_deletion).toBe(true);
  expect(dev.lifecycle.prevent_destroy).toBe(false);
  const prod = accounts.find((a) => a.name === "payments-prod")!;
  expect(prod.close_on_deletion).toBe(false);
  expect(prod.lifecycle.prevent_destroy).toBe(true);
  removeDir(join(out.outdir, ".."));
});

test("reactivating a suspended account is allowed; reopening a closed one is not", () => {
  setStatus("payments", "dev", "active");
  setHistory("payments", "dev", ["active", "suspended", "active"]);
  expect(problems()).toEqual([]);

  setHistory("payments", "dev", ["active", "suspended", "closed"]);
  expect(problems()).toEqual([
    `teams/payments.yaml: environments.dev.status: a closed account cannot change status again; onboard a new one (ledger.yaml records closed) (got "active")`,
  ]);
});

test("removing an environment whose account is not closed explains the safe path", () => {
  edit("teams/payments.yaml", (d) => d.deleteIn(["environments", "dev"]));
  expect(problems()).toEqual([
    "ledger.yaml: teams.payments.dev: the account is active but teams/payments.yaml no longer declares environment dev; an account is never removed before it is closed: restore the environment, set status: suspended and apply, then status: closed and apply, and only then remove it",
  ]);
});

test("removing a whole team file whose accounts are not all closed is refused for each account", () => {
  rmSync(join(dir, "teams/notifications.yaml"));
  setHistory("notifications", "dev", ["active", "suspended", "closed"]);
  const found = problems();
  expect(found).toHaveLength(1);
  expect(found[0]).toMatch(/^ledger.yaml: teams.notifications.prod: the account is active but/);
});

test("a closed account may be removed; the ledger keeps its record", () => {
  edit("teams/payments.yaml", (d) => d.deleteIn(["environments", "dev"]));
  setHistory("payments", "dev", ["active", "suspended", "closed"]);
  expect(problems()).toEqual([]);
});

test("a team file that does not parse is not mistaken for a removal", () => {
  writeFiles(dir, { "teams/payments.yaml": "name: payments\nowners: 3\n" });
  expect(problems().filter((p) => p.startsWith("ledger.yaml"))).toEqual([]);
});

test("a new account not yet in the ledger must start active", () => {
  edit("teams/payments.yaml", (d) =>
    d.setIn(
      ["environments", "staging"],
      d.createNode({
        status: "suspended",
        traffic: { sync: { requestsPerSecond: 5, averageDurationMs: 100, p99DurationMs: 500 } },
      }),
    ),
  );
  expect(problems()).toEqual([
    `teams/payments.yaml: environments.staging.status: a new account starts active; record it in ledger.yaml as teams.payments.staging: [active] (npm run onboard does this) (got "suspended")`,
  ]);
});

test("the ledger file itself is validated like every other file", () => {
  writeFiles(dir, { "ledger.yaml": "teams:\n  payments:\n    dev: [active, asleep]\n" });
  expect(problems().join("\n")).toMatch(/^ledger.yaml: teams.payments.dev\[1\]: /m);
});

test("the example's ledger lists every account of the example", () => {
  const ledger = readFileSync(join(EXAMPLE_ACCOUNTS, "ledger.yaml"), "utf8");
  const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
  for (const team of lz.teams) {
    for (const e of team.environments) {
      expect(parseDocument(ledger).getIn(["teams", team.name, e.env])).toBeDefined();
    }
  }
});

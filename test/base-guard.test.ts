// The lifecycle guard against a base revision: a change is compared with the ledger and team files
// as git has them at the base, so editing or deleting the ledger in the same change cannot remove
// an account before it is closed.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { defaultBase } from "../config/git-base";
import { loadLandingZone } from "../config/load";
import { main as validate } from "../cli/validate";
import { runCommand } from "./cli";
import { REPO, removeDir, EXAMPLE_ACCOUNTS } from "./helpers";

const GIT_ENV = {
  GIT_AUTHOR_NAME: "t",
  GIT_AUTHOR_EMAIL: "t@example.com",
  GIT_COMMITTER_NAME: "t",
  GIT_COMMITTER_EMAIL: "t@example.com",
};

function git(root: string, ...args: string[]): string {
  const r = spawnSync("git", args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, ...GIT_ENV },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(" ")}: ${r.stderr}`);
  return r.stdout;
}

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lz-base-"));
  cpSync(EXAMPLE_ACCOUNTS, join(root, "accounts"), { recursive: true });
  git(root, "init", "-q", "-b", "main");
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "base");
});
afterEach(() => removeDir(root));

const file = (rel: string) => join(root, "accounts", rel);
const edit = (rel: string, from: string, to: string) => {
  const text = readFileSync(file(rel), "utf8");
  if (!text.includes(from)) throw new Error(`stale test: ${rel} has no ${from}`);
  writeFileSync(file(rel), text.replace(from, to));
};
const commit = () => {
  git(root, "add", "-A");
  git(root, "commit", "-q", "-m", "step");
};

function problems(base = "HEAD"): string[] {
  try {
    loadLandingZone({ accountsDir: join(root, "accounts"), cwd: root, base });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  }
}

const PAYMENTS_PROD = `  prod:
    accountId: "210987654321"
    serverless-api:
      traffic:
        sync: { requestsPerSecond: 200, averageDurationMs: 120, p99DurationMs: 900 }
        async: { messagesPerSecond: 5, averageDurationMs: 20000 }
      functions:
        api:
          provisionedConcurrency: 10
    alarms:
      apiLatencyP90Ms: 1500
`;

const PAYMENTS_LEDGER = "  payments:\n    dev: [active]\n    prod: [active]\n";

test("an unchanged configuration, and one allowed step, pass", () => {
  expect(problems()).toEqual([]);
  edit("teams/payments.yaml", "  dev:\n", "  dev:\n    status: suspended\n");
  edit(
    "ledger.yaml",
    "  payments:\n    dev: [active]",
    "  payments:\n    dev: [active, suspended]",
  );
  expect(problems()).toEqual([]);
});

test("deleting the ledger is refused", () => {
  rmSync(file("ledger.yaml"));
  expect(problems()).toEqual([
    expect.stringMatching(
      /^accounts\/ledger\.yaml: \(document\): this change deletes the ledger, which HEAD \([0-9a-f]{12}\) has; the ledger only grows: restore it$/,
    ),
  ]);
});

test("dropping an active account from the team file and the ledger together is refused", () => {
  edit("teams/payments.yaml", PAYMENTS_PROD, "");
  edit("ledger.yaml", PAYMENTS_LEDGER, "  payments:\n    dev: [active]\n");
  // Without a base the two edits agree with each other; the base remembers the account.
  expect(problems("")).toEqual([]);
  const lines = problems();
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^accounts\/ledger\.yaml: teams\.payments\.prod: removes recorded history: HEAD \(\w+\) records \[active\]; the ledger only grows$/,
    ),
  );
  expect(lines).toContainEqual(
    expect.stringMatching(
      /^accounts\/teams\/payments\.yaml: environments\.prod: drops the account of payments prod, which HEAD \(\w+\) has as active; an account is never removed before it is closed/,
    ),
  );
});

test("deleting a team file and its ledger lines is refused", () => {
  rmSync(file("teams/notifications.yaml"));
  edit("ledger.yaml", "  notifications:\n    dev: [active]\n    prod: [active]\n", "");
  expect(problems("")).toEqual([]);
  const lines = problems();
  expect(lines.filter((l) => l.includes("drops the account of notifications"))).toEqual([
    expect.stringMatching(
      /^accounts\/teams\/notifications\.yaml: \(document\): drops the account of notifications dev/,
    ),
    expect.stringMatching(
      /^accounts\/teams\/notifications\.yaml: \(document\): drops the account of notifications prod/,
    ),
  ]);
});

test("rewriting recorded history is refused", () => {
  edit("teams/payments.yaml", "  dev:\n", "  dev:\n    status: suspended\n");
  edit(
    "ledger.yaml",
    "  payments:\n    dev: [active]",
    "  payments:\n    dev: [active, suspended]",
  );
  commit();
  // Back to active by rewriting the record instead of appending to it.
  edit("teams/payments.yaml", "  dev:\n    status: suspended\n", "  dev:\n");
  edit(
    "ledger.yaml",
    "  payments:\n    dev: [active, suspended]",
    "  payments:\n    dev: [active]",
  );
  expect(problems("")).toEqual([]);
  expect(problems()).toEqual([
    expect.stringMatching(
      /^accounts\/ledger\.yaml: teams\.payments\.dev: rewrites recorded history: HEAD \(\w+\) records \[active, suspended\]; append to it, never edit it \(got \["active"\]\)$/,
    ),
  ]);
});

test("active to closed in one change is refused even with a consistent ledger", () => {
  edit("teams/payments.yaml", "  dev:\n", "  dev:\n    status: closed\n");
  edit(
    "ledger.yaml",
    "  payments:\n    dev: [active]",
    "  payments:\n    dev: [active, suspended, closed]",
  );
  expect(problems("")).toEqual([]);
  expect(problems()).toEqual([
    expect.stringMatching(
      /^accounts\/ledger\.yaml: teams\.payments\.dev: records 2 lifecycle steps in one change \(after HEAD \(\w+\): active\)/,
    ),
    expect.stringMatching(
      /^accounts\/teams\/payments\.yaml: environments\.dev\.status: jumps from active \(at HEAD \(\w+\)\) to closed in one change/,
    ),
  ]);
});

test("a base git does not know, or no git at all, is an error naming the base", () => {
  expect(problems("no-such-branch")).toEqual([
    "accounts/ledger.yaml: (document): cannot hold the ledger against the base revision no-such-branch: git knows no commit no-such-branch",
  ]);
  rmSync(join(root, ".git"), { recursive: true, force: true });
  expect(problems()).toEqual([
    "accounts/ledger.yaml: (document): cannot hold the ledger against the base revision HEAD: not a git checkout",
  ]);
});

// validate's entry point runs in this process (runCommand); synth runs as the built command.
describe("npm run validate and synth", () => {
  test("--base refuses the change; CI defaults to the merge base with main", () => {
    git(root, "checkout", "-q", "-b", "feature");
    edit("teams/payments.yaml", PAYMENTS_PROD, "");
    edit("ledger.yaml", PAYMENTS_LEDGER, "  payments:\n    dev: [active]\n");
    commit();
    const withBase = runCommand(validate, ["--base", "main"], { cwd: root });
    expect(withBase.code).toBe(1);
    expect(withBase.stderr).toMatch(
      /^accounts\/ledger\.yaml: teams\.payments\.prod: removes recorded history/m,
    );
    const ci = runCommand(validate, [], { cwd: root, env: { CI: "true" } });
    expect(ci.code).toBe(1);
    expect(ci.stderr).toMatch(/drops the account of payments prod/);
    const local = runCommand(validate, [], { cwd: root, env: { CI: "" } });
    expect(local.code).toBe(0);
    expect(local.stdout).toMatch(/^Lifecycle guard: ran without a base; pass --base <git ref>/m);
    const bad = runCommand(validate, ["--base", "nope"], { cwd: root });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^--base: cannot compare with nope: git knows no commit nope$/m);
  });

  test("on main (a push to main), CI compares with the commit before HEAD, not with HEAD itself", () => {
    edit("teams/payments.yaml", PAYMENTS_PROD, "");
    edit("ledger.yaml", PAYMENTS_LEDGER, "  payments:\n    dev: [active]\n");
    commit();
    const r = runCommand(validate, [], { cwd: root, env: { CI: "true" } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/drops the account of payments prod/);
    expect(r.stderr).toMatch(
      /^accounts\/ledger\.yaml: teams\.payments\.prod: removes recorded history/m,
    );
  });

  test("LZ_BASE_REF of the all-zero commit (a push that created the branch) counts as no base", () => {
    edit("teams/payments.yaml", PAYMENTS_PROD, "");
    edit("ledger.yaml", PAYMENTS_LEDGER, "  payments:\n    dev: [active]\n");
    commit();
    const r = runCommand(validate, [], {
      cwd: root,
      env: { CI: "true", LZ_BASE_REF: "0".repeat(40) },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/drops the account of payments prod/);
  });

  test("on main's first commit CI says there is nothing before it to compare with", () => {
    const r = runCommand(validate, [], { cwd: root, env: { CI: "true" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /^Lifecycle guard: ran without a base: HEAD is already on main and has no parent in this clone/m,
    );
  });

  test("CI without git says the guard ran without a base", () => {
    rmSync(join(root, ".git"), { recursive: true, force: true });
    const r = runCommand(validate, [], { cwd: root, env: { CI: "true" } });
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^Lifecycle guard: ran without a base \(no git history/m);
  });

  test("synth holds the change against LZ_BASE_REF and writes nothing", () => {
    edit("teams/payments.yaml", PAYMENTS_PROD, "");
    edit("ledger.yaml", PAYMENTS_LEDGER, "  payments:\n    dev: [active]\n");
    const env = Object.fromEntries(
      Object.entries(process.env).filter(([k]) => k !== "LZ_ACCOUNTS_DIR" && k !== "LZ_STACKS"),
    );
    const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
      cwd: root,
      encoding: "utf8",
      env: { ...env, LZ_BASE_REF: "HEAD" },
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(
      /^accounts\/ledger\.yaml: teams\.payments\.prod: removes recorded history/m,
    );
    expect(spawnSync("ls", [root], { encoding: "utf8" }).stdout).not.toContain("cdktf.out");
  });
});

test("once the pipeline records the last applied commit, CI compares with it", () => {
  const applied = git(root, "rev-parse", "HEAD").trim();
  edit("teams/payments.yaml", PAYMENTS_PROD, "");
  commit();
  edit("ledger.yaml", PAYMENTS_LEDGER, "  payments:\n    dev: [active]\n");
  commit();
  // HEAD^ alone would see only the ledger change; the applied commit sees both.
  expect(defaultBase(join(root, "accounts"), applied)).toEqual({
    label: `the last applied commit ${applied}`,
    commit: applied,
  });
  expect(defaultBase(join(root, "accounts"))).toEqual({
    label: "the commit before HEAD (HEAD is already on main)",
    commit: git(root, "rev-parse", "HEAD^").trim(),
  });
});

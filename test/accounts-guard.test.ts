// The guard behind "the framework's tests never read accounts/" (accounts-guard.js, installed for
// every test by jest-setup.js): it refuses a path under the repository's accounts/, in this process
// and in a process a test spawns, and records each refusal so the test fails even when the code
// under test catches it. Each test here clears its own expected record.
import { spawnSync } from "node:child_process";
import {
  existsSync,
  promises,
  readdirSync,
  readFileSync,
  realpathSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { REPO } from "./helpers";

interface GuardState {
  seen: string[];
  log?: string;
}
const guard = require("./accounts-guard") as { install(): GuardState; ACCOUNTS: string };
const state = guard.install();
const ORGANIZATION = join(REPO, "accounts", "organization.yaml");

/** What the guard recorded since the last call (in this process and its children), then forgets it. */
function refused(): string[] {
  const children = state.log && existsSync(state.log) ? readFileSync(state.log, "utf8") : "";
  if (state.log) writeFileSync(state.log, "");
  const all = [...state.seen, ...children.split("\n").filter(Boolean)];
  state.seen.length = 0;
  return all;
}

test("guards the repository's accounts/ folder", () => {
  expect(guard.ACCOUNTS).toBe(join(REPO, "accounts"));
});

test("refuses a read, a listing or a stat under accounts/ in the test's process, and records each", async () => {
  const message = /a test touched the repository's accounts\/ .*use a fixture organization/;
  expect(() => readFileSync(ORGANIZATION)).toThrow(message);
  expect(() => readdirSync(join(REPO, "accounts"))).toThrow(message);
  expect(() => existsSync(join(REPO, "accounts", "teams"))).toThrow(message);
  await expect(promises.readFile(ORGANIZATION)).rejects.toThrow(message);
  expect(refused()).toEqual([
    `fs.readFileSync(${ORGANIZATION})`,
    `fs.readdirSync(${join(REPO, "accounts")})`,
    `fs.existsSync(${join(REPO, "accounts", "teams")})`,
    `fs.promises.readFile(${ORGANIZATION})`,
  ]);
});

test("the folder's own existence and real path are allowed (an output folder is checked against it); its contents are not", () => {
  const accounts = join(REPO, "accounts");
  expect(typeof existsSync(accounts)).toBe("boolean");
  expect(() => realpathSync(accounts)).not.toThrow(/a test touched/);
  expect(refused()).toEqual([]);
  expect(() => statSync(accounts)).toThrow(/a test touched/);
  expect(() => realpathSync(ORGANIZATION)).toThrow(/a test touched/);
  expect(refused()).toEqual([`fs.statSync(${accounts})`, `fs.realpathSync(${ORGANIZATION})`]);
});

test("a relative path is resolved against the working directory", () => {
  const cwd = process.cwd();
  process.chdir(REPO);
  try {
    expect(() => readFileSync("accounts/ledger.yaml")).toThrow(/accounts\/ledger\.yaml/);
  } finally {
    process.chdir(cwd);
  }
  expect(refused()).toEqual([`fs.readFileSync(${join(REPO, "accounts", "ledger.yaml")})`]);
});

test("a folder whose name only starts with accounts, and the fixtures, are not guarded", () => {
  expect(existsSync(join(REPO, "accounts-elsewhere"))).toBe(false);
  expect(readdirSync(join(REPO, "test", "fixtures", "organizations", "example"))).toContain(
    "organization.yaml",
  );
  expect(refused()).toEqual([]);
});

test("a process a test spawns is guarded too, and its refusal is recorded for the test", () => {
  const r = spawnSync(
    process.execPath,
    ["-e", `require("node:fs").readFileSync(${JSON.stringify(ORGANIZATION)})`],
    { encoding: "utf8", env: { PATH: process.env.PATH } },
  );
  expect(r.status).not.toBe(0);
  expect(r.stderr).toContain("a test touched the repository's accounts/");
  expect(refused()).toEqual([
    expect.stringMatching(/^\d+ fs\.readFileSync\(.*organization\.yaml\)$/),
  ]);
});

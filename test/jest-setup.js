// Runs before every test file (jest.config.js setupFilesAfterEnv): installs the accounts/ guard
// (accounts-guard.js) in this worker and fails the running test when it, or a process it spawned,
// touched the repository's accounts/.
const { mkdirSync, readFileSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");
const { install } = require("./accounts-guard");

let state = install();
if (state.child) {
  // This worker's own log, made once for all the test files it runs; global-setup.js removes old ones.
  const dir = join(__dirname, "..", ".cache", "accounts-guard");
  mkdirSync(dir, { recursive: true });
  state = install(join(dir, `${process.pid}-${Date.now()}.log`));
}

function check() {
  let children = "";
  try {
    children = readFileSync(state.log, "utf8");
  } catch {
    // No child process refused anything yet.
  }
  const refused = [...state.seen, ...children.split("\n").filter(Boolean)];
  state.seen.length = 0;
  if (children) writeFileSync(state.log, "");
  if (refused.length > 0) {
    throw new Error(
      `this test touched the repository's accounts/ (a platform team's own organization), which the ` +
        `framework's tests never do; use a fixture organization from test/helpers.ts:\n  ${refused.join("\n  ")}`,
    );
  }
}

afterEach(check);
afterAll(check);

// Builds the CLIs once before any test file runs, so tests that spawn `node build/...` as a user
// would never race each other's builds; and prunes old logs of the accounts/ guard.
const { execFileSync } = require("node:child_process");
const { existsSync, readdirSync, rmSync, statSync } = require("node:fs");
const { join } = require("node:path");

module.exports = async () => {
  // The accounts/ guard's logs (jest-setup.js) of runs over a day old.
  const logs = join(__dirname, "..", ".cache", "accounts-guard");
  const dayAgo = Date.now() - 24 * 3600 * 1000;
  for (const name of existsSync(logs) ? readdirSync(logs) : []) {
    if (statSync(join(logs, name)).mtimeMs < dayAgo) rmSync(join(logs, name), { force: true });
  }
  execFileSync(process.execPath, [join(__dirname, "..", "scripts", "build.mjs")], {
    cwd: join(__dirname, ".."),
    stdio: "inherit",
  });
};

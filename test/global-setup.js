// Builds the CLIs once before any test file runs, so tests that spawn `node build/...` as a user
// would never race each other's builds.
const { execFileSync } = require("node:child_process");
const { join } = require("node:path");

module.exports = async () => {
  execFileSync(process.execPath, [join(__dirname, "..", "scripts", "build.mjs")], {
    cwd: join(__dirname, ".."),
    stdio: "inherit",
  });
};

// The compiled sources (scripts/build.mjs writes them; every npm script builds first), for the
// scripts that share the commands' flag parser and exit codes (cli/args.ts).
import { createRequire } from "node:module";
import { resolve } from "node:path";

export const repo = resolve(import.meta.dirname, "..");
// LZ_BUILD_DIR: where scripts/build.mjs wrote them (tests build a private copy).
export const buildDir = resolve(repo, process.env.LZ_BUILD_DIR ?? "build");

const require = createRequire(import.meta.url);

/** A module of the build, e.g. built("cli/args.js"); without a build, says how to make one (exit 2). */
export function built(path) {
  const file = resolve(buildDir, path);
  try {
    return require(file);
  } catch (e) {
    if (e?.code !== "MODULE_NOT_FOUND" || !String(e.message).includes(file)) throw e;
    console.error(`${file} does not exist: run the script through npm run, which builds first`);
    process.exit(2);
  }
}

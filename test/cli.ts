// Runs the built commands as a user would (`node build/cli/<x>.js`), from a private build folder that a
// concurrent `npm run build` in the same work tree cannot delete while the tests run.
import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO, removeDir } from "./helpers";

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function buildCli(name: string): { dir: string; run: CliRunner; cleanup: () => void } {
  const dir = join(REPO, `.build-${name}-${process.pid}`);
  const build = spawnSync("node", ["scripts/build.mjs"], {
    cwd: REPO,
    encoding: "utf8",
    env: { ...process.env, LZ_BUILD_DIR: dir },
  });
  if (build.status !== 0) throw new Error(`build failed: ${build.stderr}`);
  const run: CliRunner = (script, args, options = {}) => {
    const env: NodeJS.ProcessEnv = { ...process.env };
    delete env.LZ_ACCOUNTS_DIR;
    delete env.LZ_STACKS;
    const r = spawnSync("node", [join(dir, script), ...args], {
      cwd: options.cwd ?? REPO,
      encoding: "utf8",
      env: { ...env, ...options.env },
    });
    return { code: r.status, stdout: r.stdout, stderr: r.stderr };
  };
  return { dir, run, cleanup: () => removeDir(dir) };
}

export type CliRunner = (
  script: string,
  args: string[],
  options?: { cwd?: string; env?: Record<string, string> },
) => CliRun;

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

/** A command's entry point: `main(argv)` of a cli/ file, returning its exit code. */
export type CommandMain = (argv: string[]) => number | Promise<number>;

/**
 * Runs a command's `main(argv)` in this process, as `node build/<script> <args>` would run in `cwd`
 * with `env` (LZ_ACCOUNTS_DIR and LZ_STACKS unset unless given): the same exit code, stdout, stderr
 * and files written, without starting a process and loading every module again. For tests about
 * what a command does; what is about the process itself (flags, exit status, commands side by side)
 * spawns the built command (buildCli, test/integration/).
 */
export function runCommand(
  main: CommandMain,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): CliRun {
  const session = capture(options);
  try {
    const code = main(args);
    if (typeof code !== "number") throw new Error("main returned a promise: use runCommandAsync");
    return { code, ...session.out };
  } finally {
    session.restore();
  }
}

/** runCommand for a command whose `main` returns a promise. */
export async function runCommandAsync(
  main: CommandMain,
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  const session = capture(options);
  try {
    const code = await main(args);
    return { code, ...session.out };
  } finally {
    session.restore();
  }
}

/** Moves into `cwd` with `env` and collects what the console and process streams print. */
function capture(options: { cwd?: string; env?: Record<string, string> }) {
  const { format } = require("node:util") as typeof import("node:util");
  const out = { stdout: "", stderr: "" };
  const write = (stream: "stdout" | "stderr") => (chunk: string | Uint8Array) => {
    out[stream] += typeof chunk === "string" ? chunk : Buffer.from(chunk).toString();
    return true;
  };
  const log =
    (stream: "stdout" | "stderr") =>
    (...data: unknown[]) => {
      out[stream] += `${format(...data)}\n`;
    };
  const saved = {
    cwd: process.cwd(),
    env: { ...process.env },
    stdout: process.stdout.write,
    stderr: process.stderr.write,
    console: { log: console.log, info: console.info, warn: console.warn, error: console.error },
  };
  delete process.env.LZ_ACCOUNTS_DIR;
  delete process.env.LZ_STACKS;
  Object.assign(process.env, options.env);
  process.chdir(options.cwd ?? REPO);
  process.stdout.write = write("stdout") as typeof process.stdout.write;
  process.stderr.write = write("stderr") as typeof process.stderr.write;
  Object.assign(console, {
    log: log("stdout"),
    info: log("stdout"),
    warn: log("stderr"),
    error: log("stderr"),
  });
  const restore = () => {
    Object.assign(console, saved.console);
    process.stdout.write = saved.stdout;
    process.stderr.write = saved.stderr;
    process.chdir(saved.cwd);
    for (const k of Object.keys(process.env)) if (!(k in saved.env)) delete process.env[k];
    Object.assign(process.env, saved.env);
  };
  return { out, restore };
}

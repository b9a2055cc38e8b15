// The framework's tests never touch the repository's `accounts/`: that folder is a platform team's own
// organization, and a suite that reads it turns red the day the team onboards its first team. This
// file makes the rule a failing test rather than a convention. Loaded by jest (test/jest-setup.js) in
// every test worker, and by `node --require` (through NODE_OPTIONS) in every process a test spawns,
// it wraps the path-taking functions of `fs`: a call on a path inside `<repo>/accounts` is recorded
// and refused. jest-setup.js fails the running test on any record, including a child process's (a
// command that catches the refusal and exits 1 could otherwise pass a test that expects exit 1).
"use strict";
const fs = require("node:fs");
const { resolve, sep } = require("node:path");
// The process itself, not jest's per-file copy of it: the guard outlives a test file.
const realProcess = require("node:process");

const ACCOUNTS = resolve(__dirname, "..", "accounts");
// One guard per repository: a test that runs the suite of a copy of the repository guards both.
const STATE = Symbol.for(`landing-zone.accounts-guard:${ACCOUNTS}`);
// Where child processes append what they refused, named per repository for the same reason.
const LOG_VAR = `LZ_ACCOUNTS_GUARD_LOG_${require("node:crypto").createHash("sha256").update(ACCOUNTS).digest("hex").slice(0, 12)}`;
const PRELOAD = `--require "${__filename}"`;

// Functions whose first argument is a path; the second as well for those in TWO_PATHS.
const ONE_PATH = [
  "access",
  "appendFile",
  "chmod",
  "createReadStream",
  "createWriteStream",
  "exists",
  "lstat",
  "mkdir",
  "mkdtemp",
  "open",
  "opendir",
  "readdir",
  "readFile",
  "readlink",
  "realpath",
  "rm",
  "rmdir",
  "stat",
  "truncate",
  "unlink",
  "utimes",
  "watch",
  "watchFile",
  "writeFile",
];
const TWO_PATHS = ["copyFile", "cp", "link", "rename", "symlink"];

function inside(p) {
  let s;
  if (typeof p === "string") s = p;
  else if (Buffer.isBuffer(p)) s = p.toString();
  // A file: URL (checked by shape: jest's test realm has its own URL class).
  else if (p && typeof p === "object" && p.protocol === "file:" && typeof p.href === "string")
    s = require("node:url").fileURLToPath(p.href);
  else return undefined;
  const abs = resolve(s);
  return abs === ACCOUNTS || abs.startsWith(ACCOUNTS + sep) ? abs : undefined;
}

function record(state, fn, abs) {
  const line = `${fn}(${abs})`;
  state.seen.push(line);
  if (state.child && state.log) {
    try {
      state.original.appendFileSync(state.log, `${realProcess.pid} ${line}\n`);
    } catch {
      // The log is the parent test's; a child that cannot write it still refuses the call below.
    }
  }
  const e = new Error(
    `${fn}: ${abs}: a test touched the repository's accounts/ (a platform team's own organization); ` +
      "use a fixture organization from test/helpers.ts (EXAMPLE_ACCOUNTS, copyExampleAccounts())",
  );
  e.code = "EACCES";
  return e;
}

// Whether the folder itself exists and where it really is (a symlink resolved) say nothing about the
// organization in it: the commands ask both to refuse an output folder inside accounts/
// (cli/output-paths.ts), whichever organization they were given. Anything under it stays refused.
const WHERE_IT_IS = new Set(["exists", "existsSync", "realpath", "realpathSync"]);

function wrap(target, name, paths, state, label) {
  const original = target[name];
  if (typeof original !== "function") return;
  const wrapped = function (...args) {
    for (let i = 0; i < paths; i++) {
      const abs = inside(args[i]);
      if (!abs) continue;
      if (abs === ACCOUNTS && WHERE_IT_IS.has(name)) continue;
      // Refused the way the function reports any error: a rejection, a callback, or a throw.
      const e = record(state, label + name, abs);
      if (target === fs.promises) return Promise.reject(e);
      const callback = args[args.length - 1];
      if (typeof callback === "function" && !name.endsWith("Sync")) {
        process.nextTick(callback, e);
        return undefined;
      }
      throw e;
    }
    return original.apply(this, args);
  };
  Object.assign(wrapped, original); // realpathSync.native and the like
  Object.defineProperty(wrapped, "name", { value: original.name });
  target[name] = wrapped;
}

/** The environment a child process gets: this file preloaded, and this process's log. */
function childEnv(state, env) {
  const options = env.NODE_OPTIONS ?? "";
  return {
    ...env,
    NODE_OPTIONS: options.includes(PRELOAD) ? options : `${options} ${PRELOAD}`.trim(),
    ...(state.log ? { [LOG_VAR]: state.log } : {}),
  };
}

// spawn(cmd, args?, options?) and the like; exec(cmd, options?, callback?).
function wrapChildProcess(state) {
  const cp = require("node:child_process");
  for (const name of [
    "spawn",
    "spawnSync",
    "execFile",
    "execFileSync",
    "fork",
    "exec",
    "execSync",
  ]) {
    const original = cp[name];
    const hasArgs = !name.startsWith("exec") || name.startsWith("execFile");
    const wrapped = function (...args) {
      let at = hasArgs && Array.isArray(args[1]) ? 2 : 1;
      if (hasArgs && args[1] === undefined && args.length > 2) at = 2;
      const given = args[at];
      if (given === undefined || given === null) {
        args[at] = { env: childEnv(state, realProcess.env) };
      } else if (typeof given === "object" && !Array.isArray(given)) {
        args[at] = { ...given, env: childEnv(state, given.env ?? realProcess.env) };
      } else {
        // A callback where the options would be: insert them.
        args.splice(at, 0, { env: childEnv(state, realProcess.env) });
      }
      return original.apply(this, args);
    };
    Object.assign(wrapped, original);
    Object.defineProperty(wrapped, "name", { value: original.name });
    cp[name] = wrapped;
  }
}

/**
 * Installs the guard once per process and returns its state: what it refused (`seen`) and the file
 * its child processes append to (`log`, given by jest-setup.js; inherited by a child).
 */
function install(log) {
  if (fs[STATE]) {
    // Loading this file installs it; jest-setup.js then gives the worker its own log.
    if (log) Object.assign(fs[STATE], { log, child: false });
    return fs[STATE];
  }
  const state = {
    accounts: ACCOUNTS,
    seen: [],
    log: log ?? realProcess.env[LOG_VAR],
    // A child reports through the log: the test's process cannot see its `seen`.
    child: !log,
    original: { appendFileSync: fs.appendFileSync, readFileSync: fs.readFileSync },
  };
  for (const name of ONE_PATH) {
    wrap(fs, name, 1, state, "fs.");
    wrap(fs, `${name}Sync`, 1, state, "fs.");
    wrap(fs.promises, name, 1, state, "fs.promises.");
  }
  for (const name of TWO_PATHS) {
    wrap(fs, name, 2, state, "fs.");
    wrap(fs, `${name}Sync`, 2, state, "fs.");
    wrap(fs.promises, name, 2, state, "fs.promises.");
  }
  wrapChildProcess(state);
  Object.defineProperty(fs, STATE, { value: state });
  return state;
}

module.exports = { install, ACCOUNTS };

// Preloaded into every process a test spawns (`node --require`, see jest-setup.js): guard it too.
install();

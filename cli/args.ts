// How every command reads its flags and how it ends: one flag parser, one table of exit codes, and
// one mapping from what went wrong (an error class) to its exit code. The scripts under scripts/ use
// the built copy (build/cli/args.js), so `bench`, `scan` and `check:cdktn` behave the same way.
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/errors";
import { parseSelection } from "../config/selection";
import { GuardrailError } from "../modules/guardrails/error";

// The exit codes of every command. 2 doubles as "changes present" where Terraform's convention
// applies: `terraform plan -detailed-exitcode` exits 2 when the plan has changes.
export const EXIT_OK = 0;
export const EXIT_INVALID_CONFIGURATION = 1;
export const EXIT_USAGE = 2;
/** `plan --detailed-exitcode`: the plan has changes (Terraform's own -detailed-exitcode). */
export const EXIT_CHANGES = 2;
export const EXIT_GATE = 3;
export const EXIT_EXTERNAL = 4;

export interface ExitCode {
  code: number;
  /** A few words, for a command's --help. */
  short: string;
  /** What it means and which commands give it, for README and docs (npm run docs writes both). */
  meaning: string;
}

export const EXIT_CODES: readonly ExitCode[] = [
  {
    code: EXIT_OK,
    short: "success",
    meaning:
      "success; with `plan --detailed-exitcode`: success and no changes; `drift`: no drift. `--help` exits 0 and does nothing else",
  },
  {
    code: EXIT_INVALID_CONFIGURATION,
    short: "invalid configuration",
    meaning:
      "the configuration is invalid: the loader, validation, capacity planning or a synth-time guardrail refused it; nothing was written",
  },
  {
    code: EXIT_USAGE,
    short: "usage error (plan --detailed-exitcode, drift: changes present)",
    meaning:
      "a usage error: an unknown flag, a flag given twice, a bad flag value, a missing argument, an unreadable or malformed input file; refused before anything runs (no synth, no install). With `plan --detailed-exitcode`, as with Terraform's `-detailed-exitcode`: success, and the plan has changes; `drift`: drift found",
  },
  {
    code: EXIT_GATE,
    short: "a gate found something",
    meaning:
      "a gate found something, and said what on stderr: `--fail-on` tripped (`plan`, `plan-summary`), `plan-summary --compare` found a difference from the reviewed plan, a `--check` found stale output (`docs`, `diagram`), a load-test verdict failed, `scan` found an unwaived check, `check:cdktn` found a difference, the rehearsal found a failed step or a non-empty second plan",
  },
  {
    code: EXIT_EXTERNAL,
    short: "an external tool or the system failed",
    meaning:
      "an external tool or the system failed: terraform (or `$TERRAFORM_BINARY_NAME`), checkov, git, npm, the emulator, the load generator, a file write; or the command itself (an unexpected error, printed with its stack trace)",
  },
];

/** The exit-code line every command's --help ends with. */
export const EXIT_CODES_HELP = `Exit codes: ${EXIT_CODES.map((c) => `${c.code} ${c.short}`).join(", ")}. See README.md, "Exit codes".`;

/** A mistake in how a command was called; printed as-is, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

/** A gate (--fail-on, --check, a verdict) found something; the message is what, on one line. Exit 3. */
export class GateError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "GateError";
  }
}

/** An external tool (terraform, checkov, npm, ...) or the system failed. Exit 4. */
export class ExternalError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "ExternalError";
  }
}

/** `--help` was given: the usage goes to stdout and the command exits 0 without doing anything. */
export class HelpRequested extends Error {
  constructor(readonly usage: string) {
    super(usage);
    this.name = "HelpRequested";
  }
}

/** The domain of a numeric flag: a decimal number within bounds, written as people write numbers. */
export interface NumberDomain {
  /** What the number counts, for the message: "seconds", "requests per second". */
  unit: string;
  /** Smallest allowed value, or `above` for a bound that is itself excluded. */
  min?: number;
  above?: number;
  max: number;
  integer?: boolean;
}

/**
 * A numeric flag: digits with an optional decimal fraction, and nothing JavaScript's Number() would
 * also take (`1e9`, `0x10`, ` 10`, `Infinity`), within the flag's documented bounds, so a typo
 * cannot start a run that never ends.
 */
export function decimalNumber(
  flag: string,
  value: string | undefined,
  domain: NumberDomain,
): number | undefined {
  if (value === undefined) return undefined;
  const { unit, min, above, max, integer } = domain;
  const n = Number(value);
  const form = integer ? /^(0|[1-9][0-9]*)$/ : /^(0|[1-9][0-9]*)(\.[0-9]+)?$/;
  if (
    !form.test(value) ||
    n > max ||
    (min !== undefined && n < min) ||
    (above !== undefined && n <= above)
  ) {
    const from = above !== undefined ? `above ${above}` : `from ${min ?? 0}`;
    throw new UsageError(
      `--${flag}: must be a ${integer ? "whole" : "decimal"} number of ${unit} ${from} to ${max} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
}

/**
 * A `<key>=<value>` flag given any number of times, as pairs in order; a key given twice is refused
 * (keeping the last one silently would drop what the user wrote first).
 */
export function keyValues(
  flag: string,
  values: readonly string[] | undefined,
  shape: string,
): [string, string][] {
  const seen = new Map<string, string>();
  const out: [string, string][] = [];
  for (const pair of values ?? []) {
    const m = /^([^=]+)=(.+)$/s.exec(pair);
    if (!m) throw new UsageError(`--${flag}: must be ${shape} (got ${JSON.stringify(pair)})`);
    const before = seen.get(m[1]);
    if (before !== undefined)
      throw new UsageError(
        `--${flag}: ${m[1]} is given twice (${JSON.stringify(before)} and ${JSON.stringify(pair)}); give it once`,
      );
    seen.set(m[1], pair);
    out.push([m[1], m[2]]);
  }
  return out;
}

/** A comma-separated selection flag (`--envs dev,prod`): one entry at least, none empty. */
export function selection(source: string, value: string): string[] {
  const parsed = parseSelection(value);
  if ("problem" in parsed) throw new UsageError(`${source}: ${parsed.problem}`);
  return parsed.entries;
}

/**
 * An output folder a command writes into: never inside the accounts folder or the repository's
 * source folders, where a stray file would break every later command or land in a commit. With
 * `orAbove`, never a folder holding one of them either (synth writes `<folder>/stacks/` and prunes it).
 */
export function outputFolder(
  flag: string,
  value: string | undefined,
  forbidden: readonly string[],
  orAbove = false,
): string | undefined {
  if (value === undefined) return undefined;
  if (value.trim() === "")
    throw new UsageError(`${flag}: must name a folder (got an empty string)`);
  const target = realish(resolve(value));
  for (const dir of forbidden) {
    const real = realish(resolve(dir));
    const inside = target === real || target.startsWith(real + sep);
    if (inside || (orAbove && real.startsWith(target + sep)))
      throw new UsageError(
        `${flag}: ${JSON.stringify(value)} ${inside ? "is inside" : "holds"} ${relative(process.cwd(), dir) || "."}; write results elsewhere (the accounts folder and the repository's source folders hold only what belongs there)`,
      );
  }
  return value;
}

/** The path with symlinks resolved as far as it exists (the rest may be created later). */
function realish(path: string): string {
  let head = path;
  const rest: string[] = [];
  while (!existsSync(head) && dirname(head) !== head) {
    rest.unshift(basename(head));
    head = dirname(head);
  }
  return join(realpathSync(head), ...rest);
}

export function oneOf<T extends string>(
  flag: string,
  value: string | undefined,
  allowed: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(
      `--${flag}: must be one of ${allowed.join(", ")} (got ${JSON.stringify(value)})`,
    );
  }
  return value as T;
}

/**
 * Node's own errors from the file system, processes and the network carry a code like EACCES and the
 * call that failed. Read by shape, not instanceof: an error from another realm (a vm context, jest)
 * is no instance of this realm's Error.
 */
function isSystemError(e: unknown): e is NodeJS.ErrnoException {
  const x = e as { code?: unknown; syscall?: unknown } | null;
  return (
    typeof x === "object" &&
    x !== null &&
    typeof x.code === "string" &&
    typeof x.syscall === "string"
  );
}

/** An error's stack (or message), whatever realm it comes from. */
function describe(e: unknown): string {
  const x = e as { stack?: unknown; message?: unknown } | null;
  if (typeof x === "object" && x !== null) {
    if (typeof x.stack === "string") return x.stack;
    if (typeof x.message === "string") return x.message;
  }
  return String(e);
}

export interface ExitOptions {
  /** The line above an invalid configuration's problems; default "Configuration is invalid". */
  invalidConfiguration?: string;
}

/** What a command that stopped early prints (stdout only for --help) and its exit code. */
export interface Failure {
  code: number;
  stdout: string;
  stderr: string;
}

/** The table above applied to what was thrown; exitCodeOf prints it, npm run docs embeds it. */
export function failureOf(e: unknown, options: ExitOptions = {}): Failure {
  const fail = (code: number, stderr: string): Failure => ({
    code,
    stdout: "",
    stderr: `${stderr}\n`,
  });
  if (e instanceof HelpRequested) return { code: EXIT_OK, stdout: `${e.usage}\n`, stderr: "" };
  if (e instanceof ConfigError) {
    const heading = options.invalidConfiguration ?? "Configuration is invalid";
    return fail(
      EXIT_INVALID_CONFIGURATION,
      `${heading} (${e.problems.length} problem(s)); nothing was written:\n${e.message}`,
    );
  }
  if (e instanceof GuardrailError) return fail(EXIT_INVALID_CONFIGURATION, e.message);
  if (e instanceof UsageError) return fail(EXIT_USAGE, e.message);
  if (e instanceof GateError) return fail(EXIT_GATE, e.message);
  if (e instanceof ExternalError || isSystemError(e)) return fail(EXIT_EXTERNAL, e.message);
  // Not one of the above is a bug in the command itself: the stack trace helps whoever fixes it.
  return fail(EXIT_EXTERNAL, describe(e));
}

/**
 * How a command that stopped early exits: prints what went wrong on stderr (the usage on stdout for
 * --help) and returns the code of the table above. Every command's main() ends in it.
 */
export function exitCodeOf(e: unknown, options: ExitOptions = {}): number {
  const f = failureOf(e, options);
  process.stdout.write(f.stdout);
  process.stderr.write(f.stderr);
  return f.code;
}

/** `--help` or `-h` before a `--` terminator, wherever it stands among the other flags. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

/**
 * node's parseArgs, the same way for every command: `--help`/`-h` throws HelpRequested (usage on
 * stdout, exit 0, nothing else runs) even next to an unknown flag; parseArgs's own errors (unknown
 * flag, missing value, unexpected argument) and a single-value flag given twice (parseArgs would keep
 * the last one silently) throw a UsageError carrying the usage (exit 2).
 */
export function parseFlags<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  const args = config.args ?? process.argv.slice(2);
  if (asksForHelp(args)) throw new HelpRequested(`${usage}\n\n${EXIT_CODES_HELP}`);
  const options: NonNullable<ParseArgsConfig["options"]> = { ...config.options };
  let parsed: {
    values: Record<string, unknown>;
    positionals: string[];
    tokens?: { kind: string; name?: string }[];
  };
  try {
    parsed = parseArgs({ ...config, args, options, tokens: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
  const seen = new Map<string, number>();
  for (const t of parsed.tokens ?? []) {
    if (t.kind === "option" && t.name) seen.set(t.name, (seen.get(t.name) ?? 0) + 1);
  }
  for (const [name, count] of seen) {
    if (count > 1 && !options[name]?.multiple) {
      throw new UsageError(`--${name}: given ${count} times; give it once\n\n${usage}`);
    }
  }
  return { values: parsed.values, positionals: parsed.positionals } as unknown as ReturnType<
    typeof parseArgs<T>
  >;
}

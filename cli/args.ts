// Small helpers the commands share: flag errors that name the flag, and numbers read strictly.
import { existsSync, realpathSync } from "node:fs";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/errors";
import { parseSelection } from "../config/selection";

/** A mistake in how a command was called; printed as-is, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
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

/** How a command that failed exits: 1 for an invalid configuration, 2 for a usage mistake. */
export function exitCodeOf(e: unknown): number {
  if (e instanceof ConfigError) {
    console.error(
      `Configuration is invalid (${e.problems.length} problem(s)); nothing was written:`,
    );
    console.error(e.message);
    return 1;
  }
  if (e instanceof UsageError) {
    console.error(e.message);
    return 2;
  }
  throw e;
}

/**
 * node's parseArgs, the same way for every command: its errors (unknown flag, missing value) and a
 * single-value flag given twice (parseArgs would keep the last one silently) become a UsageError
 * (exit 2); `--help`/`-h` prints the usage and exits 0 before anything else runs.
 */
export function parseFlags<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  const options: NonNullable<ParseArgsConfig["options"]> = {
    ...config.options,
    help: { type: "boolean", short: "h" },
  };
  let parsed: {
    values: Record<string, unknown>;
    positionals: string[];
    tokens?: { kind: string; name?: string }[];
  };
  try {
    parsed = parseArgs({ ...config, options, tokens: true });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
  if (parsed.values.help === true) {
    process.stdout.write(`${usage}\n`);
    process.exit(0);
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
  delete parsed.values.help;
  return { values: parsed.values, positionals: parsed.positionals } as unknown as ReturnType<
    typeof parseArgs<T>
  >;
}

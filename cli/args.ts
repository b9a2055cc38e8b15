// Small helpers the commands share: flag errors that name the flag, and numbers read strictly.
import { parseArgs, type ParseArgsConfig } from "node:util";
import { ConfigError } from "../config/errors";

/** A mistake in how a command was called; printed as-is, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}

export function positiveNumber(
  flag: string,
  value: string | undefined,
  integer = false,
): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n))) {
    throw new UsageError(
      `--${flag}: must be a positive ${integer ? "whole number" : "number"} (got ${JSON.stringify(value)})`,
    );
  }
  return n;
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

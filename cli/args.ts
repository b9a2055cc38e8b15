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

/** node's parseArgs, with its errors (unknown flag, missing value) turned into a UsageError. */
export function parseFlags<T extends ParseArgsConfig>(
  config: T,
  usage: string,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n\n${usage}`);
  }
}

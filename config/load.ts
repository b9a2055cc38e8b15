// Loads and validates the whole configuration: `accounts/organization.yaml`, every
// `accounts/teams/<team>.yaml`, the ledger and the SCP files they name. Synth and every command start
// here. Three steps: read and parse (read.ts), build the model (build.ts, a pure function), validate
// (validators/). Nothing is written anywhere; all problems are collected and thrown together as one
// ConfigError.
import { resolve } from "node:path";
import { buildLandingZone } from "./build";
import { ConfigError, type ConfigProblem } from "./errors";
import type { LandingZone } from "./model";
import { readConfiguration } from "./read";
import { validateLandingZone } from "./validators";

export interface LoadOptions {
  /** Folder holding organization.yaml and teams/; default `accounts` (or $LZ_ACCOUNTS_DIR). */
  accountsDir?: string;
  /** Paths in messages are relative to this; default the current directory. */
  cwd?: string;
  /**
   * A git revision to hold the ledger and team files against (config/validators/lifecycle-base.ts);
   * default $LZ_BASE_REF; "" for none.
   */
  base?: string;
}

export function defaultAccountsDir(): string {
  return process.env.LZ_ACCOUNTS_DIR ?? "accounts";
}

export function loadLandingZone(options: LoadOptions = {}): LandingZone {
  const cwd = options.cwd ?? process.cwd();
  const problems: ConfigProblem[] = [];
  const input = readConfiguration(
    {
      accountsDir: resolve(cwd, options.accountsDir ?? defaultAccountsDir()),
      cwd,
      baseRef: options.base ?? process.env.LZ_BASE_REF ?? "",
    },
    problems,
  );
  // Without organization.yaml nothing else can be resolved; the team files' own problems still show.
  if (!input) throw new ConfigError(byFile(problems));
  const lz = buildLandingZone(input);
  validateLandingZone(input, lz, problems);
  if (problems.length > 0) throw new ConfigError(byFile(problems));
  return lz;
}

/** Problems grouped by file (stable within a file), so a reader fixes one file at a time. */
function byFile(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.file.localeCompare(b.p.file) || a.i - b.i)
    .map(({ p }) => p);
}

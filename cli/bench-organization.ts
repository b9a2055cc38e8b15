// An organization of N generated teams (bench-0001, bench-0002, ...) added to an organization's
// settings: what `npm run bench` synthesizes, and the large organization the framework's tests load
// (test/helpers.ts, generatedAccounts) through the loader a user runs. One generator, so the
// benchmark's figures and the tests describe the same organization.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { parseDocument } from "yaml";
import { loadLandingZone } from "../config/load";

/** The environments a generated team has, in this order (`envs` takes the first ones). */
export const BENCH_ENV_NAMES = ["dev", "prod", "staging"];

/** The name of the i-th generated team (1-based). */
export function benchTeamName(i: number, prefix = "bench"): string {
  return `${prefix}-${String(i).padStart(4, "0")}`;
}

/** One generated team; every environment declares sync and async traffic. */
export function benchTeamFile(name: string, envNames: string[]): string {
  const envBlocks = envNames
    .map(
      (env, i) => `  ${env}:
    traffic:
      sync: { requestsPerSecond: ${5 + i * 20}, averageDurationMs: 100, p99DurationMs: 800 }
      async: { messagesPerSecond: ${1 + i * 4}, averageDurationMs: 2000 }
`,
    )
    .join("");
  return `# yaml-language-server: $schema=../../schemas/team.schema.json
name: ${name}
owners:
  - name: Bench Owner
    email: ${name}-owner@acme.example
costCenter: CC-BENCH
environments:
${envBlocks}`;
}

export interface BenchOptions {
  /** Team names are `<prefix>-0001`, ...; default `bench`. */
  prefix?: string;
  /** Keep the organization's own teams and ledger next to the generated ones; default false. */
  keepTeams?: boolean;
}

/**
 * Writes the generated organization into `accounts` (a new folder): `organizationFile` with its
 * account quota (declared or default) raised by the accounts added, since validation counts
 * accounts; the policies folder next to it; and `teams` teams in the first `envs` environments.
 * Returns the generated team names.
 */
export function writeBenchOrganization(
  accounts: string,
  organizationFile: string,
  teams: number,
  envs: number,
  options: BenchOptions = {},
): string[] {
  // Absolute: the loader resolves accountsDir against cwd, and both are this folder.
  const base = resolve(dirname(organizationFile));
  mkdirSync(join(accounts, "teams"), { recursive: true });
  if (options.keepTeams) cpSync(base, accounts, { recursive: true });
  else cpSync(join(base, "policies"), join(accounts, "policies"), { recursive: true });
  const quota = loadLandingZone({ accountsDir: base, cwd: base, base: "" }).org.quotas
    .organizationAccounts;
  const org = parseDocument(readFileSync(organizationFile, "utf8"));
  org.setIn(["quotas", "organizationAccounts"], quota + teams * envs);
  writeFileSync(join(accounts, "organization.yaml"), org.toString());
  const names = Array.from({ length: teams }, (_, i) => benchTeamName(i + 1, options.prefix));
  for (const name of names) {
    writeFileSync(
      join(accounts, "teams", `${name}.yaml`),
      benchTeamFile(name, BENCH_ENV_NAMES.slice(0, envs)),
    );
  }
  return names;
}

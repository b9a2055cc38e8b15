// An organization of N generated teams, for measuring and testing at scale: `npm run bench` synthesizes
// one, and the framework's tests load one (test/helpers.ts, generatedAccounts) through the same loader
// a user runs. One generator, so the benchmark's figures and the tests describe the same organization.
import { cpSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { loadLandingZone } from "../config/load";

/** The environments a generated team has, in this order (`envs` takes the first ones). */
export const SYNTHETIC_ENVS = ["dev", "prod", "staging"] as const;

export interface SyntheticOptions {
  /** How many teams to generate. */
  teams: number;
  /** How many environments each has (1 to 3, from SYNTHETIC_ENVS); default 2. */
  envs?: number;
  /** Team names are `<prefix>-0001`, `<prefix>-0002`, ...; default `bench`. */
  prefix?: string;
  /** Keep the base organization's teams and ledger next to the generated ones; default false. */
  keepTeams?: boolean;
}

/** The name of the i-th generated team (1-based). */
export function syntheticTeamName(i: number, prefix = "bench"): string {
  return `${prefix}-${String(i).padStart(4, "0")}`;
}

/** A generated team file: owners, a cost center, and traffic that grows with each environment. */
export function syntheticTeamFile(name: string, envs: readonly string[]): string {
  const blocks = envs
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
${blocks}`;
}

/**
 * Writes into `target` (an empty or missing folder) the organization of `base` (an accounts folder)
 * with N generated teams: base's organization.yaml, its account quota raised by the generated
 * accounts, and its policies/. Returns the generated team names.
 */
export function writeSyntheticOrganization(
  base: string,
  target: string,
  options: SyntheticOptions,
): string[] {
  const { teams, envs = 2, prefix = "bench", keepTeams = false } = options;
  if (!Number.isInteger(teams) || teams < 1)
    throw new Error(`teams must be 1 or more (got ${teams})`);
  if (!Number.isInteger(envs) || envs < 1 || envs > SYNTHETIC_ENVS.length) {
    throw new Error(`envs must be 1 to ${SYNTHETIC_ENVS.length} (got ${envs})`);
  }
  mkdirSync(join(target, "teams"), { recursive: true });
  if (keepTeams) cpSync(base, target, { recursive: true });
  else if (existsSync(join(base, "policies"))) {
    cpSync(join(base, "policies"), join(target, "policies"), { recursive: true });
  }
  // Validation counts accounts against the Organizations quota: raise base's (declared or default)
  // by the accounts added.
  const quota = loadLandingZone({ accountsDir: base, cwd: base, base: "" }).org.quotas
    .organizationAccounts;
  const org = parseDocument(readFileSync(join(base, "organization.yaml"), "utf8"));
  org.setIn(["quotas", "organizationAccounts"], quota + teams * envs);
  writeFileSync(join(target, "organization.yaml"), org.toString());
  const names = Array.from({ length: teams }, (_, i) => syntheticTeamName(i + 1, prefix));
  for (const name of names) {
    writeFileSync(
      join(target, "teams", `${name}.yaml`),
      syntheticTeamFile(name, SYNTHETIC_ENVS.slice(0, envs)),
    );
  }
  return names;
}

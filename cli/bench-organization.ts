// The organization `npm run bench` synthesizes: N generated teams (bench-0001, bench-0002, ...) next
// to a copy of an organization file and its policies. One home, so the benchmark (scripts/bench.mjs)
// and the figures docs/scale.md derives from it (npm run docs) describe the same organization.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";

export const BENCH_ENV_NAMES = ["dev", "prod", "staging"];

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

/**
 * Writes the generated organization into `accounts` (a new folder): `organizationFile` with the
 * account quota it needs (validation counts accounts), the policies folder next to it, and the teams.
 */
export function writeBenchOrganization(
  accounts: string,
  organizationFile: string,
  teams: number,
  envs: number,
): void {
  mkdirSync(join(accounts, "teams"), { recursive: true });
  writeFileSync(
    join(accounts, "organization.yaml"),
    readFileSync(organizationFile, "utf8").replace(
      /organizationAccounts: \d+/,
      `organizationAccounts: ${teams * envs + 10}`,
    ),
  );
  cpSync(join(dirname(organizationFile), "policies"), join(accounts, "policies"), {
    recursive: true,
  });
  for (let i = 1; i <= teams; i++) {
    const name = `bench-${String(i).padStart(4, "0")}`;
    writeFileSync(
      join(accounts, "teams", `${name}.yaml`),
      benchTeamFile(name, BENCH_ENV_NAMES.slice(0, envs)),
    );
  }
}

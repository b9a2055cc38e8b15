// `npm run bench -- --teams <N> [--envs <M>] [--stacks <glob>]`: generates N synthetic teams
// (bench-0001, bench-0002, ...) next to a copy of accounts/organization.yaml in a temporary folder
// (never inside accounts/), synthesizes them as `npm run synth` does, removes what it made, and
// prints one JSON line: {"teams":N,"stacks":S,"resources":R,"synthSeconds":T,"peakRssMB":M}.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";

const ENV_NAMES = ["dev", "prod", "staging"];

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(2);
}

const { values } = parseArgs({
  options: {
    teams: { type: "string" },
    envs: { type: "string", default: "2" },
    stacks: { type: "string" },
  },
});
const teams = Number(values.teams);
const envs = Number(values.envs);
if (!Number.isInteger(teams) || teams < 1 || teams > 9999)
  fail("--teams must be a whole number from 1 to 9999");
if (!Number.isInteger(envs) || envs < 1 || envs > ENV_NAMES.length)
  fail(`--envs must be 1 to ${ENV_NAMES.length}`);

const repo = join(import.meta.dirname, "..");
const work = mkdtempSync(join(tmpdir(), "lz-bench-"));
try {
  const accounts = join(work, "accounts");
  mkdirSync(join(accounts, "teams"), { recursive: true });
  // The generated organization declares the account quota it needs (validation counts accounts).
  writeFileSync(
    join(accounts, "organization.yaml"),
    readFileSync(join(repo, "accounts", "organization.yaml"), "utf8").replace(
      /organizationAccounts: \d+/,
      `organizationAccounts: ${teams * envs + 10}`,
    ),
  );
  cpSync(join(repo, "accounts", "policies"), join(accounts, "policies"), { recursive: true });
  for (let i = 1; i <= teams; i++) {
    const name = `bench-${String(i).padStart(4, "0")}`;
    writeFileSync(
      join(accounts, "teams", `${name}.yaml`),
      teamFile(name, ENV_NAMES.slice(0, envs)),
    );
  }
  const statsFile = join(work, "stats.json");
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [join(repo, "build", "main.js")], {
    cwd: work,
    env: {
      ...process.env,
      LZ_ACCOUNTS_DIR: accounts,
      LZ_SYNTH_STATS: statsFile,
      ...(values.stacks ? { LZ_STACKS: values.stacks } : {}),
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // Synth's progress (a bar on a terminal, a heartbeat line elsewhere) and errors show as they come.
    stdio: ["ignore", "pipe", "inherit"],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) fail(`synth failed (exit ${run.status})`);
  const stats = JSON.parse(readFileSync(statsFile, "utf8"));
  console.log(
    JSON.stringify({
      teams,
      stacks: stats.stacks,
      resources: stats.resources,
      synthSeconds: Math.round(seconds * 100) / 100,
      peakRssMB: stats.peakRssMB,
    }),
  );
} finally {
  rmSync(work, { recursive: true, force: true });
}

function teamFile(name, envNames) {
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

// `npm run bench -- --teams <N> [--envs <M>] [--stacks <glob>]`: generates N synthetic teams
// (bench-0001, bench-0002, ...) next to a copy of accounts/organization.yaml (or $LZ_ACCOUNTS_DIR's)
// in a temporary folder (never inside accounts/), synthesizes them as `npm run synth` does, removes
// what it made, and prints one JSON line:
// {"teams":N,"stacks":S,"resources":R,"synthSeconds":T,"peakRssMB":M}.
// The generator is cli/bench-organization.ts, which the tests' large organization uses too.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";

const repo = join(import.meta.dirname, "..");
const require = createRequire(import.meta.url);
const { BENCH_ENV_NAMES: ENV_NAMES, writeBenchOrganization } = require(
  join(repo, "build", "cli", "bench-organization.js"),
);
const { exitCodeOf } = require(join(repo, "build", "cli", "args.js"));

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

const work = mkdtempSync(join(tmpdir(), "lz-bench-"));
try {
  const accounts = join(work, "accounts");
  const organization = join(
    resolve(process.env.LZ_ACCOUNTS_DIR ?? "accounts"),
    "organization.yaml",
  );
  writeBenchOrganization(accounts, organization, teams, envs);
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
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (run.status !== 0) fail(`synth failed (exit ${run.status}):\n${run.stderr.slice(0, 4000)}`);
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
} catch (e) {
  // The organization the teams join is invalid: the loader's message names file and field.
  process.exitCode = exitCodeOf(e);
} finally {
  rmSync(work, { recursive: true, force: true });
}

// `npm run bench -- --teams <N> [--envs <M>] [--stacks <glob>]`: generates N synthetic teams
// (bench-0001, bench-0002, ...) next to a copy of accounts/organization.yaml (or $LZ_ACCOUNTS_DIR's)
// in a temporary folder (never inside accounts/), synthesizes them as `npm run synth` does, removes
// what it made, and prints one JSON line:
// {"teams":N,"stacks":S,"resources":R,"synthSeconds":T,"peakRssMB":M}.
// The generator is cli/bench-organization.ts, which the tests' large organization uses too.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { buildDir, built } from "./built.mjs";

const USAGE = `Usage: npm run bench -- --teams <N> [--envs <M>] [--stacks <id or glob>[,...]]
  Synthesizes N generated teams (M environments each, default 2) next to a copy of
  accounts/organization.yaml (or $LZ_ACCOUNTS_DIR's) in a temporary folder and prints one JSON line
  of figures.
  --stacks   synthesize only these stacks (as LZ_STACKS), still validating all N teams`;

const {
  decimalNumber,
  EXIT_EXTERNAL,
  EXIT_INVALID_CONFIGURATION,
  EXIT_USAGE,
  exitCodeOf,
  parseFlags,
  UsageError,
} = built("cli/args.js");
const { BENCH_ENV_NAMES: ENV_NAMES, writeBenchOrganization } = built("cli/bench-organization.js");

/** The flags, checked before anything is generated: a mistake exits 2 and --help 0. */
function parse(argv) {
  const { values } = parseFlags(
    {
      args: argv,
      options: {
        teams: { type: "string" },
        envs: { type: "string", default: "2" },
        stacks: { type: "string" },
      },
    },
    USAGE,
  );
  if (values.teams === undefined) throw new UsageError(`--teams is required\n\n${USAGE}`);
  // Decimal digits only: Number() alone would also take 0x10, 1e3 and " 5".
  const teams = decimalNumber("teams", values.teams, {
    unit: "teams",
    min: 1,
    max: 9999,
    integer: true,
  });
  const envs = decimalNumber("envs", values.envs, {
    unit: "environments",
    min: 1,
    max: ENV_NAMES.length,
    integer: true,
  });
  return { teams, envs, stacks: values.stacks };
}

let flags;
try {
  flags = parse(process.argv.slice(2));
} catch (e) {
  process.exit(exitCodeOf(e));
}
const { teams, envs } = flags;

/** Synth's own invalid configuration or usage error passes through; anything else is a failure. */
function fail(code, message) {
  console.error(`bench: ${message}`);
  process.exit([EXIT_INVALID_CONFIGURATION, EXIT_USAGE].includes(code) ? code : EXIT_EXTERNAL);
}

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
  const run = spawnSync(process.execPath, [join(buildDir, "main.js")], {
    cwd: work,
    env: {
      ...process.env,
      LZ_ACCOUNTS_DIR: accounts,
      LZ_SYNTH_STATS: statsFile,
      ...(flags.stacks ? { LZ_STACKS: flags.stacks } : {}),
    },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
    // Synth's progress (a bar on a terminal, a heartbeat line elsewhere) and errors show as they come.
    stdio: ["ignore", "pipe", "inherit"],
  });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  // Synth printed its own error on the inherited stderr.
  if (run.status !== 0) fail(run.status, `synth failed (exit ${run.status})`);
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

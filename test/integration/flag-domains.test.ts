// Every flag has a documented domain, checked before anything runs: numeric flags are decimal and
// bounded, output folders stay out of the accounts folder and the source folders, a selection of
// nothing is a usage error, and a `key=value` flag given twice for one key is refused. Each case
// exits 2 and changes nothing. Runs have a time limit: before, some of them never ended.
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { buildCli } from "../cli";
import { EXAMPLE_ACCOUNTS, REPO, removeDir } from "../helpers";

let cli: ReturnType<typeof buildCli>;
let project: string;
beforeAll(() => {
  cli = buildCli("flag-domains");
});
afterAll(() => cli.cleanup());
beforeEach(() => {
  project = mkdtempSync(join(tmpdir(), "lz-flags-"));
  cpSync(EXAMPLE_ACCOUNTS, join(project, "accounts"), { recursive: true });
});
afterEach(() => removeDir(project));

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const base = Object.fromEntries(
    Object.entries(process.env).filter(
      ([k]) => !["LZ_ACCOUNTS_DIR", "LZ_STACKS", "CDKTF_OUTDIR"].includes(k),
    ),
  );
  const r = spawnSync(process.execPath, [script, ...args], {
    cwd: project,
    encoding: "utf8",
    timeout: 30_000,
    env: { ...base, ...env },
  });
  return { code: r.status, stderr: r.stderr, stdout: r.stdout };
}

/** Every file under the project with its content, to prove nothing changed. */
function snapshot(): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(project, rel), { withFileTypes: true })) {
      const path = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(path);
      else if (entry.isSymbolicLink()) out[path] = "(symlink)";
      else out[path] = readFileSync(join(project, path), "utf8");
    }
  };
  walk("");
  return out;
}

function refused(
  script: string,
  args: string[],
  message: RegExp,
  env: Record<string, string> = {},
) {
  const before = snapshot();
  const r = run(join(cli.dir, script), args, env);
  expect({ code: r.code, stderr: r.stderr }).toEqual({
    code: 2,
    stderr: expect.stringMatching(message),
  });
  expect(snapshot()).toEqual(before);
}

describe("npm run loadtest", () => {
  test.each<[string[], RegExp]>([
    [
      ["--duration", "1e9"],
      /^--duration: must be a decimal number of seconds above 0 to 3600 \(got "1e9"\)$/m,
    ],
    [
      ["--duration", "0x10"],
      /^--duration: must be a decimal number of seconds .* \(got "0x10"\)$/m,
    ],
    [
      ["--duration", "86400"],
      /^--duration: must be a decimal number of seconds above 0 to 3600 \(got "86400"\)$/m,
    ],
    [
      ["--local-delay-ms", "1e9"],
      /^--local-delay-ms: must be a whole number of milliseconds from 0 to 30000 \(got "1e9"\)$/m,
    ],
    [["--local-delay-ms", "100.5"], /^--local-delay-ms: must be a whole number/m],
  ])("%p", (args, message) => {
    refused("cli/loadtest.js", ["payments", "dev", "--profile", "smoke", ...args], message);
  });

  test.each<[string, RegExp]>([
    ["accounts/teams", /^--out: "accounts\/teams" is inside accounts; write results elsewhere/m],
    ["accounts", /^--out: "accounts" is inside accounts;/m],
    ["./accounts/../accounts/policies/x", /^--out: ".*" is inside accounts;/m],
    [join(REPO, "config"), /^--out: ".*config" is inside .*config;/m],
  ])("--out %s", (out, message) => {
    refused(
      "cli/loadtest.js",
      ["payments", "dev", "--profile", "smoke", "--duration", "1", "--out", out],
      message,
    );
  });

  test("--out through a symlink into the accounts folder", () => {
    spawnSync("ln", ["-s", join(project, "accounts", "teams"), join(project, "results")]);
    refused(
      "cli/loadtest.js",
      ["payments", "dev", "--profile", "smoke", "--duration", "1", "--out", "results/run"],
      /^--out: "results\/run" is inside accounts;/m,
    );
  });
});

describe("npm run onboard", () => {
  const BASE = ["--team", "orders", "--owner-email", "lee@acme.example", "--cost-center", "CC-1"];
  test.each<[string[], RegExp]>([
    [
      ["--rps", "0x10"],
      /^--rps: must be a decimal number of requests per second above 0 to 100000 \(got "0x10"\)$/m,
    ],
    [["--rps", "1e3"], /^--rps: must be a decimal number .* \(got "1e3"\)$/m],
    [["--rps", " 10"], /^--rps: must be a decimal number .* \(got " 10"\)$/m],
    [
      ["--duration-ms", "0b11"],
      /^--duration-ms: must be a whole number of milliseconds above 0 to 29000 \(got "0b11"\)$/m,
    ],
    [
      ["--async-mps", "1", "--async-duration-ms", "1e6"],
      /^--async-duration-ms: must be a whole number of milliseconds above 0 to 900000/m,
    ],
    [
      ["--account-email", "dev=a@acme.example", "--account-email", "dev=b@acme.example"],
      /^--account-email: dev is given twice \("dev=a@acme\.example" and "dev=b@acme\.example"\); give it once$/m,
    ],
    [["--envs", "dev,,prod"], /^--envs: has an empty entry \(got "dev,,prod"\)/m],
  ])("%p", (args, message) => {
    refused("cli/onboard.js", [...BASE, ...args], message);
  });
});

describe("npm run synth", () => {
  beforeEach(() => {
    // A previous synth's output, which a refused run must leave as it was.
    mkdirSync(join(project, "cdktf.out", "stacks", "organization"), { recursive: true });
    writeFileSync(join(project, "cdktf.out", "manifest.json"), '{"previous":true}');
  });

  test.each<[Record<string, string>, RegExp]>([
    [{ LZ_STACKS: ", ," }, /^LZ_STACKS: selects nothing \(got ", ,"\); name at least one$/m],
    [{ LZ_STACKS: "," }, /^LZ_STACKS: selects nothing/m],
    [{ LZ_STACKS: "organization,,log-archive" }, /^LZ_STACKS: has an empty entry/m],
    [{ CDKTF_OUTDIR: "accounts/teams" }, /^CDKTF_OUTDIR: "accounts\/teams" is inside accounts;/m],
    [{ CDKTF_OUTDIR: "." }, /^CDKTF_OUTDIR: "\." holds accounts;/m],
  ])("%p", (env, message) => {
    refused("main.js", [], message, env);
  });
});

test("npm run rehearse -- --stacks , is refused before anything is installed or started", () => {
  refused(
    "cli/rehearse.js",
    ["--config", "accounts", "--stacks", ","],
    /^--stacks: selects nothing/m,
  );
});

test("npm run bench -- --teams 0x10 is refused", () => {
  const r = spawnSync(process.execPath, [join(REPO, "scripts", "bench.mjs"), "--teams", "0x10"], {
    cwd: REPO,
    encoding: "utf8",
    timeout: 30_000,
  });
  expect({ code: r.status, stderr: r.stderr }).toEqual({
    code: 2,
    stderr: '--teams: must be a whole number of teams from 1 to 9999 (got "0x10")\n',
  });
});

// `npm run scan [-- <cdktf.out folder>]`: the independent second opinion. Synthesizes (as `npm run
// synth`), then runs checkov (pinned, installed from PyPI into .venv by this script) over the stacks in
// cdktf.out/stacks, and fails (exit 3) on any failed check that .checkov.yaml does not waive with a
// one-line justification, on a stack checkov cannot parse, and on a waiver that no longer matches
// anything. Given a folder, it scans that folder's stacks as they are, without synthesizing.
import { spawn, spawnSync } from "node:child_process";
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isSeq, parseDocument } from "yaml";
import { buildDir, built } from "./built.mjs";

const CHECKOV_VERSION = "3.3.30";
const USAGE = `Usage: npm run scan [-- <cdktf.out folder>]
  Synthesizes every stack (as npm run synth), then runs checkov ${CHECKOV_VERSION} over cdktf.out/stacks; fails on
  an unwaived failed check, a stack checkov cannot parse, or a waiver in .checkov.yaml that matches nothing.
  <cdktf.out folder>   scan that folder's stacks as they are, without synthesizing`;

const {
  EXIT_EXTERNAL,
  EXIT_GATE,
  EXIT_INVALID_CONFIGURATION,
  EXIT_OK,
  EXIT_USAGE,
  ExternalError,
  exitCodeOf,
  parseFlags,
  UsageError,
} = built("cli/args.js");
// The one progress module of the commands (cli/progress.ts).
const { withHeartbeat } = built("cli/progress.js");

const VENV = resolve(".venv");
const bin = (name) => join(VENV, "bin", name);

function run(cmd, args, options = {}) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  if (r.error) throw new ExternalError(`${cmd}: ${r.error.message}`);
  return r;
}

/** `npm run synth` in this process's folder; its invalid configuration or usage error passes through. */
function synthesize() {
  const r = spawnSync(process.execPath, [join(buildDir, "main.js")], { stdio: "inherit" });
  if (r.status === EXIT_OK) return EXIT_OK;
  if (r.status === EXIT_INVALID_CONFIGURATION || r.status === EXIT_USAGE) return r.status;
  console.error(`synth failed (${r.error?.message ?? `exit ${r.status ?? r.signal}`})`);
  return EXIT_EXTERNAL;
}

/**
 * A long step (an install, the scan) run without blocking, so its progress beats meanwhile: a
 * heartbeat line off a terminal. Resolves like spawnSync's result: status, stdout, stderr.
 */
function runLong(title, cmd, args, options = {}) {
  return withHeartbeat(
    title,
    () =>
      new Promise((resolvePromise, reject) => {
        const child = spawn(cmd, args, { ...options, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
        child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
        child.on("error", (e) => reject(new ExternalError(`${cmd}: ${e.message}`)));
        child.on("close", (status) => resolvePromise({ status, stdout, stderr }));
      }),
  );
}

/** Reuses .venv when it holds the pinned checkov; otherwise (re)creates it from PyPI. */
async function ensureCheckov() {
  if (existsSync(bin("checkov"))) {
    const show = run(bin("python"), ["-m", "pip", "show", "checkov"]);
    if (/^Version: (.+)$/m.exec(show.stdout)?.[1] === CHECKOV_VERSION) return;
  }
  console.log(`Installing checkov ${CHECKOV_VERSION} into .venv ...`);
  const python = process.env.PYTHON ?? "python3";
  const venv = run(python, ["-m", "venv", VENV], { stdio: "inherit" });
  if (venv.status !== 0)
    throw new ExternalError(`${python} -m venv ${VENV} failed (exit ${venv.status})`);
  const args = [
    "-m",
    "pip",
    "install",
    "--quiet",
    "--disable-pip-version-check",
    `checkov==${CHECKOV_VERSION}`,
  ];
  const r = await runLong(`installing checkov ${CHECKOV_VERSION}`, bin("python"), args);
  if (r.status !== 0) {
    process.stderr.write(r.stdout + r.stderr);
    throw new ExternalError(`${bin("python")} ${args.join(" ")} failed (exit ${r.status})`);
  }
}

/** Waivers: every skip-check entry with the justification written as its comment. */
function readConfig(file) {
  if (!existsSync(file)) return { waivers: [], problems: [`${file}: does not exist`] };
  const doc = parseDocument(readFileSync(file, "utf8"));
  if (doc.errors.length > 0)
    return { waivers: [], problems: [`${file}: ${doc.errors[0].message}`] };
  const skips = doc.get("skip-check", true);
  const waivers = [];
  const problems = [];
  if (skips !== undefined && !isSeq(skips)) problems.push(`${file}: skip-check: must be a list`);
  for (const [i, item] of (isSeq(skips) ? skips.items : []).entries()) {
    const id = String(item.value ?? "");
    const reason = (item.comment ?? "").trim();
    if (!/^CKV2?_[A-Z0-9]+_\d+$/.test(id))
      problems.push(
        `${file}: skip-check[${i}]: not a checkov check id (got ${JSON.stringify(id)})`,
      );
    if (reason.length < 10)
      problems.push(`${file}: skip-check[${i}] ${id}: needs a one-line justification as a comment`);
    waivers.push({ id, reason });
  }
  const frameworks = doc.toJS()?.framework ?? ["terraform_json"];
  return { waivers, problems, frameworks: [].concat(frameworks) };
}

/**
 * checkov 3.3's terraform_json parser rejects a file with `import` or `moved` block lists (adopted
 * accounts have them). Those blocks carry no configuration to judge, so the scanned copy drops them;
 * everything else is scanned byte for byte. Returns stack id -> resource address -> construct path.
 */
function prepareInput(outdir, scanDir) {
  const stacksDir = join(outdir, "stacks");
  if (!existsSync(stacksDir))
    throw new UsageError(`${stacksDir} does not exist; run npm run synth first`);
  const paths = new Map();
  for (const id of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, id, "cdk.tf.json");
    if (!existsSync(file)) continue;
    const tf = JSON.parse(readFileSync(file, "utf8"));
    delete tf.import;
    delete tf.moved;
    mkdirSync(join(scanDir, id));
    writeFileSync(join(scanDir, id, "cdk.tf.json"), JSON.stringify(tf, null, 2));
    const byAddress = new Map();
    for (const [type, byName] of Object.entries(tf.resource ?? {})) {
      for (const [name, attrs] of Object.entries(byName)) {
        const path = attrs?.["//"]?.metadata?.path ?? `${id}/${name}`;
        // checkov names terraform_json resources `type.name` or `resource.name` depending on the check.
        byAddress.set(`${type}.${name}`, path);
        byAddress.set(`resource.${name}`, path);
      }
    }
    paths.set(id, byAddress);
  }
  if (paths.size === 0)
    throw new UsageError(`${stacksDir} holds no stacks; run npm run synth first`);
  return paths;
}

async function main(argv) {
  const { positionals } = parseFlags({ args: argv, allowPositionals: true, options: {} }, USAGE);
  if (positionals.length > 1) throw new UsageError(`give at most one folder\n\n${USAGE}`);
  const config = readConfig(".checkov.yaml");
  if (config.problems.length > 0) {
    console.error(config.problems.join("\n"));
    return EXIT_INVALID_CONFIGURATION;
  }
  // A folder given is scanned as it is; otherwise synthesize first, before anything is installed.
  if (positionals.length === 0) {
    const synth = synthesize();
    if (synth !== EXIT_OK) return synth;
  }
  const outdir = resolve(positionals[0] ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  // Inputs first: a missing synth or a bad waiver fails before anything is installed.
  const scanDir = mkdtempSync(join(tmpdir(), "lz-scan-"));
  try {
    const paths = prepareInput(outdir, scanDir);
    await ensureCheckov();
    // No skips passed to checkov: every failure comes back, and waivers are applied (and counted) here.
    const r = await runLong(
      `checkov over ${paths.size} stacks`,
      bin("checkov"),
      ["-d", scanDir, "--framework", ...config.frameworks, "--skip-download", "-o", "json"],
      { cwd: scanDir, env: { ...process.env, BC_SKIP_MAPPING: "TRUE", LOG_LEVEL: "ERROR" } },
    );
    let reports;
    try {
      reports = [].concat(JSON.parse(r.stdout));
    } catch {
      console.error(r.stderr || r.stdout);
      throw new ExternalError(`checkov produced no JSON report (exit ${r.status})`);
    }
    let passed = 0;
    let parsingErrors = 0;
    const failed = [];
    for (const report of reports) {
      passed += report.summary?.passed ?? 0;
      parsingErrors += report.summary?.parsing_errors ?? 0;
      failed.push(...(report.results?.failed_checks ?? []));
      for (const f of report.results?.parsing_errors ?? []) console.error(`cannot parse: ${f}`);
    }
    const waived = new Map(config.waivers.map((w) => [w.id, 0]));
    const unwaived = [];
    for (const f of failed) {
      if (waived.has(f.check_id)) waived.set(f.check_id, waived.get(f.check_id) + 1);
      else unwaived.push(f);
    }
    const stale = [...waived].filter(([, n]) => n === 0).map(([id]) => id);
    const skipped = failed.length - unwaived.length;
    console.log(
      `checkov ${CHECKOV_VERSION} over ${paths.size} stacks: ${passed} passed, ${unwaived.length} failed, ${skipped} skipped (waived in .checkov.yaml by ${config.waivers.length} check ids), ${parsingErrors} parsing errors`,
    );
    for (const f of unwaived.sort((a, b) =>
      `${a.file_path}${a.resource}`.localeCompare(`${b.file_path}${b.resource}`),
    )) {
      const stack = f.file_path.split("/").filter(Boolean)[0];
      const path = paths.get(stack)?.get(f.resource) ?? f.resource;
      console.log(`FAILED ${f.check_id} ${stack}: ${path}: ${f.check_name}`);
    }
    for (const id of stale)
      console.log(`STALE waiver ${id}: no failed check matches it; remove it from .checkov.yaml`);
    if (unwaived.length > 0 || parsingErrors > 0 || stale.length > 0) {
      console.error(
        `scan: ${unwaived.length} unwaived failed check(s), ${parsingErrors} stack(s) checkov cannot parse, ${stale.length} stale waiver(s)`,
      );
      return EXIT_GATE;
    }
    return EXIT_OK;
  } finally {
    rmSync(scanDir, { recursive: true, force: true });
  }
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (e) {
  process.exitCode = exitCodeOf(e);
}

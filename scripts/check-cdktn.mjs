// `npm run check:cdktn`: the tested path to CDK Terrain. HashiCorp archived cdktf on 2025-12-10;
// its community fork CDK Terrain publishes `cdktn` and `@cdktn/provider-aws` with the same API.
// This builds the landing zone against them (no source change: the bundler resolves `cdktf`,
// `@cdktf/provider-aws` and `constructs` to the cdktn packages), synthesizes the example with both,
// and fails when any stack's Terraform differs beyond the version stamps and the provider's
// source/version pin. The cdktn packages are installed, pinned, into a cache folder outside the
// repository; nothing in package.json changes.
//
//   node scripts/check-cdktn.mjs        (npm run check:cdktn builds first)
//
// Exit codes (cli/args.ts): 0 identical, 3 a difference, 4 the install, the bundle or a synth failed.
import { build } from "esbuild";
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { isDeepStrictEqual } from "node:util";
import { built } from "./built.mjs";

const CDKTN = { cdktn: "0.24.0", "@cdktn/provider-aws": "25.7.0", constructs: "10.6.0" };
const RENAMES = [
  [/^cdktf(\/.*)?$/, (m) => `cdktn${m[1] ?? ""}`],
  [/^@cdktf\/provider-aws(\/.*)?$/, (m) => `@cdktn/provider-aws${m[1] ?? ""}`],
  [/^constructs(\/.*)?$/, (m) => `constructs${m[1] ?? ""}`],
];

const USAGE = `Usage: npm run check:cdktn
  Installs cdktn ${CDKTN.cdktn} and @cdktn/provider-aws ${CDKTN["@cdktn/provider-aws"]} (pinned, into a cache folder outside the
  repository), synthesizes accounts/ with both cdktf and cdktn, and fails on any difference
  beyond the version stamps and the provider pin. Takes no flags.`;

const { EXIT_GATE, EXIT_OK, ExternalError, exitCodeOf, parseFlags } = built("cli/args.js");

const repo = resolve(import.meta.dirname, "..");
const work = join(repo, ".cdktn-check");
const deps = join(tmpdir(), `lz-cdktn-${Object.values(CDKTN).join("-")}`);

function run(cmd, args, options) {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 256 * 1024 * 1024, ...options });
  if (r.error || r.status !== 0) {
    throw new ExternalError(`${cmd} ${args.join(" ")} failed:\n${r.error?.message ?? r.stderr}`);
  }
  return r;
}

function installCdktn() {
  const marker = join(deps, "installed.json");
  if (existsSync(marker) && readFileSync(marker, "utf8") === JSON.stringify(CDKTN)) return;
  console.log(
    `Installing ${Object.entries(CDKTN)
      .map(([n, v]) => `${n}@${v}`)
      .join(", ")} ...`,
  );
  rmSync(deps, { recursive: true, force: true });
  mkdirSync(deps, { recursive: true });
  writeFileSync(
    join(deps, "package.json"),
    JSON.stringify({ name: "lz-cdktn-check", private: true, dependencies: CDKTN }),
  );
  run("npm", ["install", "--no-audit", "--no-fund", "--ignore-scripts"], { cwd: deps });
  writeFileSync(marker, JSON.stringify(CDKTN));
}

/** One file that runs main.ts on cdktn; every other package stays the repository's own. */
async function bundleOnCdktn(outfile) {
  const requireFromDeps = createRequire(join(deps, "package.json"));
  await build({
    entryPoints: [join(repo, "main.ts")],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    logLevel: "warning",
    plugins: [
      {
        name: "cdktf-to-cdktn",
        setup(b) {
          b.onResolve({ filter: /^[^./]/ }, (args) => {
            // cdktn's own dependencies resolve and bundle from its folder as usual.
            if (args.importer.startsWith(deps)) return undefined;
            for (const [re, to] of RENAMES) {
              const m = re.exec(args.path);
              if (m) return { path: requireFromDeps.resolve(to(m)) };
            }
            return { path: args.path, external: true };
          });
        },
      },
    ],
  });
}

function synth(entry, outdir) {
  rmSync(outdir, { recursive: true, force: true });
  // One thread: the bundle has no separate worker file.
  run(process.execPath, [entry], {
    cwd: repo,
    env: { ...process.env, CDKTF_OUTDIR: outdir, LZ_SYNTH_WORKERS: "1", LZ_STACKS: "" },
  });
  const stacks = {};
  for (const id of readdirSync(join(outdir, "stacks")).sort()) {
    stacks[id] = JSON.parse(readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8"));
  }
  return stacks;
}

/** What may differ: the tool's version stamps and the provider pin (cdktn's bindings are newer). */
function comparable(stack) {
  const copy = JSON.parse(JSON.stringify(stack, (k, v) => (k === "//" ? undefined : v)));
  delete copy.terraform?.required_providers;
  return copy;
}

function firstDifference(a, b, path = "") {
  if (isDeepStrictEqual(a, b)) return undefined;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) {
    return `${path || "(root)"}: ${JSON.stringify(a)?.slice(0, 120)} vs ${JSON.stringify(b)?.slice(0, 120)}`;
  }
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    const d = firstDifference(a[k], b[k], path ? `${path}.${k}` : k);
    if (d) return d;
  }
  return undefined;
}

try {
  // Before anything is installed: the flags (none but --help).
  parseFlags({ args: process.argv.slice(2), options: {} }, USAGE);
  installCdktn();
  rmSync(work, { recursive: true, force: true });
  mkdirSync(work, { recursive: true });
  await bundleOnCdktn(join(work, "main-cdktn.js")).catch((e) => {
    throw new ExternalError(`bundling the landing zone on cdktn failed: ${e.message}`);
  });
  const cdktf = synth(join(repo, "build", "main.js"), join(work, "cdktf.out"));
  const cdktn = synth(join(work, "main-cdktn.js"), join(work, "cdktn.out"));
  const problems = [];
  for (const id of new Set([...Object.keys(cdktf), ...Object.keys(cdktn)])) {
    if (!cdktf[id] || !cdktn[id]) {
      problems.push(`${id}: only ${cdktf[id] ? "cdktf" : "cdktn"} synthesizes it`);
      continue;
    }
    const d = firstDifference(comparable(cdktf[id]), comparable(cdktn[id]));
    if (d) problems.push(`${id}: ${d}`);
  }
  const resources = Object.values(cdktn).reduce(
    (n, s) => n + Object.values(s.resource ?? {}).reduce((m, b) => m + Object.keys(b).length, 0),
    0,
  );
  const providers = [
    ...new Set(Object.values(cdktn).map((s) => JSON.stringify(s.terraform?.required_providers))),
  ];
  if (problems.length > 0) {
    console.error(`cdktn ${CDKTN.cdktn} synthesizes differently:\n  ${problems.join("\n  ")}`);
    process.exitCode = EXIT_GATE;
  } else {
    console.log(
      `cdktn ${CDKTN.cdktn} with @cdktn/provider-aws ${CDKTN["@cdktn/provider-aws"]}: ${Object.keys(cdktn).length} stacks, ${resources} resources, identical to cdktf's but for version stamps and the provider pin ${providers.join(", ")}`,
    );
    rmSync(work, { recursive: true, force: true });
    process.exitCode = EXIT_OK;
  }
} catch (e) {
  process.exitCode = exitCodeOf(e);
}

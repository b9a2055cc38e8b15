// Deterministic packages of the bundled reference service: esbuild bundles each entry point (the AWS
// SDK v3 is left out, the Lambda Node.js runtime ships it), fflate zips it with a fixed timestamp.
// Same code, same bytes, same source_code_hash. Built once per process: thousands of team stacks
// share the two zips.
import { buildSync } from "esbuild";
import { zipSync } from "fflate";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, renameSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { threadId } from "node:worker_threads";

export type ReferenceFunction = "api" | "worker" | "job";

export interface Package {
  /** A zip on disk (content-addressed, so concurrent runs agree). */
  file: string;
  /** base64 SHA-256 of the zip, what Lambda reports as CodeSha256. */
  sha256: string;
  handler: string;
}

/** The repository root: the nearest folder above this file (or its build/ copy) with package.json. */
export const REPO_ROOT = findRoot(__dirname);

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}
const ENTRY_DIR = "services/reference/entry";
// DOS timestamps are local time: building the date from local fields gives the same bytes in every
// time zone.
const FIXED_MTIME = new Date(1980, 0, 1, 0, 0, 0);

const cache = new Map<ReferenceFunction, Package>();

export function referencePackage(fn: ReferenceFunction): Package {
  let pkg = cache.get(fn);
  if (!pkg) {
    pkg = buildPackage(fn);
    cache.set(fn, pkg);
  }
  return pkg;
}

export function bundleReference(fn: ReferenceFunction): Uint8Array {
  const out = buildSync({
    entryPoints: [`./${ENTRY_DIR}/${fn}.ts`],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node22",
    external: ["@aws-sdk/*"],
    minify: true,
    legalComments: "none",
    sourcemap: false,
    write: false,
    logLevel: "silent",
  });
  return out.outputFiles[0].contents;
}

export function zipDeterministic(files: Record<string, Uint8Array>): Uint8Array {
  const entries = Object.keys(files)
    .sort()
    .map((name) => [name, [files[name], { mtime: FIXED_MTIME, level: 9 }]] as const);
  return zipSync(Object.fromEntries(entries) as Parameters<typeof zipSync>[0]);
}

function buildPackage(fn: ReferenceFunction): Package {
  const zip = zipDeterministic({ "index.js": bundleReference(fn) });
  const hex = createHash("sha256").update(zip).digest("hex");
  const dir = join(tmpdir(), "landing-zone-reference", hex.slice(0, 16));
  const file = join(dir, `${fn}.zip`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    // Write under a name unique to this process and thread, then rename: a concurrent synth never
    // reads half a zip.
    const partial = `${file}.${process.pid}-${threadId}.partial`;
    writeFileSync(partial, zip);
    renameSync(partial, file);
  }
  return {
    file,
    sha256: createHash("sha256").update(zip).digest("base64"),
    handler: "index.handler",
  };
}

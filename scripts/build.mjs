// Transpiles the TypeScript sources to build/ without type-checking, so synth starts in well under a
// second. Type-checking is `npm run typecheck` (and part of `npm test`).
import { build } from "esbuild";
import { mkdirSync, readdirSync, renameSync, rmSync, statSync } from "node:fs";
import { dirname, join, relative } from "node:path";

const roots = ["main.ts", "stacks", "modules", "blueprints", "config", "cli", "services"];

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith(".ts") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry)));
}

// LZ_BUILD_DIR lets tests build a private copy (inside the repository, so node_modules resolves).
//
// Commands run side by side in one checkout (`npm run synth` while `npm run plan` runs, two plans at
// once), and each starts with this build: the output folder is never deleted under a running
// command. esbuild writes into a private folder, then each file is renamed into place, so a command
// loading a module reads either the old file or the new one, never a half-written one.
const outdir = process.env.LZ_BUILD_DIR ?? "build";
const scratch = `${outdir}.tmp-${process.pid}`;
rmSync(scratch, { recursive: true, force: true });
try {
  await build({
    entryPoints: roots.flatMap(collect),
    outdir: scratch,
    outbase: ".",
    platform: "node",
    format: "cjs",
    target: "node20",
    sourcemap: false,
    logLevel: "warning",
  });
  for (const file of collectAll(scratch)) {
    const target = join(outdir, relative(scratch, file));
    mkdirSync(dirname(target), { recursive: true });
    renameSync(file, target);
  }
} finally {
  rmSync(scratch, { recursive: true, force: true });
}

function collectAll(path) {
  if (statSync(path).isFile()) return [path];
  return readdirSync(path).flatMap((entry) => collectAll(join(path, entry)));
}

// Transpiles the TypeScript sources to build/ without type-checking, so synth starts in well under a
// second. Type-checking is `npm run typecheck` (and part of `npm test`).
import { build } from "esbuild";
import { readdirSync, rmSync, statSync } from "node:fs";
import { join } from "node:path";

const roots = ["main.ts", "stacks", "modules", "config", "cli"];

function collect(path) {
  if (statSync(path).isFile()) return path.endsWith(".ts") ? [path] : [];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => collect(join(path, entry)));
}

// LZ_BUILD_DIR lets tests build a private copy (inside the repository, so node_modules resolves) that
// a concurrent `npm run build` cannot delete under them.
const outdir = process.env.LZ_BUILD_DIR ?? "build";
rmSync(outdir, { recursive: true, force: true });
await build({
  entryPoints: roots.flatMap(collect),
  outdir,
  outbase: ".",
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
});

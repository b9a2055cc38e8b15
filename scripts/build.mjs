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

rmSync("build", { recursive: true, force: true });
await build({
  entryPoints: roots.flatMap(collect),
  outdir: "build",
  outbase: ".",
  platform: "node",
  format: "cjs",
  target: "node20",
  sourcemap: false,
  logLevel: "warning",
});

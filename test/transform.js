// Jest transformer: strips TypeScript types with esbuild (already the build tool) without
// type-checking; `npm test` runs tsc --noEmit once for the whole tree instead of per file.
const { transformSync, version } = require("esbuild");
const { createHash } = require("node:crypto");

module.exports = {
  process(source, filename) {
    const { code, map } = transformSync(source, {
      loader: "ts",
      format: "cjs",
      target: "node20",
      sourcemap: "external",
      sourcefile: filename,
    });
    return { code, map };
  },
  getCacheKey(source, filename) {
    return createHash("sha256").update(version).update(filename).update(source).digest("hex");
  },
};

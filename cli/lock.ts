// `npm run lock [-- --check]`: writes the repository's provider lock file, `.terraform.lock.hcl`, with
// `terraform providers lock` for the AWS provider version the stacks require and every platform in
// LOCK_PLATFORMS, in a scratch folder that declares only that requirement. Synthesis copies the file
// into every stack (stacks/provider-lock.ts). --check writes nothing and exits 3 when the committed
// file differs from a fresh one (the workflow runs it; it needs the registry, or a mirror given by
// LZ_TF_PLUGIN_DIR for the platforms that mirror holds).
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  AWS_PROVIDER,
  LOCK_FILE,
  LOCK_PLATFORMS,
  committedLockFile,
  lockFileProblem,
  readLockFile,
  requiredAwsProviderVersion,
} from "../stacks/provider-lock";
import { exitCodeOf, parseFlags } from "./args";
import { terraformBinary } from "./plan";

const USAGE = "Usage: npm run lock [-- --check]";

/** A fresh lock file's text for `version` (runs terraform; throws with its output when it fails). */
export function generateLockFile(
  version: string,
  pluginDir = process.env.LZ_TF_PLUGIN_DIR,
  platforms: readonly string[] = LOCK_PLATFORMS,
): string {
  const scratch = mkdtempSync(join(tmpdir(), "lz-lock-"));
  try {
    writeFileSync(
      join(scratch, "versions.tf.json"),
      JSON.stringify({
        terraform: { required_providers: { aws: { source: "hashicorp/aws", version } } },
      }),
    );
    const args = ["providers", "lock", ...platforms.map((p) => `-platform=${p}`)];
    if (pluginDir) args.push(`-fs-mirror=${pluginDir}`);
    const r = spawnSync(terraformBinary(), args, {
      cwd: scratch,
      encoding: "utf8",
      env: { ...process.env, CHECKPOINT_DISABLE: "1" },
    });
    if (r.error || r.status !== 0) {
      throw new Error(
        `${terraformBinary()} ${args.join(" ")} failed (${r.error?.message ?? `exit ${r.status}`}):\n${r.stderr}`,
      );
    }
    return readFileSync(join(scratch, LOCK_FILE), "utf8");
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

function main(argv: string[]): number {
  try {
    const { values } = parseFlags({ args: argv, options: { check: { type: "boolean" } } }, USAGE);
    const version = requiredAwsProviderVersion();
    const committed = committedLockFile();
    if (values.check) {
      if (!committed) {
        console.error(`${LOCK_FILE}: missing; run npm run lock and commit it`);
        return 3;
      }
      const text = readFileSync(committed, "utf8");
      const problem = lockFileProblem(text, version);
      if (problem) {
        console.error(problem);
        return 3;
      }
      const fresh = readLockFile(generateLockFile(version)).get(AWS_PROVIDER)!;
      const pinned = readLockFile(text).get(AWS_PROVIDER)!;
      const missing = fresh.hashes.filter((h) => !pinned.hashes.includes(h));
      if (missing.length > 0) {
        console.error(
          `${LOCK_FILE}: ${AWS_PROVIDER} ${version} lacks ${missing.length} checksum(s) that terraform providers lock finds for ${LOCK_PLATFORMS.join(", ")}; run npm run lock`,
        );
        return 3;
      }
      console.log(`${LOCK_FILE}: ${AWS_PROVIDER} ${version}, ${pinned.hashes.length} checksums`);
      return 0;
    }
    writeFileSync(LOCK_FILE, generateLockFile(version));
    console.log(`Wrote ${LOCK_FILE}: ${AWS_PROVIDER} ${version} for ${LOCK_PLATFORMS.join(", ")}.`);
    return 0;
  } catch (e) {
    if (e instanceof Error && !("problems" in e) && e.name !== "UsageError") {
      console.error(e.message);
      return 4;
    }
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

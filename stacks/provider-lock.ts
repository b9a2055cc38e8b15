// Provider checksums, pinned once for every stack: the repository commits one Terraform lock file,
// `.terraform.lock.hcl` at its root, for the provider version the stacks require (the one the
// @cdktf/provider-aws bindings were generated for), and synthesis copies it into every stack folder,
// so `terraform init` there installs only a provider whose checksum it lists. `npm run lock` writes
// it (`terraform providers lock` for LOCK_PLATFORMS); CI checks that it matches (docs/operations.md).
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { homedir } from "node:os";
import { join, resolve } from "node:path";

export const LOCK_FILE = ".terraform.lock.hcl";
export const AWS_PROVIDER = "registry.terraform.io/hashicorp/aws";

/** Where people run Terraform: the workflow's runners, and platform engineers' machines. */
export const LOCK_PLATFORMS = [
  "linux_amd64",
  "linux_arm64",
  "darwin_amd64",
  "darwin_arm64",
  "windows_amd64",
] as const;

/** The repository's committed lock file, when there is one. */
export function committedLockFile(root = process.cwd()): string | undefined {
  const file = resolve(root, LOCK_FILE);
  return existsSync(file) ? file : undefined;
}

/** The AWS provider version every synthesized stack requires (`terraform.required_providers`). */
export function requiredAwsProviderVersion(): string {
  const pkg = JSON.parse(
    readFileSync(join(require.resolve("@cdktf/provider-aws"), "..", "..", "package.json"), "utf8"),
  ) as { cdktf: { provider: { version: string } } };
  return pkg.cdktf.provider.version;
}

export interface LockedProvider {
  version: string;
  constraints?: string;
  hashes: string[];
}

/** The providers a lock file pins, by address (the lock file's HCL is regular enough to read). */
export function readLockFile(text: string): Map<string, LockedProvider> {
  const providers = new Map<string, LockedProvider>();
  for (const m of text.matchAll(/^provider "([^"]+)" \{\n([\s\S]*?)^\}/gm)) {
    const body = m[2];
    providers.set(m[1], {
      version: /^\s*version\s*=\s*"([^"]*)"/m.exec(body)?.[1] ?? "",
      constraints: /^\s*constraints\s*=\s*"([^"]*)"/m.exec(body)?.[1],
      hashes: [...(/hashes\s*=\s*\[([\s\S]*?)\]/.exec(body)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map(
        (h) => h[1],
      ),
    });
  }
  return providers;
}

/**
 * What is wrong with a lock file for stacks that require `version` of the AWS provider: nothing
 * (undefined), or one sentence naming the fix.
 */
export function lockFileProblem(
  text: string,
  version: string,
  file = LOCK_FILE,
): string | undefined {
  const aws = readLockFile(text).get(AWS_PROVIDER);
  if (!aws) return `${file}: pins no ${AWS_PROVIDER}; run npm run lock`;
  if (aws.version !== version) {
    return `${file}: pins ${AWS_PROVIDER} ${aws.version || "(no version)"}, the stacks require ${version}; run npm run lock`;
  }
  if (aws.hashes.length === 0) {
    return `${file}: ${AWS_PROVIDER} ${version} lists no checksums; run npm run lock`;
  }
  return undefined;
}

/**
 * Terraform's provider plugin cache (TF_PLUGIN_CACHE_DIR, else ~/.terraform.d/plugin-cache, created):
 * every stack's init links the provider from there instead of downloading its own copy. Terraform
 * uses a cached provider only when the lock file lists its checksum, as the committed one does.
 */
export function pluginCacheDir(): string {
  const dir = process.env.TF_PLUGIN_CACHE_DIR || join(homedir(), ".terraform.d", "plugin-cache");
  mkdirSync(dir, { recursive: true });
  return dir;
}

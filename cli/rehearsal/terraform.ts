// Terraform as the rehearsal runs it: the real engine and AWS provider, non-interactive, every run's
// output appended to the stack's log, the provider taken from a plugin folder when one is given.
import { spawn, spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readdirSync, writeFileSync } from "node:fs";
import { arch, homedir, platform } from "node:os";
import { join } from "node:path";
import { generateLockFile } from "../lock";
import { terraformBinary } from "../plan";

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

export interface TerraformEnv {
  pluginDir?: string;
  env: NodeJS.ProcessEnv;
}

export function terraform(dir: string, args: string[], t: TerraformEnv, log: string): Promise<Run> {
  return new Promise((done, fail) => {
    const child = spawn(terraformBinary(), args, { cwd: dir, env: t.env });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      appendFileSync(log, `$ terraform ${args.join(" ")}\n${stdout}${stderr}\n(exit ${code})\n\n`);
      done({ code: code ?? 1, stdout, stderr });
    });
  });
}

export function terraformVersion(): string {
  const r = spawnSync(terraformBinary(), ["version", "-json"], { encoding: "utf8" });
  if (r.error) {
    throw new Error(
      `${terraformBinary()} was not found (${(r.error as NodeJS.ErrnoException).code}); install Terraform or set TERRAFORM_BINARY_NAME`,
    );
  }
  return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
}

const MIRROR_PARENTS = [
  "/opt",
  "/usr/local/share/terraform",
  "/usr/share/terraform",
  join(homedir(), ".terraform.d"),
  join(homedir(), ".local/share/terraform"),
];

/**
 * Where the AWS provider comes from: LZ_TF_PLUGIN_DIR when set; else the public registry when it
 * answers; else a filesystem mirror found on this machine (a folder holding registry.terraform.io).
 */
export async function choosePluginDir(): Promise<string | undefined> {
  if (process.env.LZ_TF_PLUGIN_DIR) return process.env.LZ_TF_PLUGIN_DIR;
  try {
    const r = await fetch("https://registry.terraform.io/.well-known/terraform.json", {
      signal: AbortSignal.timeout(3000),
    });
    if (r.ok) return undefined;
  } catch {
    // unreachable: look for a mirror
  }
  for (const parent of MIRROR_PARENTS) {
    const found = findMirror(parent, 2);
    if (found) return found;
  }
  throw new Error(
    "the Terraform registry is unreachable and no provider mirror was found; set LZ_TF_PLUGIN_DIR to the folder that holds registry.terraform.io/hashicorp/aws/<version>/",
  );
}

function findMirror(dir: string, depth: number): string | undefined {
  if (!existsSync(dir)) return undefined;
  if (existsSync(join(dir, "registry.terraform.io", "hashicorp", "aws"))) return dir;
  if (depth === 0) return undefined;
  for (const entry of safeList(dir)) {
    const found = findMirror(join(dir, entry), depth - 1);
    if (found) return found;
  }
  return undefined;
}

/** The newest AWS provider version in a mirror (LZ_TF_PROVIDER_VERSION chooses another). */
export function mirrorProviderVersion(pluginDir: string): string {
  if (process.env.LZ_TF_PROVIDER_VERSION) return process.env.LZ_TF_PROVIDER_VERSION;
  const versions = safeList(join(pluginDir, "registry.terraform.io", "hashicorp", "aws"))
    .filter((v) => /^\d+\.\d+\.\d+$/.test(v))
    .sort((a, b) => a.localeCompare(b, undefined, { numeric: true }));
  if (versions.length === 0) throw new Error(`${pluginDir}: holds no hashicorp/aws provider`);
  return versions[versions.length - 1];
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

/** Terraform's name for this machine's platform: linux_amd64, darwin_arm64, ... */
export function terraformPlatform(): string {
  const cpu = { x64: "amd64", arm64: "arm64", ia32: "386", arm: "arm" }[arch() as string] ?? arch();
  return `${platform() === "win32" ? "windows" : platform()}_${cpu}`;
}

/**
 * The rehearsal's own provider lock file, written to `file`: its provider differs from the one the
 * repository's lock file pins (docs/rehearsal.md), so it locks the version it installs, once per
 * run, and every stack's `init -lockfile=readonly` checks the installed provider against it.
 */
export function providerLock(file: string, version: string, pluginDir: string | undefined): void {
  writeFileSync(file, generateLockFile(version, pluginDir, [terraformPlatform()]));
}

// Shared test helpers: synthesize a configuration the way `npm run synth` does and read what a user
// would read, the files under cdktf.out/stacks/<id>/cdk.tf.json.
import {
  cpSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { loadLandingZone } from "../config/load";
import type { LandingZone } from "../config/model";
import { planStacks, selectStacks } from "../stacks";
import { synthesize } from "../stacks/synth";

export const REPO = join(__dirname, "..");

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type TfJson = Record<string, any>;

export interface Synthesized {
  lz: LandingZone;
  outdir: string;
  stackIds: string[];
  stack(id: string): TfJson;
  /** All resources of one type in a stack, by logical name. */
  resources(id: string, type: string): Record<string, TfJson>;
  /** The single resource of a type in a stack (fails when there are zero or several). */
  resource(id: string, type: string): TfJson;
}

/** A private copy of the example accounts/ folder that a test may change. */
export function copyExampleAccounts(): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-accounts-"));
  cpSync(join(REPO, "accounts"), dir, { recursive: true });
  return dir;
}

/** Writes files (paths relative to `dir`) into an accounts folder. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

export function synthAccounts(accountsDir = join(REPO, "accounts"), stacks?: string): Synthesized {
  const lz = loadLandingZone({ accountsDir, cwd: REPO });
  const outdir = join(mkdtempSync(join(tmpdir(), "lz-out-")), "cdktf.out");
  synthesize(selectStacks(planStacks(lz), stacks), outdir);
  const cache = new Map<string, TfJson>();
  const stack = (id: string): TfJson => {
    if (!cache.has(id)) {
      cache.set(
        id,
        JSON.parse(readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8")) as TfJson,
      );
    }
    return cache.get(id)!;
  };
  const resources = (id: string, type: string) =>
    (stack(id).resource?.[type] ?? {}) as Record<string, TfJson>;
  return {
    lz,
    outdir,
    stackIds: readdirSync(join(outdir, "stacks")).sort(),
    stack,
    resources,
    resource(id, type) {
      const all = Object.values(resources(id, type));
      if (all.length !== 1) throw new Error(`${id}: expected one ${type}, found ${all.length}`);
      return all[0];
    },
  };
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

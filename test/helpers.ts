// Shared test helpers: synthesize a configuration the way `npm run synth` does and read what a user
// would read, the files under cdktf.out/stacks/<id>/cdk.tf.json; or synthesize one module alone in a
// small stack (test/modules/), so a change to one module is tested without the whole organization.
import { createHash } from "node:crypto";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
  mkdirSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve, sep } from "node:path";
import type { TerraformStack } from "cdktf";
import type { LandingZone } from "../config/model";
import type { Violation } from "../modules/guardrails";
import type { BenchOptions } from "../cli/bench-organization";

export const REPO = join(__dirname, "..");

/**
 * Fixture organizations the framework's tests run against, never the user's `accounts/` (a guard,
 * test/accounts-guard.js, fails a test that touches it): a platform team that onboards a team or
 * replaces `accounts/` with its own organization keeps the suite green. Each is an accounts folder,
 * loaded by the loader a user runs (`loadLandingZone({ accountsDir })`, `LZ_ACCOUNTS_DIR`).
 * - `EXAMPLE_ACCOUNTS`: a copy of the example organization the repository ships in `accounts/`;
 * - `MINIMAL_ACCOUNTS`: one team in two environments, every field with a default left out;
 * - `generatedAccounts(n)`: n generated teams, by the generator `npm run bench` uses.
 */
export const FIXTURES = join(__dirname, "fixtures", "organizations");
export const EXAMPLE_ACCOUNTS = join(FIXTURES, "example");
export const MINIMAL_ACCOUNTS = join(FIXTURES, "minimal");

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

/** One small stack's Terraform JSON, read the way Synthesized reads a whole stack. */
export interface ModuleJson {
  json: TfJson;
  /** All resources of one type, by logical name. */
  resources(type: string): Record<string, TfJson>;
  /** The single resource of a type (fails when there are zero or several). */
  resource(type: string): TfJson;
  /** All data sources of one type, by logical name. */
  data(type: string): Record<string, TfJson>;
  /** What the synth-time guardrails would refuse in this stack (no mandatory tags, no waivers). */
  violations(): Violation[];
}

/** `${<type>.<key>.<attr>}`: a reference to the only resource of `type` that `match` selects. */
export function moduleRef(
  m: ModuleJson,
  type: string,
  match: (r: TfJson) => boolean,
  attr: string,
): string {
  const keys = Object.entries(m.resources(type))
    .filter(([, r]) => match(r))
    .map(([k]) => k);
  expect(keys).toHaveLength(1);
  return `\${${type}.${keys[0]}.${attr}}`;
}

/**
 * Synthesizes a stack holding only what `build` adds (one module, and whatever it needs) with
 * cdktf's Testing.synth: no backend, provider or guardrails, nothing written to disk.
 */
export function synthModule(build: (stack: TerraformStack) => void): ModuleJson {
  const { Testing, TerraformStack } = require("cdktf") as typeof import("cdktf");
  const stack = new TerraformStack(Testing.app(), "test");
  build(stack);
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  const violations = () => {
    const { judgeStack } =
      require("../modules/guardrails") as typeof import("../modules/guardrails");
    return judgeStack(stack, json, { mandatoryTags: [], waivers: [] });
  };
  return { ...moduleJson(json), violations };
}

function moduleJson(json: TfJson): Omit<ModuleJson, "violations"> {
  const resources = (type: string) => (json.resource?.[type] ?? {}) as Record<string, TfJson>;
  return {
    json,
    resources,
    resource(type) {
      const all = Object.values(resources(type));
      if (all.length !== 1) throw new Error(`expected one ${type}, found ${all.length}`);
      return all[0];
    },
    data: (type) => (json.data?.[type] ?? {}) as Record<string, TfJson>,
  };
}

/** The statements of a JSON policy document held in a string. */
export function statementsOf(policy: string): TfJson[] {
  return (JSON.parse(policy) as TfJson).Statement as TfJson[];
}

/** A private copy of a fixture organization (by default the example's) a test may change. */
export function copyExampleAccounts(from = EXAMPLE_ACCOUNTS): string {
  const dir = mkdtempSync(join(tmpdir(), "lz-accounts-"));
  cpSync(from, dir, { recursive: true });
  return dir;
}

/**
 * A private accounts folder with `teams` generated teams (cli/bench-organization.ts, as `npm run bench`
 * makes them) in the first `envs` environments (default 2), added to a fixture organization's
 * settings (default the example's), without its own teams unless `keepTeams`. The caller removes it.
 */
export function generatedAccounts(
  teams: number,
  options: BenchOptions & { envs?: number; base?: string } = {},
): string {
  const { writeBenchOrganization } =
    require("../cli/bench-organization") as typeof import("../cli/bench-organization");
  const dir = mkdtempSync(join(tmpdir(), "lz-generated-"));
  const organization = join(options.base ?? EXAMPLE_ACCOUNTS, "organization.yaml");
  writeBenchOrganization(dir, organization, teams, options.envs ?? 2, options);
  return dir;
}

/** Writes files (paths relative to `dir`) into an accounts folder. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

/**
 * Synthesizes an organization the way `npm run synth` does (all stacks, or those `stacks` selects, as
 * LZ_STACKS would) into a private folder the test may change or remove.
 *
 * A fixture organization's output is synthesized once and kept in .cache/synth/, keyed by the
 * fixture's files, the stack selector and every source file synthesis reads (so any change to the
 * code or the fixture synthesizes again); each call gets its own copy. A folder outside the fixtures
 * (a test's changed copy) is always synthesized; `{ cache: false }` forces it for a fixture too.
 */
export function synthAccounts(
  accountsDir = EXAMPLE_ACCOUNTS,
  stacks?: string,
  options: { cache?: boolean } = {},
): Synthesized {
  const outdir = join(mkdtempSync(join(tmpdir(), "lz-out-")), "cdktf.out");
  const key = options.cache === false ? undefined : synthKey(accountsDir, stacks);
  if (key === undefined) synthesizeInto(accountsDir, stacks, outdir);
  else cpSync(cachedSynth(key, accountsDir, stacks), outdir, { recursive: true });
  let lz: LandingZone | undefined;
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
    // Loaded on first use: a test that reads only the JSON never loads the configuration modules.
    get lz() {
      lz ??= loadAccounts(accountsDir);
      return lz;
    },
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

function loadAccounts(accountsDir: string): LandingZone {
  const { loadLandingZone } = require("../config/load") as typeof import("../config/load");
  return loadLandingZone({ accountsDir, cwd: REPO });
}

function synthesizeInto(accountsDir: string, stacks: string | undefined, outdir: string): void {
  // Required here rather than imported at the top (as is cdktf in synthModule): most test files
  // import these helpers only to copy an accounts folder or run a command, and a module test
  // (test/modules/) needs only its one module. Loading every stack for them cost about a second
  // per test file; with the cache, a test reading a fixture's output loads none of them.
  const { planStacks, selectStacks } = require("../stacks") as typeof import("../stacks");
  const { synthesize } = require("../stacks/synth") as typeof import("../stacks/synth");
  synthesize(selectStacks(planStacks(loadAccounts(accountsDir)), stacks), outdir);
}

const SYNTH_CACHE = join(REPO, ".cache", "synth");
/** What synthesis reads besides the accounts folder: the code, the services it packages, the lock. */
const SYNTH_SOURCES = [
  "main.ts",
  "stacks",
  "modules",
  "blueprints",
  "config",
  "cli",
  "services",
  "package-lock.json",
];

/** The cache key of a fixture organization's synthesis, or undefined for any other folder. */
function synthKey(accountsDir: string, stacks: string | undefined): string | undefined {
  const abs = resolve(accountsDir);
  if (!abs.startsWith(FIXTURES + sep)) return undefined;
  sourcesHash ??= hashFiles(SYNTH_SOURCES.flatMap((p) => filesUnder(join(REPO, p))));
  return createHash("sha256")
    .update(`${sourcesHash}\0${relative(FIXTURES, abs)}\0${stacks ?? "*"}\0`)
    .update(hashFiles(filesUnder(abs)))
    .digest("hex")
    .slice(0, 24);
}
let sourcesHash: string | undefined;

function hashFiles(files: string[]): string {
  const hash = createHash("sha256");
  for (const file of files) hash.update(`${relative(REPO, file)}\0`).update(readFileSync(file));
  return hash.digest("hex");
}

function filesUnder(path: string): string[] {
  if (!statSync(path).isDirectory()) return [path];
  return readdirSync(path)
    .sort()
    .flatMap((entry) => filesUnder(join(path, entry)));
}

/** The cached output folder for `key`, synthesized now if no test run has made it yet. */
function cachedSynth(key: string, accountsDir: string, stacks: string | undefined): string {
  const entry = join(SYNTH_CACHE, key);
  if (!existsSync(entry)) {
    mkdirSync(SYNTH_CACHE, { recursive: true });
    // Written aside and renamed into place, so a test in another worker never reads half of it.
    const scratch = mkdtempSync(join(SYNTH_CACHE, ".tmp-"));
    synthesizeInto(accountsDir, stacks, join(scratch, "cdktf.out"));
    try {
      renameSync(scratch, entry);
    } catch {
      rmSync(scratch, { recursive: true, force: true }); // another worker was first
    }
    pruneSynthCache();
  }
  return join(entry, "cdktf.out");
}

/** Drops entries made over a week ago (mostly of older code or fixtures; a current one is remade). */
function pruneSynthCache(): void {
  const weekAgo = Date.now() - 7 * 24 * 3600 * 1000;
  for (const name of readdirSync(SYNTH_CACHE)) {
    const path = join(SYNTH_CACHE, name);
    if (statSync(path).mtimeMs < weekAgo) rmSync(path, { recursive: true, force: true });
  }
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

// Shared test helpers: synthesize a configuration the way `npm run synth` does and read what a user
// would read, the files under cdktf.out/stacks/<id>/cdk.tf.json; or synthesize one module alone in a
// small stack (test/modules/), so a change to one module is tested without the whole organization.
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
import type { TerraformStack } from "cdktf";
import type { LandingZone } from "../config/model";
import type { Violation } from "../modules/guardrails";
import type { SyntheticOptions } from "../cli/synthetic-organization";

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
 * A private accounts folder with `teams` generated teams (cli/synthetic-organization.ts, as
 * `npm run bench` makes them) added to a fixture organization's settings: by default the example's,
 * without its own teams (`keepTeams` keeps them and its ledger). The caller removes it.
 */
export function generatedAccounts(
  teams: number,
  options: Omit<SyntheticOptions, "teams"> & { base?: string } = {},
): string {
  const { writeSyntheticOrganization } =
    require("../cli/synthetic-organization") as typeof import("../cli/synthetic-organization");
  const dir = mkdtempSync(join(tmpdir(), "lz-generated-"));
  writeSyntheticOrganization(options.base ?? EXAMPLE_ACCOUNTS, dir, { ...options, teams });
  return dir;
}

/** Writes files (paths relative to `dir`) into an accounts folder. */
export function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, rel)), { recursive: true });
    writeFileSync(join(dir, rel), text);
  }
}

export function synthAccounts(accountsDir = EXAMPLE_ACCOUNTS, stacks?: string): Synthesized {
  // Required here rather than imported at the top (as is cdktf in synthModule): most test files
  // import these helpers only to copy an accounts folder or run a command, and a module test
  // (test/modules/) needs only its one module. Loading every stack for them cost about a second
  // per test file.
  const { loadLandingZone } = require("../config/load") as typeof import("../config/load");
  const { planStacks, selectStacks } = require("../stacks") as typeof import("../stacks");
  const { synthesize } = require("../stacks/synth") as typeof import("../stacks/synth");
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

// Writes the selected stacks to the output folder, all or nothing: stacks are synthesized into a
// sibling staging folder whose stacks move into the output folder only once every stack succeeded.
// Only the stacks written are touched, and in a stack's folder only what synthesis generates
// (cdk.tf.json, assets/, the committed provider lock file): Terraform's working files there
// (.terraform/, tfplan, plan.json, state, overrides) survive a re-synth between plan and apply. So
// `npm run plan -- <stack>` leaves the other stacks alone and two commands on different stacks can
// run at once; a full synth also removes the folders of stacks the configuration no longer has.
//
// Stacks are built in batches, one cdktf App each, so memory stays bounded however many accounts the
// organization has; the batches' manifests are merged into one manifest.json for the cdktf CLI, each
// stack with its `dependencies` from the stack plans (stacks/graph.ts), which `cdktf deploy` orders by.
import { App, TerraformResource, TerraformStack, type ISynthesisSession } from "cdktf";
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { basename, dirname, join } from "node:path";
import type { StackPlan } from "./index";
import { committedLockFile, LOCK_FILE } from "./provider-lock";
import { assertGuardrails, GuardrailError, type Violation } from "../modules/guardrails";
import { speedUpCdktf, tokensOfBatch } from "./synth-speed";

export interface SynthStats {
  stacks: number;
  resources: number;
}

export interface ManifestFile {
  version: string;
  stacks: Record<
    string,
    {
      annotations?: { level: string; message: string; constructPath: string }[];
      /** The stacks this one needs applied first; the cdktf CLI deploys in this order. */
      dependencies?: string[];
    }
  >;
}

const BATCH_SIZE = 50;

export function defaultOutdir(): string {
  // The cdktf CLI passes its output folder in CDKTF_OUTDIR.
  return process.env.CDKTF_OUTDIR ?? "cdktf.out";
}

export interface CommitOptions {
  /** Every stack of the configuration was written: remove the folders of any others. */
  prune: boolean;
  /**
   * The provider lock file every written stack gets (provider checksums, stacks/provider-lock.ts):
   * by default the repository's committed one when it exists; null for none (the rehearsal, whose
   * provider differs, brings its own).
   */
  lockFile?: string | null;
}

/** Called as each stack's Terraform JSON is written, with its id (a command's progress). */
export type OnStack = (id: string) => void;

export interface SynthOptions extends CommitOptions {
  onStack?: OnStack;
}

export function synthesize(
  plans: StackPlan[],
  outdir = defaultOutdir(),
  options: SynthOptions = { prune: false },
): SynthStats {
  const staging = openStaging(outdir);
  try {
    const manifest = emptyManifest();
    const resources = synthesizeAll(plans, staging, "", manifest, options.onStack);
    commitStaging(staging, outdir, manifest, options);
    return { stacks: plans.length, resources };
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
}

/** A fresh staging folder next to the output folder (same file system, so the swap is a rename). */
export function openStaging(outdir: string): string {
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(join(staging, "stacks"), { recursive: true });
  return staging;
}

export function emptyManifest(): ManifestFile {
  return { version: "", stacks: {} };
}

/** Synthesizes plans batch by batch into `staging/stacks`, recording them in `manifest`. */
export function synthesizeAll(
  plans: StackPlan[],
  staging: string,
  tag: string,
  manifest: ManifestFile,
  onStack?: OnStack,
): number {
  speedUpCdktf();
  let resources = 0;
  // Guardrail violations of every batch are reported together, not just the first failing batch's.
  const violations: Violation[] = [];
  for (let start = 0; start < plans.length; start += BATCH_SIZE) {
    const batch = plans.slice(start, start + BATCH_SIZE);
    try {
      resources += synthesizeBatch(
        batch,
        join(staging, `.batch${tag}-${start}`),
        staging,
        manifest,
        onStack,
      );
    } catch (e) {
      if (!(e instanceof GuardrailError)) throw e;
      violations.push(...e.violations);
    }
  }
  if (violations.length > 0) throw new GuardrailError(violations);
  return resources;
}

export function commitStaging(
  staging: string,
  outdir: string,
  manifest: ManifestFile,
  options: CommitOptions,
): void {
  failOnErrorAnnotations(manifest);
  const lockFile = options.lockFile === undefined ? committedLockFile() : options.lockFile;
  if (lockFile) {
    for (const id of Object.keys(manifest.stacks)) {
      copyFileSync(lockFile, join(staging, "stacks", id, LOCK_FILE));
    }
  }
  if (!existsSync(join(outdir, "stacks"))) {
    writeFileSync(join(staging, "manifest.json"), JSON.stringify(sortManifest(manifest), null, 2));
    rmSync(outdir, { recursive: true, force: true });
    renameSync(staging, outdir);
    return;
  }
  const stacksDir = join(outdir, "stacks");
  const written = new Set(Object.keys(manifest.stacks));
  const previous = readManifest(outdir);
  for (const id of written) replaceGenerated(join(staging, "stacks", id), join(stacksDir, id));
  const kept = options.prune
    ? {}
    : Object.fromEntries(Object.entries(previous.stacks).filter(([id]) => !written.has(id)));
  if (options.prune) {
    for (const entry of readdirSync(stacksDir)) {
      if (!written.has(entry) && !entry.startsWith(".")) {
        rmSync(join(stacksDir, entry), { recursive: true, force: true });
      }
    }
  }
  // Written next to the manifest and renamed over it: a reader never sees half a file.
  const merged = { version: manifest.version, stacks: { ...kept, ...manifest.stacks } };
  const tmp = join(outdir, `.manifest-${process.pid}.json`);
  writeFileSync(tmp, JSON.stringify(sortManifest(merged), null, 2));
  renameSync(tmp, join(outdir, "manifest.json"));
  rmSync(staging, { recursive: true, force: true });
}

/** What synthesis writes into a stack folder; anything else there is Terraform's or the user's. */
const GENERATED = ["cdk.tf.json", "assets", LOCK_FILE];

/**
 * Moves a freshly synthesized stack folder's content into `target`: each generated entry replaces
 * its old version (a generated entry that is gone, like assets/ of a stack without assets, is
 * removed); everything else in `target` (.terraform/, plan files, state) stays. A lock file is
 * generated only when a committed one was copied in; otherwise the one `terraform init` wrote stays.
 */
function replaceGenerated(source: string, target: string): void {
  if (!existsSync(target)) {
    replaceDir(source, target);
    return;
  }
  const fresh = new Set(readdirSync(source));
  const names = new Set([...GENERATED.filter((n) => n !== LOCK_FILE || fresh.has(n)), ...fresh]);
  for (const name of [...names].sort()) {
    if (fresh.has(name)) replaceDir(join(source, name), join(target, name));
    else rmSync(join(target, name), { recursive: true, force: true });
  }
  rmSync(source, { recursive: true, force: true });
}

/** Moves `source` to `target`, setting aside whatever is there, even if another synth races us. */
function replaceDir(source: string, target: string): void {
  const old = `${dirname(target)}/.replaced-${basename(target)}-${process.pid}`;
  for (let attempt = 0; ; attempt++) {
    try {
      renameSync(target, old);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "ENOENT") throw e;
    }
    try {
      renameSync(source, target);
      break;
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      if (attempt >= 5 || (code !== "ENOTEMPTY" && code !== "EEXIST")) throw e;
    }
    rmSync(old, { recursive: true, force: true });
  }
  rmSync(old, { recursive: true, force: true });
}

function readManifest(outdir: string): ManifestFile {
  try {
    return JSON.parse(readFileSync(join(outdir, "manifest.json"), "utf8")) as ManifestFile;
  } catch {
    return emptyManifest();
  }
}

function synthesizeBatch(
  batch: StackPlan[],
  batchDir: string,
  staging: string,
  manifest: ManifestFile,
  onStack?: OnStack,
): number {
  const tokens = tokensOfBatch();
  try {
    const app = new App({ outdir: batchDir });
    for (const plan of batch) plan.build(app);
    if (onStack) for (const plan of batch) reportWhenWritten(app, plan.id, onStack);
    app.synth();
    assertGuardrails(app);
    const resources = app.node
      .findAll()
      .filter((c) => TerraformResource.isTerraformResource(c)).length;
    const part = JSON.parse(readFileSync(join(batchDir, "manifest.json"), "utf8")) as ManifestFile;
    manifest.version = part.version;
    const needs = new Map(batch.map((p) => [p.id, p.needs.map((n) => n.stack)]));
    for (const [id, entry] of Object.entries(part.stacks)) {
      renameSync(join(batchDir, "stacks", id), join(staging, "stacks", id));
      // Stacks of one batch never reference each other, so cdktf records none; the plans know.
      manifest.stacks[id] = { ...entry, dependencies: needs.get(id) ?? [] };
    }
    rmSync(batchDir, { recursive: true, force: true });
    return resources;
  } finally {
    tokens.forget();
  }
}

/** Calls `onStack` as soon as cdktf has written the stack (a stack's synthesizer is public API). */
function reportWhenWritten(app: App, id: string, onStack: OnStack): void {
  const stack = app.node.tryFindChild(id);
  if (!TerraformStack.isStack(stack)) return;
  const inner = stack.synthesizer;
  stack.synthesizer = {
    synthesize(session: ISynthesisSession) {
      inner.synthesize(session);
      onStack(id);
    },
  };
}

function failOnErrorAnnotations(manifest: ManifestFile): void {
  const errors = Object.values(manifest.stacks).flatMap((s) =>
    (s.annotations ?? []).filter((a) => a.level === "@cdktf/error"),
  );
  if (errors.length > 0) {
    throw new Error(errors.map((a) => `${a.constructPath}: ${a.message}`).join("\n"));
  }
}

function sortManifest(m: ManifestFile): ManifestFile {
  return {
    version: m.version,
    stacks: Object.fromEntries(Object.entries(m.stacks).sort(([a], [b]) => a.localeCompare(b))),
  };
}

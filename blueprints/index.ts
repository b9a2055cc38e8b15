// The one place blueprints are registered. A team environment lists blueprints by these names
// (`blueprints:` in a team file); the schema, validation, the team stack, the budget, the capacity
// report and the load test find them here and nowhere else. To add one: a folder next to these with
// an index.ts that calls defineBlueprint, and one line in BUILTIN (docs/extending.md).
import type { Blueprint } from "./blueprint";
import { baseline } from "./baseline";
import { scheduledJobs } from "./scheduled-jobs";
import { serverlessApi } from "./serverless-api";

export type { Blueprint } from "./blueprint";

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- each keeps its own settings type
type AnyBlueprint = Blueprint<any>;

const BUILTIN: AnyBlueprint[] = [serverlessApi, baseline, scheduledJobs];

/** What an environment holds when neither it nor its team lists blueprints. */
export const DEFAULT_BLUEPRINTS: readonly string[] = [serverlessApi.name];

const registry = new Map<string, AnyBlueprint>(BUILTIN.map((b) => [b.name, b]));
let version = 0;

/** Every registered blueprint, in registration order. */
export function registeredBlueprints(): AnyBlueprint[] {
  return [...registry.values()];
}

export function blueprintNamed(name: string): AnyBlueprint | undefined {
  return registry.get(name);
}

/** The blueprint of an environment's entry (config/build.ts lists registered names only). */
export function blueprintOf(use: { name: string }): AnyBlueprint {
  const b = registry.get(use.name);
  if (!b) throw new Error(`blueprint ${use.name} is not registered in this process`);
  return b;
}

/** Bumped by each registration, so schemas built from the registry know to rebuild. */
export function registryVersion(): number {
  return version;
}

/**
 * Registers a blueprint kept outside this folder (a test fixture; a platform team adds its own to
 * BUILTIN instead). A name taken, or one that is a team-file field, is refused.
 */
export function registerBlueprint(b: AnyBlueprint, reservedKeys: readonly string[] = []): void {
  if (!/^[a-z][a-z0-9]*(-[a-z0-9]+)*$/.test(b.name))
    throw new Error(`blueprint name ${JSON.stringify(b.name)}: lowercase words joined by '-'`);
  if (registry.has(b.name) || reservedKeys.includes(b.name))
    throw new Error(`blueprint name ${JSON.stringify(b.name)} is taken`);
  // The former layout's fields belong to one blueprint (config/layout.ts); a second could not share them.
  if (b.formerLayout && registeredBlueprints().some((r) => r.formerLayout))
    throw new Error(`blueprint ${b.name}: formerLayout is taken by a built-in blueprint`);
  registry.set(b.name, b);
  version += 1;
}

/** Removes a blueprint registered with registerBlueprint (tests clean up after themselves). */
export function unregisterBlueprint(name: string): void {
  if (BUILTIN.some((b) => b.name === name)) throw new Error(`${name} is built in`);
  if (registry.delete(name)) version += 1;
}

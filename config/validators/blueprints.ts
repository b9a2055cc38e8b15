// The blueprints an environment lists (blueprints/index.ts registers them): each known, each one's
// settings whole once the environment's overrides are merged and valid by its own checks, traffic
// declared only where a blueprint reads it, and no two blueprints of one account claiming one name.
import {
  blueprintNamed,
  blueprintOf,
  DEFAULT_BLUEPRINTS,
  registeredBlueprints,
} from "../../blueprints";
import { environmentLayersOf, layoutPaths } from "../layout";
import { envPath, type EnvironmentCheck } from "./context";

/** `blueprints` of the environment when it lists them, else the team's. */
function listPath(e: Parameters<EnvironmentCheck>[0]): string {
  return e.team.raw.environments[e.env]?.blueprints !== undefined
    ? `${envPath(e)}.blueprints`
    : "blueprints";
}

export const checkBlueprintNames: EnvironmentCheck = (e, { report }) => {
  const listed =
    (e.team.raw.environments[e.env]?.blueprints as string[] | undefined) ??
    e.team.raw.blueprints ??
    DEFAULT_BLUEPRINTS;
  listed.forEach((name, i) => {
    if (blueprintNamed(name)) return;
    report(
      e.team.file,
      `${listPath(e)}[${i}]`,
      `unknown blueprint; registered: ${registeredBlueprints()
        .map((b) => b.name)
        .join(", ")}`,
      name,
    );
  });
};

export const checkBlueprintSettings: EnvironmentCheck = (e, { report }) => {
  const raw = e.team.raw.environments[e.env];
  const inEnv = (name: string) => raw?.[name] !== undefined;
  const at = (path: string) => {
    const [name, ...rest] = path.split(".");
    // The blueprint the former layout belongs to: where this file writes its settings.
    if (blueprintNamed(name)?.formerLayout) {
      const level = environmentLayersOf(raw, name).settings !== undefined ? e.env : undefined;
      return [layoutPaths(e.team.raw, level).settings, ...rest].join(".");
    }
    return inEnv(name) ? `${envPath(e)}.${path}` : path;
  };
  for (const use of e.blueprints) {
    for (const issue of use.issues ?? []) report(e.team.file, at(issue.path), issue.message);
    if (use.issues) continue;
    blueprintOf(use).validate?.({ env: e, settings: use.settings }, (path, message, got) =>
      report(
        e.team.file,
        path === "traffic" ? layoutPaths(e.team.raw, e.env).traffic : at(path),
        message,
        got,
      ),
    );
  }
  // Settings of a blueprint the environment does not hold would be ignored without a word.
  const held = new Set(e.blueprints.map((u) => u.name));
  for (const b of registeredBlueprints()) {
    if (!b.settings || held.has(b.name)) continue;
    if (e.team.raw.environments[e.env]?.[b.name] !== undefined)
      report(
        e.team.file,
        `${envPath(e)}.${b.name}`,
        `settings of a blueprint this environment does not list (blueprints: ${[...held].join(", ")})`,
      );
  }
};

export const checkTrafficUsed: EnvironmentCheck = (e, { report }) => {
  if (e.team.raw.environments[e.env]?.traffic === undefined) return;
  if (e.blueprints.some((u) => blueprintOf(u).usesTraffic)) return;
  report(
    e.team.file,
    `${envPath(e)}.traffic`,
    `no blueprint of this environment uses traffic (blueprints: ${e.blueprints.map((u) => u.name).join(", ")})`,
  );
};

/** Two blueprints of one account must not name one resource or alarm alike. */
export const checkBlueprintCollisions: EnvironmentCheck = (e, { report }) => {
  const owner = new Map<string, string>();
  for (const use of e.blueprints) {
    if (use.issues) continue;
    for (const name of blueprintOf(use).resourceNames({ env: e, settings: use.settings })) {
      const first = owner.get(name);
      if (first && first !== use.name)
        report(e.team.file, listPath(e), `blueprints ${first} and ${use.name} both create ${name}`);
      else owner.set(name, use.name);
    }
  }
};

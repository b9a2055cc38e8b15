// The two layouts of a team file for the blueprint that declares `formerLayout` (blueprints/): its
// settings and traffic under a key named like it, on the team and on each environment, as every
// blueprint's settings are; or, as written before blueprints had keys, `blueprint:` on the team and
// on an environment and `traffic:` on an environment. Both are read alike; one level writing both is
// refused. Paths in messages point where the user wrote the field, or would write it in the layout
// the file uses.
import { registeredBlueprints } from "../blueprints";
import type { ConfigProblem } from "./errors";
import type { TeamFile } from "./schema";

type Plain = Record<string, unknown>;
type EnvironmentData = TeamFile["environments"][string];

/** The blueprint whose fields the former layout holds, if one is registered. */
export function formerLayoutBlueprint(): string | undefined {
  return registeredBlueprints().find((b) => b.formerLayout)?.name;
}

/** The former layout's field names, on the team and on an environment. */
const FORMER = { settings: "blueprint", traffic: "traffic" } as const;

const written = (v: unknown): v is Plain => typeof v === "object" && v !== null;

/** The former-layout blueprint's team settings as written (defaults applied), either layout. */
export function teamSettingsOf(data: TeamFile, name: string): Plain | undefined {
  const own = data[name];
  return written(own) ? own : (data[FORMER.settings] as Plain | undefined);
}

/** An environment's settings of the blueprint `name` (traffic left out) and its traffic, either layout. */
export function environmentLayersOf(
  env: EnvironmentData,
  name: string | undefined,
): { settings?: Plain; traffic?: unknown } {
  const own = name === undefined ? undefined : env[name];
  if (written(own)) {
    const { traffic, ...settings } = own;
    return { settings, traffic };
  }
  return { settings: env[FORMER.settings] as Plain | undefined, traffic: env[FORMER.traffic] };
}

/** Whether the team file writes the former layout anywhere. */
export function usesFormerLayout(data: TeamFile): boolean {
  return (
    data[FORMER.settings] !== undefined ||
    Object.values(data.environments).some(
      (env) => env[FORMER.settings] !== undefined || env[FORMER.traffic] !== undefined,
    )
  );
}

/**
 * Where the former-layout blueprint's fields of one level are (or would be) written: `prefix` is the
 * level's path (`""` for the team, `environments.<env>` for an environment).
 */
export function layoutPaths(
  data: TeamFile,
  env: string | undefined,
): { settings: string; traffic: string } {
  const name = formerLayoutBlueprint();
  const level = (env === undefined ? data : data.environments[env]) as Plain | undefined;
  const prefix = env === undefined ? "" : `environments.${env}.`;
  const former =
    name === undefined ||
    (level?.[name] === undefined &&
      (level?.[FORMER.settings] !== undefined ||
        level?.[FORMER.traffic] !== undefined ||
        usesFormerLayout(data)));
  return former
    ? { settings: `${prefix}${FORMER.settings}`, traffic: `${prefix}${FORMER.traffic}` }
    : { settings: `${prefix}${name}`, traffic: `${prefix}${name}.traffic` };
}

/** A level that writes the former layout and the blueprint's key at once: which one holds? */
export function layoutProblems(file: string, data: TeamFile): ConfigProblem[] {
  const name = formerLayoutBlueprint();
  if (name === undefined) return [];
  const levels: [string, Plain][] = [
    ["", data],
    ...Object.entries(data.environments).map(([env, def]): [string, Plain] => [
      `environments.${env}.`,
      def,
    ]),
  ];
  return levels.flatMap(([prefix, level]) => {
    const former = [FORMER.traffic, FORMER.settings].filter((k) => level[k] !== undefined);
    if (level[name] === undefined || former.length === 0) return [];
    return [
      {
        file,
        path: `${prefix}${name}`,
        message: `set either ${FORMER.traffic}/${FORMER.settings} (the former layout) or ${name}, not both`,
        got: [...former, name].join(", "),
      },
    ];
  });
}

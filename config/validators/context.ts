// What every check sees: the files as read, the landing zone built from them, and the one problem
// list every check reports into (config/errors.ts formats it).
import type { ConfigProblem } from "../errors";
import type { LandingZone, TeamEnvironment } from "../model";
import type { ConfigInput } from "../read";

/** Adds a problem; `got` (the offending value) is shown when given. */
export type Report = (file: string, path: string, message: string, got?: unknown) => void;

export interface Context {
  input: ConfigInput;
  lz: LandingZone;
  report: Report;
}

/** A check of the whole configuration. */
export type Check = (ctx: Context) => void;

/** A check of one team environment, reported at `environments.<env>` of its team file. */
export type EnvironmentCheck = (e: TeamEnvironment, ctx: Context) => void;

/**
 * Reports into `problems`, once per distinct problem: a team-level value checked in every
 * environment is one mistake in one place, not one line per environment.
 */
export function reporter(problems: ConfigProblem[]): Report {
  const seen = new Set<string>();
  return (file, path, message, got) => {
    const key = JSON.stringify([file, path, message, got]);
    if (seen.has(key)) return;
    seen.add(key);
    problems.push(got === undefined ? { file, path, message } : { file, path, message, got });
  };
}

/** Where an environment's own fields are: `environments.<env>`. */
export const envPath = (e: TeamEnvironment) => `environments.${e.env}`;

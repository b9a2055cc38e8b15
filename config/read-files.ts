// Reading one configuration file with its schema, and the team files of an accounts folder: the part
// of loading that needs nothing but the files, so config/prefetch.ts can run it on a worker thread.
import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import type { z } from "zod";
import { fieldPath, valueAt, type ConfigProblem } from "./errors";
import { readYamlFile } from "./read-yaml";
import { teamFile, type TeamFile } from "./schema";

/** A team file read and parsed, or the problems that say why not. */
export interface TeamFileRead {
  data?: TeamFile;
  problems: ConfigProblem[];
}

/** How messages name a file: relative to the folder the command runs in, with forward slashes. */
export function displayPath(cwd: string, abs: string): string {
  return relative(cwd, abs).split(sep).join("/");
}

export function readTeamFile(abs: string, cwd: string, accountsDir: string): TeamFileRead {
  return readWithSchema(teamFile, abs, displayPath(cwd, abs), accountsDir);
}

/**
 * Every `<name>.yaml` entry of `<accountsDir>/teams`, read, by absolute path. Which entries count as
 * team files (and which are refused) stays the loader's decision: it takes only those it lists.
 */
export function readTeamFiles(accountsDir: string, cwd: string): Map<string, TeamFileRead> {
  const teamsDir = join(accountsDir, "teams");
  const out = new Map<string, TeamFileRead>();
  for (const name of readdirSync(teamsDir).sort()) {
    if (!name.endsWith(".yaml")) continue;
    const abs = join(teamsDir, name);
    out.set(abs, readTeamFile(abs, cwd, accountsDir));
  }
  return out;
}

/** Parses one YAML file with its schema; every schema issue becomes a problem at its field path. */
export function readWithSchema<S extends z.ZodType>(
  schema: S,
  absPath: string,
  file: string,
  root: string,
): { data?: z.output<S>; problems: ConfigProblem[] } {
  const read = readYamlFile(absPath, file, root);
  if (!read.ok) return { problems: read.problems };
  const parsed = schema.safeParse(read.data);
  if (parsed.success) return { data: parsed.data, problems: [] };
  const problems: ConfigProblem[] = [];
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          file,
          path: fieldPath([...issue.path, key]),
          message: "unknown field; check its spelling against the schema in schemas/",
        });
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      // A record key (team or environment name) broke its rule: say which rule, show the key.
      problems.push({
        file,
        path: fieldPath(issue.path),
        message: issue.issues.map((i) => i.message).join("; "),
        got: issue.path[issue.path.length - 1],
      });
      continue;
    }
    const got = valueAt(read.data, issue.path);
    const missing = got === undefined && issue.code === "invalid_type";
    problems.push({
      file,
      path: fieldPath(issue.path),
      message: missing ? `required field is missing (expected ${issue.expected})` : issue.message,
      got: missing ? undefined : got,
    });
  }
  return { problems };
}

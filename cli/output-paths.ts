// Where a command may not write its results: the accounts folder it reads (a stray file in
// accounts/teams/ makes every later command fail) and the repository's own folders (results would
// land in a commit, or break the build). `--out`, CDKTF_OUTDIR and the like are checked against this.
import { join, resolve } from "node:path";
import { defaultAccountsDir } from "../config/load";
import { REPO_ROOT } from "../modules/service-blueprint/reference-package";

/** The repository's folders that hold sources, configuration or history. */
export const SOURCE_FOLDERS = [
  ".git",
  ".github",
  "accounts",
  "cli",
  "config",
  "docs",
  "modules",
  "rehearsal",
  "schemas",
  "scripts",
  "services",
  "stacks",
  "test",
];

export function protectedFolders(): string[] {
  return [resolve(defaultAccountsDir()), ...SOURCE_FOLDERS.map((f) => join(REPO_ROOT, f))];
}

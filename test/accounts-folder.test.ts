// Configuration is read from inside the accounts folder only: a symlinked teams/ folder pointing
// elsewhere is refused like a symlinked team file, before any file in it is read.
import { mkdtempSync, renameSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { REPO, copyExampleAccounts, removeDir } from "./helpers";

test("a teams/ folder that is a symlink out of the accounts folder is refused, naming each file", () => {
  const dir = copyExampleAccounts();
  const elsewhere = mkdtempSync(join(tmpdir(), "lz-teams-elsewhere-"));
  try {
    removeDir(elsewhere);
    renameSync(join(dir, "teams"), elsewhere);
    symlinkSync(elsewhere, join(dir, "teams"));
    let message = "";
    try {
      loadLandingZone({ accountsDir: dir, cwd: REPO });
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      message = (e as ConfigError).message;
    }
    expect(message).toMatch(
      /teams\/payments\.yaml: \(document\): resolves to .*lz-teams-elsewhere-.*\/payments\.yaml, outside the accounts folder/,
    );
  } finally {
    removeDir(dir);
    removeDir(elsewhere);
  }
});

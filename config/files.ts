// Every configuration file is found or refused, never skipped and never waited on: before a byte is
// read, the path must be a regular file (a FIFO would block the reader forever, a device never ends),
// inside the accounts folder once symlinks are followed, and no larger than the documented limit.
import { lstatSync, readFileSync, realpathSync, statSync, type Stats } from "node:fs";
import { sep } from "node:path";

/** Configuration files are small; anything larger is a mistake or an attack on the loader. */
export const MAX_CONFIG_FILE_BYTES = 1024 * 1024;

export type FileCheck =
  { ok: true; path: string } | { ok: false; message: string; missing?: boolean };

function kindOf(s: Stats): string | undefined {
  if (s.isFile()) return undefined;
  if (s.isDirectory()) return "a folder";
  if (s.isFIFO()) return "a FIFO (named pipe)";
  if (s.isCharacterDevice() || s.isBlockDevice()) return "a device";
  if (s.isSocket()) return "a socket";
  return "not a regular file";
}

const inside = (path: string, root: string) => path === root || path.startsWith(root + sep);

/**
 * Checks `abs` may be read as a configuration file of the folder `root`. Returns the real path to
 * read (symlinks followed) or a message for `<file>: (document): <message>`.
 */
export function checkConfigFile(abs: string, root: string): FileCheck {
  let link: Stats;
  try {
    link = lstatSync(abs);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { ok: false, message: "file not found", missing: true };
    return { ok: false, message: `cannot read file: ${(e as Error).message}` };
  }
  // Followed all the way: a symlinked folder on the path (teams/ -> elsewhere) counts as much as a
  // symlinked file.
  let real: string;
  let realRoot: string;
  try {
    // The system call, not Node's walk that lstats every folder of the path: with 1,000 team files
    // the walk was a tenth of loading.
    real = realpathSync.native(abs);
    realRoot = realpathSync.native(root);
  } catch {
    return { ok: false, message: "is a symlink to nothing (its target does not exist)" };
  }
  if (!inside(real, realRoot)) {
    return {
      ok: false,
      message: `${link.isSymbolicLink() ? "is a symlink" : "resolves"} to ${real}, outside the accounts folder; configuration files must live inside it`,
    };
  }
  const s = link.isSymbolicLink() ? statSync(real) : link;
  const kind = kindOf(s);
  if (kind)
    return { ok: false, message: `is ${kind}, not a regular file; nothing was read from it` };
  if (s.size > MAX_CONFIG_FILE_BYTES) {
    return {
      ok: false,
      message: `file is ${s.size} bytes; configuration files are at most ${MAX_CONFIG_FILE_BYTES} bytes (1 MiB)`,
    };
  }
  return { ok: true, path: real };
}

const utf8 = new TextDecoder("utf-8", { fatal: true });

/** The text of a configuration file that passed checkConfigFile, or why it cannot be read. */
export function readConfigText(
  abs: string,
  root: string,
): { ok: true; text: string } | { ok: false; message: string } {
  const checked = checkConfigFile(abs, root);
  if (!checked.ok) return checked;
  try {
    return { ok: true, text: utf8.decode(readFileSync(checked.path)) };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT")
      return { ok: false, message: "file not found" };
    // By code, not instanceof: the TypeError may come from another realm (e.g. a test sandbox).
    if ((e as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA")
      return { ok: false, message: "file is not valid UTF-8" };
    return { ok: false, message: `cannot read file: ${(e as Error).message}` };
  }
}

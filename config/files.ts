// Every configuration file is found or refused, never skipped and never waited on: before a byte is
// read, the path must be a regular file (a FIFO would block the reader forever, a device never ends),
// inside the accounts folder once symlinks are followed, and no larger than the documented limit.
import {
  closeSync,
  constants,
  fstatSync,
  lstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync,
  type Stats,
} from "node:fs";
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

/**
 * The bytes of a regular file, opened without blocking and checked on the open descriptor (a FIFO,
 * a device or a folder swapped in after a check would otherwise block or never end), reading at most
 * `maxBytes` however the file grows meanwhile.
 */
export function readRegularFile(
  path: string,
  maxBytes: number,
): { ok: true; bytes: Buffer } | { ok: false; message: string; missing?: boolean } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === "ENOENT") return { ok: false, message: "file not found", missing: true };
    return { ok: false, message: `cannot read file: ${(e as Error).message}` };
  }
  try {
    const s = fstatSync(fd);
    const kind = kindOf(s);
    if (kind)
      return { ok: false, message: `is ${kind}, not a regular file; nothing was read from it` };
    if (s.size > maxBytes) return { ok: false, message: tooLarge(s.size, maxBytes) };
    const bytes = Buffer.alloc(Math.min(s.size, maxBytes) + 1);
    let length = 0;
    for (
      let n;
      length < bytes.length && (n = readSync(fd, bytes, length, bytes.length - length, null)) > 0;
    )
      length += n;
    if (length > maxBytes) return { ok: false, message: tooLarge(length, maxBytes) };
    return { ok: true, bytes: bytes.subarray(0, length) };
  } catch (e) {
    return { ok: false, message: `cannot read file: ${(e as Error).message}` };
  } finally {
    closeSync(fd);
  }
}

const tooLarge = (size: number, max: number) =>
  `file is ${size}${size > max ? "" : "+"} bytes; this file may be at most ${max} bytes (${max >= 1024 * 1024 ? `${max / 1024 / 1024} MiB` : `${max} bytes`})`;

/**
 * `bytes` as text, or why not: the first byte that is not UTF-8, with its neighbours, bytes outside
 * printable ASCII written as `\xNN` so a terminal shows them instead of acting on them.
 */
export function decodeUtf8(
  bytes: Uint8Array,
): { ok: true; text: string } | { ok: false; message: string } {
  try {
    return { ok: true, text: utf8.decode(bytes) };
  } catch {
    const at = firstInvalidUtf8(bytes);
    let line = 1;
    for (let i = 0; i < at; i++) if (bytes[i] === 10) line++;
    const from = Math.max(0, at - 12);
    const shown = Array.from(bytes.subarray(from, Math.min(bytes.length, at + 12)), (b) =>
      b >= 0x20 && b < 0x7f && b !== 0x5c && b !== 0x22
        ? String.fromCharCode(b)
        : `\\x${b.toString(16).padStart(2, "0")}`,
    ).join("");
    return {
      ok: false,
      message: `file is not valid UTF-8: byte ${at} (line ${line}) in "${from > 0 ? "..." : ""}${shown}${at + 12 < bytes.length ? "..." : ""}"`,
    };
  }
}

/** Offset of the first byte that does not start or continue a well-formed UTF-8 sequence. */
function firstInvalidUtf8(b: Uint8Array): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i];
    const [n, lo, hi] =
      c < 0x80
        ? [0, 0, 0]
        : c >= 0xc2 && c <= 0xdf
          ? [1, 0x80, 0xbf]
          : c === 0xe0
            ? [2, 0xa0, 0xbf]
            : c >= 0xe1 && c <= 0xec
              ? [2, 0x80, 0xbf]
              : c === 0xed
                ? [2, 0x80, 0x9f]
                : c >= 0xee && c <= 0xef
                  ? [2, 0x80, 0xbf]
                  : c === 0xf0
                    ? [3, 0x90, 0xbf]
                    : c >= 0xf1 && c <= 0xf3
                      ? [3, 0x80, 0xbf]
                      : c === 0xf4
                        ? [3, 0x80, 0x8f]
                        : [-1, 0, 0];
    if (n < 0) return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      const [min, max] = k === 1 ? [lo, hi] : [0x80, 0xbf];
      if (x === undefined || x < min || x > max) return i;
    }
    i += n + 1;
  }
  return b.length;
}

/** The text of a configuration file that passed checkConfigFile, or why it cannot be read. */
export function readConfigText(
  abs: string,
  root: string,
): { ok: true; text: string } | { ok: false; message: string } {
  const checked = checkConfigFile(abs, root);
  if (!checked.ok) return checked;
  const read = readRegularFile(checked.path, MAX_CONFIG_FILE_BYTES);
  return read.ok ? decodeUtf8(read.bytes) : read;
}

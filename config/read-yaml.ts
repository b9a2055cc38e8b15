// Reads one configuration file strictly: valid UTF-8, exactly one YAML document, a mapping at the top,
// no anchors, aliases, merge keys or custom tags (they hide values from reviewers and the schema), no
// JavaScript object property names as keys (config/keys.ts). The file itself must be a regular file
// inside the accounts folder and at most 1 MiB (config/files.ts), and every step below is linear in
// its size, so a hostile file is refused in about the time it takes to read it.
import { dirname } from "node:path";
import { isAlias, isMap, isScalar, isCollection, parseDocument, visit, type YAMLMap } from "yaml";
import { CORE_SCHEMA, load as loadPlainYaml } from "js-yaml";
import { ConfigProblem } from "./errors";
import { readConfigText } from "./files";
import { reservedKeyProblems } from "./keys";

export type ReadResult =
  { ok: true; data: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] };

/** One file with thousands of anchors says what is wrong in its first few lines. */
export const MAX_PROBLEMS_PER_FILE = 20;

/**
 * Reads `absolutePath`, a configuration file of the folder `root` (by default its own folder):
 * symlinks must stay inside `root`.
 */
export function readYamlFile(
  absolutePath: string,
  displayPath: string,
  root = dirname(absolutePath),
): ReadResult {
  const fail = (message: string, path = ""): ReadResult => ({
    ok: false,
    problems: [{ file: displayPath, path, message }],
  });
  const read = readConfigText(absolutePath, root);
  if (!read.ok) return fail(read.message);
  return readYamlText(read.text, displayPath);
}

/** The same rules for text that did not come from a file (a git revision of one). */
export function readYamlText(text: string, displayPath: string): ReadResult {
  const fail = (message: string, path = ""): ReadResult => ({
    ok: false,
    problems: [{ file: displayPath, path, message }],
  });
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) return fail("file is empty");

  const plain = readPlainYaml(text);
  if (plain) return withoutReservedKeys(plain, displayPath);

  // The parser's own unique-key check compares each key with every earlier one (quadratic in the
  // size of a mapping); duplicateKeys below does the same in one pass.
  const doc = parseDocument(text, { uniqueKeys: false, prettyErrors: false, merge: false });
  const errors = [...doc.errors, ...doc.warnings];
  const lineOf = lineIndex(text);
  if (errors.length > 0) {
    // One message per distinct problem: a parser that runs out of stack reports the same line once
    // per level it unwinds, and how many levels that is depends on the caller's stack depth.
    const messages = new Set<string>();
    for (const e of errors) {
      if (messages.size > MAX_PROBLEMS_PER_FILE) break;
      const line = e.linePos?.[0]?.line ?? lineOf(e.pos[0]);
      // The parser already refuses tags it does not know; say so in the loader's own words.
      const tag = e.code === "TAG_RESOLVE_FAILED" ? /tag: (\S+)/.exec(e.message)?.[1] : undefined;
      messages.add(
        tag
          ? `custom YAML tag ${tag} is not allowed (line ${line})`
          : /call stack/i.test(e.message)
            ? `invalid YAML at line ${line}: nested too deeply to read; configuration needs only a few levels`
            : `invalid YAML at line ${line}: ${e.message.split("\n")[0]}`,
      );
    }
    return {
      ok: false,
      problems: capped(
        [...messages].map((message) => ({ file: displayPath, path: "", message })),
        displayPath,
      ),
    };
  }

  const problems: ConfigProblem[] = [];
  visit(doc, {
    Node(_key, node) {
      if (problems.length > MAX_PROBLEMS_PER_FILE) return visit.BREAK;
      const line = node.range ? lineOf(node.range[0]) : "?";
      if (isMap(node)) {
        for (const pair of node.items) {
          const k = pair.key;
          if (isScalar(k) && k.value === "<<" && k.type === "PLAIN") {
            problems.push({
              file: displayPath,
              path: "",
              message: `YAML merge keys are not allowed (line ${lineOf(k.range?.[0] ?? 0)}); write the value out`,
            });
          }
        }
        for (const offset of duplicateKeyOffsets(node)) {
          problems.push({
            file: displayPath,
            path: "",
            message: `invalid YAML at line ${lineOf(offset)}: Map keys must be unique`,
          });
        }
      }
      if (isAlias(node)) {
        problems.push({
          file: displayPath,
          path: "",
          message: `YAML aliases are not allowed (line ${line}); write the value out`,
        });
      } else if ((isScalar(node) || isCollection(node)) && node.anchor) {
        problems.push({
          file: displayPath,
          path: "",
          message: `YAML anchors are not allowed (line ${line}); write the value out`,
        });
      }
      if (
        (isScalar(node) || isCollection(node)) &&
        node.tag &&
        !node.tag.startsWith("tag:yaml.org,2002:")
      ) {
        problems.push({
          file: displayPath,
          path: "",
          message: `custom YAML tag ${node.tag} is not allowed (line ${line})`,
        });
      }
      return undefined;
    },
  });
  if (problems.length > 0) return { ok: false, problems: capped(problems, displayPath) };
  if (!isMap(doc.contents))
    return fail("the file must be a YAML mapping of fields (key: value) at the top level");
  return withoutReservedKeys(
    doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown>,
    displayPath,
  );
}

function withoutReservedKeys(data: Record<string, unknown>, file: string): ReadResult {
  const reserved = reservedKeyProblems(data, file);
  return reserved.length > 0 ? { ok: false, problems: reserved } : { ok: true, data };
}

/** The first MAX_PROBLEMS_PER_FILE problems, then one line saying that there are more. */
function capped(problems: ConfigProblem[], file: string): ConfigProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems;
  return [
    ...problems.slice(0, MAX_PROBLEMS_PER_FILE),
    { file, path: "", message: `more problems of this kind follow; fix the ones above first` },
  ];
}

// Anchors, aliases, tags and merge keys all need one of these characters.
const MAYBE_NOT_PLAIN = /[&*!]|<</;

/**
 * Fast path for the common case, a plain file: js-yaml reads it about ten times faster than the
 * \`yaml\` package's document model, which matters with a thousand team files. Anything that could be
 * an anchor, alias, tag or merge key, and anything js-yaml refuses, takes the strict path below,
 * which reports the problem with its line.
 */
function readPlainYaml(text: string): Record<string, unknown> | undefined {
  if (MAYBE_NOT_PLAIN.test(text)) return undefined;
  try {
    // CORE_SCHEMA resolves scalars as YAML 1.2's core schema does, like the strict path.
    const data = loadPlainYaml(text, { schema: CORE_SCHEMA });
    return typeof data === "object" && data !== null && !Array.isArray(data)
      ? (data as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** Offsets of the keys of `map` that repeat an earlier key, in one pass over the mapping. */
export function duplicateKeyOffsets(map: YAMLMap): number[] {
  const seen = new Set<string>();
  const out: number[] = [];
  for (const pair of map.items) {
    const key = pair.key;
    // Only scalar keys occur in configuration; a collection as a key is refused by the schema.
    if (!isScalar(key)) continue;
    const id = `${typeof key.value}:${String(key.value)}`;
    if (seen.has(id)) out.push(key.range?.[0] ?? 0);
    seen.add(id);
  }
  return out;
}

/** Line number of an offset, by binary search over the line starts (one pass over the text). */
export function lineIndex(text: string): (offset: number) => number {
  const starts = [0];
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) === 10) starts.push(i + 1);
  return (offset) => {
    let lo = 0;
    let hi = starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo + 1;
  };
}

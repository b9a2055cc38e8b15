// Reads one configuration file strictly: valid UTF-8, exactly one YAML document, a mapping at the top,
// no anchors, aliases, merge keys or custom tags (they hide values from reviewers and the schema).
import { readFileSync } from "node:fs";
import { isAlias, isMap, isScalar, isCollection, parseDocument, visit } from "yaml";
import { CORE_SCHEMA, load as loadPlainYaml } from "js-yaml";
import { ConfigProblem } from "./errors";

export type ReadResult =
  { ok: true; data: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function readYamlFile(absolutePath: string, displayPath: string): ReadResult {
  const fail = (message: string, path = ""): ReadResult => ({
    ok: false,
    problems: [{ file: displayPath, path, message }],
  });
  let text: string;
  try {
    text = utf8.decode(readFileSync(absolutePath));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return fail("file not found");
    // By code, not instanceof: the TypeError may come from another realm (e.g. a test sandbox).
    if ((e as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA")
      return fail("file is not valid UTF-8");
    return fail(`cannot read file: ${(e as Error).message}`);
  }
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) return fail("file is empty");

  const plain = readPlainYaml(text);
  if (plain) return { ok: true, data: plain };

  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, merge: false });
  const errors = [...doc.errors, ...doc.warnings];
  if (errors.length > 0) {
    return {
      ok: false,
      problems: errors.map((e) => {
        const line = e.linePos?.[0]?.line ?? lineOf(text, e.pos[0]);
        // The parser already refuses tags it does not know; say so in the loader's own words.
        const tag = e.code === "TAG_RESOLVE_FAILED" ? /tag: (\S+)/.exec(e.message)?.[1] : undefined;
        return {
          file: displayPath,
          path: "",
          message: tag
            ? `custom YAML tag ${tag} is not allowed (line ${line})`
            : `invalid YAML at line ${line}: ${e.message.split("\n")[0]}`,
        };
      }),
    };
  }

  const problems: ConfigProblem[] = [];
  visit(doc, {
    Node(_key, node) {
      const line = node.range ? lineOf(text, node.range[0]) : "?";
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
    },
  });
  if (problems.length > 0) return { ok: false, problems };
  if (!isMap(doc.contents))
    return fail("the file must be a YAML mapping of fields (key: value) at the top level");
  return { ok: true, data: doc.toJS({ maxAliasCount: 0 }) as Record<string, unknown> };
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

function lineOf(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

// Reads an SCP document named by `file:` in organization.yaml. JSON.parse alone is not enough: it keeps
// the last of two equal keys, so `"Condition"` written twice would let a reviewer read one condition
// while AWS receives another. The `yaml` parser (JSON is YAML 1.2) reports every duplicate key with
// its line (in one pass); JSON.parse still decides what valid JSON is.
import { readFileSync } from "node:fs";
import { parseDocument, visit } from "yaml";
import { checkConfigFile } from "./files";
import { duplicateKeyOffsets, lineIndex, MAX_PROBLEMS_PER_FILE } from "./read-yaml";

export type PolicyRead = { ok: true; document: unknown } | { ok: false; messages: string[] };

const utf8 = new TextDecoder("utf-8", { fatal: true });

export function readPolicyFile(abs: string, accountsDir: string): PolicyRead {
  const fail = (...messages: string[]): PolicyRead => ({ ok: false, messages });
  const checked = checkConfigFile(abs, accountsDir);
  if (!checked.ok) return fail(checked.message);
  let text: string;
  try {
    text = utf8.decode(readFileSync(checked.path));
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ERR_ENCODING_INVALID_ENCODED_DATA")
      return fail("file is not valid UTF-8");
    return fail(`cannot read file: ${(e as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (e) {
    return fail(`not valid JSON: ${(e as Error).message}`);
  }
  const doc = parseDocument(text, { schema: "json", uniqueKeys: false, prettyErrors: false });
  const lineOf = lineIndex(text);
  const duplicates: string[] = [];
  visit(doc, {
    Map(_key, map) {
      for (const offset of duplicateKeyOffsets(map)) {
        duplicates.push(
          `duplicate JSON key at line ${lineOf(offset)}: AWS and reviewers could read different values; write each key once`,
        );
      }
    },
  });
  if (duplicates.length > 0) return fail(...duplicates.slice(0, MAX_PROBLEMS_PER_FILE));
  return { ok: true, document };
}

// Reads an SCP document named by `file:` in organization.yaml. JSON.parse alone is not enough: it keeps
// the last of two equal keys, so `"Condition"` written twice would let a reviewer read one condition
// while AWS receives another. The `yaml` parser (JSON is YAML 1.2) reports every duplicate key with
// its line (in one pass); JSON.parse still decides what valid JSON is.
import { parseDocument, visit } from "yaml";
import { readConfigText } from "./files";
import { duplicateKeyOffsets, lineIndex, MAX_PROBLEMS_PER_FILE } from "./read-yaml";

export type PolicyRead = { ok: true; document: unknown } | { ok: false; messages: string[] };

export function readPolicyFile(abs: string, accountsDir: string): PolicyRead {
  const fail = (...messages: string[]): PolicyRead => ({ ok: false, messages });
  const read = readConfigText(abs, accountsDir);
  if (!read.ok) return fail(read.message);
  const text = read.text;
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

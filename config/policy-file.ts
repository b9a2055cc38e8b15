// Reads an SCP document named by `file:` in organization.yaml. JSON.parse alone is not enough: it keeps
// the last of two equal keys, so `"Condition"` written twice would let a reviewer read one condition
// while AWS receives another. JSON.parse decides what valid JSON is (it does not recurse, so depth
// cannot exhaust it); one linear scan of the text then reports every key written twice in one object,
// with its line, and the nesting is bounded before anything walks the document recursively.
import { readConfigText } from "./files";
import { tooDeep } from "./nesting";
import { lineIndex, MAX_PROBLEMS_PER_FILE } from "./read-yaml";

export type PolicyRead = { ok: true; document: unknown } | { ok: false; messages: string[] };

/** A policy is a few levels deep (Statement, Condition, operator, key, values). */
export const MAX_POLICY_DEPTH = 32;

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
  if (tooDeep(document, MAX_POLICY_DEPTH)) {
    return fail(
      `nested more than ${MAX_POLICY_DEPTH} levels deep; a policy document needs a few (Statement, Condition, operator, key)`,
    );
  }
  const lineOf = lineIndex(text);
  const duplicates = duplicateJsonKeys(text).map(
    (offset) =>
      `duplicate JSON key at line ${lineOf(offset)}: AWS and reviewers could read different values; write each key once`,
  );
  if (duplicates.length > 0) return fail(...duplicates.slice(0, MAX_PROBLEMS_PER_FILE));
  return { ok: true, document };
}

/** Offsets of object keys that repeat an earlier key of the same object, in text JSON.parse accepted. */
function duplicateJsonKeys(text: string): number[] {
  const out: number[] = [];
  // One entry per open object (its keys so far) or array (null).
  const open: (Set<string> | null)[] = [];
  let expectKey = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      const start = i;
      for (i++; text[i] !== '"'; i++) if (text[i] === "\\") i++;
      const keys = open[open.length - 1];
      if (expectKey && keys) {
        const key = JSON.parse(text.slice(start, i + 1)) as string;
        if (keys.has(key)) out.push(start);
        else keys.add(key);
      }
      expectKey = false;
    } else if (c === "{") {
      open.push(new Set());
      expectKey = true;
    } else if (c === "[") {
      open.push(null);
    } else if (c === "}" || c === "]") {
      open.pop();
    } else if (c === ",") {
      expectKey = open.length > 0 && open[open.length - 1] !== null;
    }
  }
  return out;
}

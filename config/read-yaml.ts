// Reads one configuration file strictly, with one parser and one set of rules whatever the file
// contains: valid UTF-8, exactly one YAML document, a mapping at the top, no directives, anchors,
// aliases, merge keys or custom tags (they hide values from reviewers and the schema), no
// JavaScript object property names as keys (config/keys.ts). The file itself must be a regular file
// inside the accounts folder and at most 1 MiB (config/files.ts), and every step below is linear in
// its size, so a hostile file is refused in about the time it takes to read it.
//
// Scalars mean what YAML 1.2's core schema says (docs/configuration.md, "YAML"), except the number
// forms YAML readers disagree on (YAML 1.1, which many tools still speak, reads `1_000` as 1000,
// `0b101` as 5, `010` as 8 and `1:30` as 90, where YAML 1.2 reads text or 10): those are refused with
// the decimal to write instead, so a file means one thing to every reader. Keys are compared as
// text, so `2024` and `"2024"` are the same key, written twice.
import { FAILSAFE_SCHEMA, load, Type, YAMLException } from "js-yaml";
import { dirname } from "node:path";
import { fieldPath, type ConfigProblem } from "./errors";
import { MAX_CONFIG_FILE_BYTES, readConfigText } from "./files";
import { RESERVED_NAMES, reservedNameMessage } from "./keys";

export type ReadResult =
  { ok: true; data: Record<string, unknown> } | { ok: false; problems: ConfigProblem[] };

/** One file with thousands of anchors says what is wrong in its first few lines. */
export const MAX_PROBLEMS_PER_FILE = 20;

/** Configuration nests a dozen levels at most; a deeper file is refused before the parser recurses. */
export const MAX_YAML_DEPTH = 64;

/**
 * Reads `absolutePath`, a configuration file of the folder `root` (by default its own folder):
 * symlinks must stay inside `root`.
 */
export function readYamlFile(
  absolutePath: string,
  displayPath: string,
  root = dirname(absolutePath),
): ReadResult {
  const read = readConfigText(absolutePath, root);
  if (!read.ok)
    return { ok: false, problems: [{ file: displayPath, path: "", message: read.message }] };
  return readYamlText(read.text, displayPath);
}

// --- the schema: YAML 1.2 core, the ambiguous number forms refused --------------------------------

/** A plain scalar in a number form readers disagree on; reported with its line and field. */
class Ambiguous {
  line = 0;
  constructor(
    readonly text: string,
    readonly message: string,
  ) {}
  // A key is stored by its text, so two ambiguous keys compare as written.
  toString(): string {
    return this.text;
  }
  get [Symbol.toStringTag](): string {
    return "Ambiguous";
  }
}

/** A node with a tag the schema does not have (`!Ref`, `!!binary`): refused, never interpreted. */
class Tagged {
  constructor(readonly tag: string) {}
  get [Symbol.toStringTag](): string {
    return "Tagged";
  }
}

const DECIMAL_INT = /^[-+]?(?:0|[1-9][0-9]*)$/;
// YAML 1.2's float; a leading zero before a fraction (01.5) reads the same in YAML 1.1.
const DECIMAL_FLOAT = /^[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?$/;

const quoteIt = (text: string) => `or quote it (${JSON.stringify(text)}) if it is text`;

/** Why a plain scalar is ambiguous, or undefined when YAML 1.1 and 1.2 read it alike. */
function ambiguity(text: string): string | undefined {
  if (!numberLike(text)) return undefined;
  const sign = /^[-+]/.test(text) ? text[0] : "";
  const body = sign ? text.slice(1) : text;
  const radix = /^0(?:x([0-9a-fA-F_]+)|o([0-7_]+)|b([01_]+))$/.exec(body);
  if (radix) {
    const [, hex, octal, binary] = radix;
    const digits = (hex ?? octal ?? binary).replace(/_/g, "");
    const value = `${sign === "-" ? "-" : ""}${parseInt(digits, hex ? 16 : octal ? 8 : 2)}`;
    const reading = hex
      ? "a hexadecimal number; configuration numbers are written in decimal"
      : octal
        ? `an octal number, which YAML 1.1 reads as text and YAML 1.2 as ${value}`
        : `a binary number, which YAML 1.1 reads as ${value} and YAML 1.2 as text`;
    return `${text} is ${reading}: write ${value}, ${quoteIt(text)}`;
  }
  if (/^(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?(?:[eE][-+]?[0-9_]+)?$/.test(body) && /[0-9]/.test(body)) {
    if (body.includes("_")) {
      return `${text} is a number with underscores, which YAML 1.1 reads as ${sign}${body.replace(/_/g, "")} and YAML 1.2 as text: write ${sign}${body.replace(/_/g, "")}, ${quoteIt(text)}`;
    }
    if (/^0[0-9]+$/.test(body)) {
      const decimal = `${sign}${body.replace(/^0+(?=[0-9])/, "")}`;
      return `${text} has a leading zero, which YAML 1.1 reads as octal and YAML 1.2 as decimal: write ${decimal}, ${quoteIt(text)}`;
    }
  }
  if (/^\.(?:inf|Inf|INF)$/.test(body)) {
    return `${text} is YAML's infinity, which no field takes: write a number, ${quoteIt(text)}`;
  }
  if (!sign && /^\.(?:nan|NaN|NAN)$/.test(body)) {
    return `${text} is YAML's not a number, which no field takes: write a number, ${quoteIt(text)}`;
  }
  if (/^[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$/.test(body)) {
    return `${text} is a base-60 number to YAML 1.1 and text to YAML 1.2: ${quoteIt(text).replace(/^or /, "")}`;
  }
  if (
    (DECIMAL_INT.test(text) && !Number.isSafeInteger(Number(text))) ||
    (DECIMAL_FLOAT.test(text) && !Number.isFinite(Number(text)))
  ) {
    return `${text} is too large to read exactly (a number keeps about 15 digits): ${quoteIt(text).replace(/^or /, "")}`;
  }
  return undefined;
}

const scalar = (tag: string, resolve: (s: string) => boolean, construct: (s: string) => unknown) =>
  new Type(`tag:yaml.org,2002:${tag}`, {
    kind: "scalar",
    resolve: (s: unknown) => typeof s === "string" && resolve(s),
    construct: (s: string) => construct(s),
  });

// YAML 1.2 core: null, booleans, decimal integers and floats; nothing else is a plain non-string.
const nil = scalar(
  "null",
  (s) => s.length <= 4 && /^(?:~|null|Null|NULL|)$/.test(s),
  () => null,
);
const bool = scalar(
  "bool",
  (s) => s.length <= 5 && /^(?:true|True|TRUE|false|False|FALSE)$/.test(s),
  (s) => /^t/i.test(s),
);
/** Numbers, and every ambiguous form, start with a sign, a digit or a dot; most scalars are words. */
const numberLike = (s: string) => {
  const c = s.charCodeAt(0);
  return c === 43 || c === 45 || c === 46 || (c >= 48 && c <= 57);
};
const int = scalar(
  "int",
  (s) => numberLike(s) && DECIMAL_INT.test(s) && Number.isSafeInteger(Number(s)),
  Number,
);
const float = scalar(
  "float",
  (s) => numberLike(s) && DECIMAL_FLOAT.test(s) && ambiguity(s) === undefined,
  Number,
);
const ambiguous = new Type("tag:landing-zone:ambiguous", {
  kind: "scalar",
  resolve: (s: unknown) => typeof s === "string" && ambiguity(s) !== undefined,
  construct: (s: string) => new Ambiguous(s, ambiguity(s)!),
});
/** Any tag not in the schema (multi, prefix "" matches all), so each is reported, not thrown. */
const anyTag = (kind: "scalar" | "sequence" | "mapping") =>
  new Type("", {
    kind,
    multi: true,
    resolve: () => true,
    construct: (_d, tag) => new Tagged(tag ?? ""),
  });

const CONFIG_SCHEMA = FAILSAFE_SCHEMA.extend({
  implicit: [nil, bool, int, float, ambiguous],
  explicit: [anyTag("scalar"), anyTag("sequence"), anyTag("mapping")],
});

// --- reading ----------------------------------------------------------------------------------------

/** What js-yaml's listener sees; the typings leave out the fields read here. */
interface ParserState {
  line: number;
  kind: string | null;
  result: unknown;
  tag: string | null;
  anchor: string | null;
  version: string | null;
  tagMap: Record<string, string>;
}

/** Aborts the parse: enough problems for one file, or a file nested too deeply. */
class Stop extends Error {}

const shownTag = (tag: string) => tag.replace(/^tag:yaml\.org,2002:/, "!!");

/** The same rules for text that did not come from a file (a git revision of one). */
export function readYamlText(text: string, displayPath: string): ReadResult {
  const fail = (...messages: string[]): ReadResult => ({
    ok: false,
    problems: capped(
      messages.map((message) => ({ file: displayPath, path: "", message })),
      displayPath,
    ),
  });
  // A file is held to this size when it is read; text from git (a base revision) is held here.
  if (text.length > MAX_CONFIG_FILE_BYTES)
    return fail(
      `file is over ${MAX_CONFIG_FILE_BYTES} characters; configuration files are at most 1 MiB`,
    );
  if (text.trim() === "" || /^(\s*#.*\n?)*\s*$/.test(text)) return fail("file is empty");

  const messages: string[] = [];
  const ambiguousNodes: Ambiguous[] = [];
  let depth = 0;
  let started = false;
  const add = (message: string) => {
    messages.push(message);
    if (messages.length > MAX_PROBLEMS_PER_FILE) throw new Stop();
  };
  const listener = (event: "open" | "close", s: ParserState) => {
    if (event === "open") {
      if (!started) {
        started = true;
        const directive =
          s.version !== null
            ? `%YAML ${s.version}`
            : Object.keys(s.tagMap).length > 0
              ? "%TAG"
              : undefined;
        if (directive) {
          add(
            `YAML directives (${directive}) are not allowed; configuration files are read as YAML 1.2 (line ${s.line + 1})`,
          );
        }
      }
      if (++depth > MAX_YAML_DEPTH) {
        add(
          `invalid YAML at line ${s.line + 1}: nested too deeply to read; configuration needs only a few levels`,
        );
        throw new Stop();
      }
      return;
    }
    depth--;
    const line = s.line + 1;
    const r = s.result;
    if (s.anchor !== null) add(`YAML anchors are not allowed (line ${line}); write the value out`);
    if (r instanceof Tagged)
      add(`custom YAML tag ${shownTag(r.tag)} is not allowed (line ${line})`);
    else if (s.tag === "!") add(`custom YAML tag ! is not allowed (line ${line})`);
    else if (r instanceof Ambiguous) {
      r.line = line;
      ambiguousNodes.push(r);
    } else if (s.kind === null && r !== null && r !== undefined) {
      add(`YAML aliases are not allowed (line ${line}); write the value out`);
    }
    if (
      s.kind === "mapping" &&
      r !== null &&
      typeof r === "object" &&
      Object.prototype.hasOwnProperty.call(r, "<<")
    ) {
      add(`YAML merge keys are not allowed (line ${line}); write the value out`);
    }
  };

  let data: unknown;
  try {
    data = load(text, {
      schema: CONFIG_SCHEMA,
      // The typings declare the listener with js-yaml's narrower State.
      listener: listener as never,
      onWarning: (w: YAMLException) =>
        add(`invalid YAML at line ${(w.mark?.line ?? 0) + 1}: ${w.reason}`),
    });
  } catch (e) {
    if (e instanceof YAMLException) messages.push(parserMessage(e, text));
    else if (e instanceof RangeError) {
      // Depth is limited above; this is the last line of defence for a parser that recursed anyway.
      messages.push(
        "invalid YAML: nested too deeply to read; configuration needs only a few levels",
      );
    } else if (!(e instanceof Stop)) throw e;
  }
  if (messages.length > 0) return fail(...messages);
  if (typeof data !== "object" || data === null || Array.isArray(data))
    return fail("the file must be a YAML mapping of fields (key: value) at the top level");
  const problems = walk(data, displayPath, ambiguousNodes);
  return problems.length > 0
    ? { ok: false, problems: capped(problems, displayPath) }
    : { ok: true, data: data as Record<string, unknown> };
}

/** A parser error in the loader's words, with its line. */
function parserMessage(e: YAMLException, text: string): string {
  const line = (e.mark?.line ?? 0) + 1;
  const reason = e.reason ?? e.message;
  if (reason === "duplicated mapping key") {
    const key = keyAt(text, e.mark?.position ?? 0);
    return `invalid YAML at line ${line}: Map keys must be unique; ${key} repeats an earlier key (keys are compared as text, so 2024 and "2024" are the same key)`;
  }
  if (/^unidentified alias/.test(reason))
    return `YAML aliases are not allowed (line ${line}); write the value out`;
  if (/single document/.test(reason))
    return `invalid YAML at line ${line}: a configuration file holds one YAML document (no ---)`;
  return `invalid YAML at line ${line}: ${reason}`;
}

/** The key written at `offset`, as text, for a message. */
function keyAt(text: string, offset: number): string {
  const rest = text.slice(
    offset,
    text.indexOf("\n", offset) === -1 ? undefined : text.indexOf("\n", offset),
  );
  const quoted = /^("(?:[^"\\]|\\.)*"|'(?:[^']|'')*')/.exec(rest);
  const raw = quoted
    ? quoted[1].slice(1, -1)
    : rest
        .split(/:(?:\s|$)/)[0]
        .replace(/^\?\s*/, "")
        .trim();
  return JSON.stringify(raw);
}

/**
 * One pass over what was read, without recursion: ambiguous numbers at their field path, and keys
 * that are JavaScript object property names. An ambiguous scalar the walk does not meet was a key.
 */
function walk(data: unknown, file: string, ambiguousNodes: Ambiguous[]): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const met = new Set<Ambiguous>();
  // Each entry points at its parent, so a path is spelled out only for a problem.
  interface Entry {
    value: unknown;
    key?: string | number;
    parent?: Entry;
  }
  const pathOf = (e: Entry): (string | number)[] => {
    const out: (string | number)[] = [];
    for (let x: Entry | undefined = e; x?.key !== undefined; x = x.parent) out.unshift(x.key);
    return out;
  };
  const todo: Entry[] = [{ value: data }];
  while (todo.length > 0) {
    const entry = todo.pop()!;
    const value = entry.value;
    if (value instanceof Ambiguous) {
      met.add(value);
      problems.push({
        file,
        path: fieldPath(pathOf(entry)),
        message: `${value.message} (line ${value.line})`,
      });
    } else if (Array.isArray(value)) {
      value.forEach((v, i) => todo.push({ value: v, key: i, parent: entry }));
    } else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) {
        const child: Entry = { value: (value as Record<string, unknown>)[key], key, parent: entry };
        if (RESERVED_NAMES.has(key)) {
          problems.push({
            file,
            path: fieldPath(pathOf(child)),
            message: reservedNameMessage("a key"),
            got: key,
          });
        }
        todo.push(child);
      }
    }
  }
  for (const node of ambiguousNodes) {
    if (!met.has(node))
      problems.push({ file, path: "", message: `${node.message} (line ${node.line})` });
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}

/** The first MAX_PROBLEMS_PER_FILE problems, then one line saying that there are more. */
function capped(problems: ConfigProblem[], file: string): ConfigProblem[] {
  if (problems.length <= MAX_PROBLEMS_PER_FILE) return problems;
  return [
    ...problems.slice(0, MAX_PROBLEMS_PER_FILE),
    { file, path: "", message: `more problems of this kind follow; fix the ones above first` },
  ];
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

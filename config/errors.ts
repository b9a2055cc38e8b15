// Every configuration problem is reported as `<file>: <field path>: <what is wrong> (got <value>)`,
// all at once, so a platform engineer fixes a pull request in one round.

export interface ConfigProblem {
  file: string;
  path: string;
  message: string;
  /** The offending value; omitted from the message when undefined. */
  got?: unknown;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join("\n"));
    this.name = "ConfigError";
  }
}

const MAX_VALUE_CHARS = 80;

export function formatValue(value: unknown): string {
  const text = typeof value === "string" ? JSON.stringify(value) : safeJson(value);
  return text.length > MAX_VALUE_CHARS ? `${text.slice(0, MAX_VALUE_CHARS - 3)}...` : text;
}

// JSON has no NaN or Infinity (JSON.stringify writes null); a message shows them as written.
const MARK = "\uE000";
const NON_FINITE = new RegExp(`"${MARK}(NaN|-?Infinity)${MARK}"`, "g");

function safeJson(value: unknown): string {
  if (value === undefined) return "nothing";
  try {
    const text = JSON.stringify(value, (_key, v: unknown) =>
      typeof v === "number" && !Number.isFinite(v) ? `${MARK}${v}${MARK}` : v,
    );
    return text === undefined ? String(value) : text.replace(NON_FINITE, "$1");
  } catch {
    return String(value);
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.path === "" ? "(document)" : p.path;
  const got = "got" in p && p.got !== undefined ? ` (got ${formatValue(p.got)})` : "";
  return `${p.file}: ${where}: ${p.message}${got}`;
}

/**
 * Field paths as users write them: `environments.dev.traffic`, `owners[0].email`; a key that is
 * not a plain name (a tag key `aws:owner`, a permission set `Ops.Admin`) is quoted,
 * `tags.defaults["aws:owner"]`, so the path reads one way.
 */
export function fieldPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else if (!/^[A-Za-z0-9_$-]+$/.test(String(s))) out += `[${JSON.stringify(String(s))}]`;
    else out += out === "" ? String(s) : `.${String(s)}`;
  }
  return out;
}

export function valueAt(root: unknown, segments: ReadonlyArray<PropertyKey>): unknown {
  let cur: unknown = root;
  for (const s of segments) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[s];
  }
  return cur;
}

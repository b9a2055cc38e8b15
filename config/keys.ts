// Names of JavaScript object properties (`constructor`, `__proto__`, `toString`, ...) are refused as
// keys anywhere in a configuration file: as a map key they either read an inherited function instead
// of the user's value or vanish silently (`__proto__` is dropped by the schema's records). Refusing
// them at the door keeps every map of every file safe, including maps added later.
import type { ConfigProblem } from "./errors";
import { fieldPath } from "./errors";

export const RESERVED_NAMES: ReadonlySet<string> = new Set(
  Object.getOwnPropertyNames(Object.prototype),
);

export const reservedNameMessage = (what: string) =>
  `${what} must not be the name of a JavaScript object property (constructor, toString, __proto__, ...); choose another`;

/** The own value of `key`, never an inherited one. */
export function own<T>(record: Record<string, T> | undefined, key: string): T | undefined {
  return record !== undefined && Object.prototype.hasOwnProperty.call(record, key)
    ? record[key]
    : undefined;
}

/** Every mapping key in `data` that names an Object.prototype property, at its field path. */
export function reservedKeyProblems(data: unknown, file: string): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  // Iterative, so a deeply nested file cannot exhaust the stack here.
  const todo: { value: unknown; path: (string | number)[] }[] = [{ value: data, path: [] }];
  while (todo.length > 0) {
    const { value, path } = todo.pop()!;
    if (Array.isArray(value)) {
      value.forEach((v, i) => todo.push({ value: v, path: [...path, i] }));
    } else if (typeof value === "object" && value !== null) {
      for (const key of Object.keys(value)) {
        const at = [...path, key];
        if (RESERVED_NAMES.has(key)) {
          problems.push({
            file,
            path: fieldPath(at),
            message: reservedNameMessage("a key"),
            got: key,
          });
        }
        todo.push({ value: (value as Record<string, unknown>)[key], path: at });
      }
    }
  }
  return problems.sort((a, b) => a.path.localeCompare(b.path));
}

// Names of JavaScript object properties (`constructor`, `__proto__`, `toString`, ...) are refused as
// keys anywhere in a configuration file: as a map key they either read an inherited function instead
// of the user's value or vanish silently (`__proto__` is dropped by the schema's records). Refusing
// them at the door keeps every map of every file safe, including maps added later.

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

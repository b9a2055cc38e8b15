// Construct ids built from names a user writes. Two valid inputs must never share an id: synth would
// stop on "There is already a Construct with name ..." (naming no file or field), and two elements
// placed directly in a stack whose ids differ only in characters cdktf drops from logical ids
// (`Ops.Admin`, `OpsAdmin`) would silently become one.

/**
 * An id per item: its readable id (the one synth has always used, so existing Terraform addresses
 * stay where they are), unless another item of the same scope has the same readable id; then each
 * of those gets its exact id, which spells out what sets the items apart. `exact` must be distinct
 * for distinct items and contain a character no readable id has (`~`).
 */
export function distinctIds<T>(
  items: readonly T[],
  readable: (item: T) => string,
  exact: (item: T) => string,
): Map<T, string> {
  const count = new Map<string, number>();
  for (const item of items) count.set(readable(item), (count.get(readable(item)) ?? 0) + 1);
  const ids = new Map<T, string>();
  const taken = new Set<string>();
  for (const item of items) {
    const id = count.get(readable(item))! > 1 ? exact(item) : readable(item);
    // Validation refuses the entries that would get here (the same entry listed twice).
    if (taken.has(id)) throw new Error(`construct id ${id} would be used twice`);
    taken.add(id);
    ids.set(item, id);
  }
  return ids;
}

/**
 * An id for an element placed directly in a stack, whose Terraform name is its id with every
 * character but letters, digits, `-` and `_` dropped: the other characters (and `_` itself) are
 * written as `_<hex>_`, so two names never make one Terraform name.
 */
export const topLevelId = (s: string) =>
  s.replace(/[^A-Za-z0-9-]/g, (c) => `_${c.codePointAt(0)!.toString(16)}_`);

// How deeply a parsed JSON or YAML value nests, found without recursion. JSON.parse itself does not
// recurse, but much that reads its result does (JSON.stringify, schema checks, comparisons), so a
// reader bounds the depth first and refuses a value nested deeper than any real document is.

/** The path to the first array or object nested deeper than `limit`, or undefined. */
export function tooDeep(value: unknown, limit: number): (string | number)[] | undefined {
  interface Entry {
    value: unknown;
    depth: number;
    key?: string | number;
    parent?: Entry;
  }
  const todo: Entry[] = [{ value, depth: 0 }];
  while (todo.length > 0) {
    const entry = todo.pop()!;
    const v = entry.value;
    if (typeof v !== "object" || v === null) continue;
    if (entry.depth >= limit) {
      const path: (string | number)[] = [];
      for (let e: Entry | undefined = entry; e?.key !== undefined; e = e.parent)
        path.unshift(e.key);
      return path;
    }
    if (Array.isArray(v))
      v.forEach((c, i) => todo.push({ value: c, depth: entry.depth + 1, key: i, parent: entry }));
    else
      for (const [k, c] of Object.entries(v))
        todo.push({ value: c, depth: entry.depth + 1, key: k, parent: entry });
  }
  return undefined;
}

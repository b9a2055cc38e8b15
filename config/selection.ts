// A comma-separated selection (`--stacks a,b*`, `LZ_STACKS`, `--envs dev,prod`): one entry at least,
// none empty. A selection of nothing is a mistake, not a request for nothing (or for everything).

/** The entries of `value`, or a message for `<source>: <message>` saying why there are none. */
export function parseSelection(value: string): { entries: string[] } | { problem: string } {
  const entries = value.split(",").map((s) => s.trim());
  if (entries.every((e) => e === ""))
    return { problem: `selects nothing (got ${JSON.stringify(value)}); name at least one` };
  if (entries.some((e) => e === ""))
    return {
      problem: `has an empty entry (got ${JSON.stringify(value)}); separate names by single commas`,
    };
  return { entries };
}

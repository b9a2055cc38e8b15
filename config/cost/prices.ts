// The checked-in price tables (cli/prices/<region>.json), read by `npm run capacity` and by the team
// stacks' budgets. The files stay where the capacity report has always named them; reading them is
// config's job, so stacks never import from cli/.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import type { PriceTable } from "./estimate";

/** The repository root: the nearest folder above this file (or its build/ copy) with package.json. */
function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PRICES_DIR = join(repoRoot(), "cli", "prices");
/** How messages name the folder, relative to the repository. */
export const PRICES_DIR_NAME = "cli/prices";

export function loadPriceTables(dir = PRICES_DIR): Map<string, PriceTable> {
  const tables = new Map<string, PriceTable>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".json")) continue;
    const table = JSON.parse(readFileSync(join(dir, file), "utf8")) as PriceTable;
    if (`${table.region}.json` !== file) {
      throw new Error(
        `${PRICES_DIR_NAME}/${file}: region is ${table.region}; the file must be named after it`,
      );
    }
    tables.set(table.region, table);
  }
  return tables;
}

let cached: Map<string, PriceTable> | undefined;
/** The default tables, read once per process (synth builds many team stacks). */
export function priceTables(): Map<string, PriceTable> {
  return (cached ??= loadPriceTables());
}

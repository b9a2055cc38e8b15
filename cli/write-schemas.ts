// `npm run schema`: writes the JSON Schema files that the YAML files reference
// (`# yaml-language-server: $schema=...`), generated from the same zod schema the loader uses.
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { ledgerFile, organizationFile, teamFileSchema } from "../config/schema";
import { exitCodeOf, parseFlags } from "./args";

export const SCHEMA_FILES: Record<string, z.ZodType> = {
  "organization.schema.json": organizationFile,
  "team.schema.json": teamFileSchema(),
  "ledger.schema.json": ledgerFile,
};

export function renderSchema(name: string, schema: z.ZodType): string {
  const json = z.toJSONSchema(schema, { io: "input", unrepresentable: "any" });
  return `${JSON.stringify({ ...json, title: name.replace(".schema.json", "") }, null, 2)}\n`;
}

export const USAGE = `Usage: npm run schema
  Writes schemas/*.schema.json from config/schema.ts (after a change to it). Takes no flags.`;

export function main(argv: string[]): number {
  try {
    parseFlags({ args: argv, options: {} }, USAGE);
    const dir = join(process.cwd(), "schemas");
    mkdirSync(dir, { recursive: true });
    for (const [name, schema] of Object.entries(SCHEMA_FILES)) {
      writeFileSync(join(dir, name), renderSchema(name, schema));
      console.log(`wrote schemas/${name}`);
    }
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

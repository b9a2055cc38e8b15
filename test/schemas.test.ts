// The JSON Schema files editors use are generated from the loader's schema and must not drift.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_FILES, renderSchema } from "../cli/write-schemas";
import { EXAMPLE_ACCOUNTS, REPO } from "./helpers";

test.each(Object.entries(SCHEMA_FILES))(
  "schemas/%s is up to date (run npm run schema)",
  (name, schema) => {
    expect(readFileSync(join(REPO, "schemas", name), "utf8")).toBe(renderSchema(name, schema));
  },
);

// The example's copy (test/fixtures/organizations/example) carries the lines as accounts/ has them;
// they are relative to accounts/ in a checkout, and resolve to the generated files from there.
test("every example YAML file references its schema for editor completion", () => {
  const schemaOf = (file: string, rel: string): string => {
    const line = /^# yaml-language-server: \$schema=(\S+)\n/.exec(
      readFileSync(join(EXAMPLE_ACCOUNTS, file), "utf8"),
    );
    expect(line).not.toBeNull();
    expect(existsSync(join(REPO, "accounts", rel, line![1]))).toBe(true);
    return line![1];
  };
  expect(schemaOf("organization.yaml", ".")).toBe("../schemas/organization.schema.json");
  for (const file of readdirSync(join(EXAMPLE_ACCOUNTS, "teams"))) {
    expect(schemaOf(join("teams", file), "teams")).toBe("../../schemas/team.schema.json");
  }
});

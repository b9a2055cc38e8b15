// The JSON Schema files editors use are generated from the loader's schema and must not drift.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { SCHEMA_FILES, renderSchema } from "../cli/write-schemas";
import { REPO } from "./helpers";

test.each(Object.entries(SCHEMA_FILES))(
  "schemas/%s is up to date (run npm run schema)",
  (name, schema) => {
    expect(readFileSync(join(REPO, "schemas", name), "utf8")).toBe(renderSchema(name, schema));
  },
);

test("every example YAML file references its schema for editor completion", () => {
  expect(readFileSync(join(REPO, "accounts", "organization.yaml"), "utf8")).toMatch(
    /^# yaml-language-server: \$schema=\.\.\/schemas\/organization\.schema\.json\n/,
  );
  for (const file of readdirSync(join(REPO, "accounts", "teams"))) {
    expect(readFileSync(join(REPO, "accounts", "teams", file), "utf8")).toMatch(
      /^# yaml-language-server: \$schema=\.\.\/\.\.\/schemas\/team\.schema\.json\n/,
    );
  }
});

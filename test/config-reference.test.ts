// docs/reference/configuration.md is generated from the configuration schema (npm run docs) and must
// not drift from it; `npm run docs -- --check` fails when it does, naming the file.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { CONFIG_REFERENCE_FILE, renderConfigurationReference } from "../cli/config-reference";
import { REPO } from "./helpers";

const reference = renderConfigurationReference();

/** The table row of a field path in one section: [type, default, description]. */
function row(section: string, path: string): string[] {
  const start = reference.indexOf(`## \`${section}\``);
  const end = reference.indexOf("\n## ", start + 1);
  const line = reference
    .slice(start, end < 0 ? undefined : end)
    .split("\n")
    .find((l) => l.startsWith(`| \`${path}\` `));
  if (!line) throw new Error(`no row for ${path} in ${section}`);
  return line
    .split(/(?<!\\)\|/)
    .slice(2, -1)
    .map((c) => c.trim());
}

test("docs/reference/configuration.md is the schema's (npm run docs)", () => {
  expect(readFileSync(join(REPO, CONFIG_REFERENCE_FILE), "utf8")).toBe(reference);
});

test("a field shows its type, its default and its description", () => {
  expect(row("accounts/teams/<team>.yaml", "serverless-api.functions.api.memoryMb")).toEqual([
    "integer, 128 to 10240",
    "`512`",
    "Memory in MB (CPU grows with it)",
  ]);
  expect(
    row("accounts/teams/<team>.yaml", "serverless-api.functions.worker.timeoutSeconds")[1],
  ).toBe("`60`");
  expect(row("accounts/organization.yaml", "managementAccountId")[1]).toBe("required");
  expect(row("accounts/organization.yaml", "environments.<env>.production")[1]).toBe("`false`");
  expect(row("accounts/ledger.yaml", "teams")[0]).toMatch(/^map of team to map of env to list/);
});

test("thresholds derived from traffic say so instead of showing a default", () => {
  for (const field of ["apiLatencyP90Ms", "lambdaErrors", "queueAgeSeconds"]) {
    const [, fallback, description] = row("accounts/organization.yaml", `alarms.${field}`);
    expect(fallback).toBe("");
    expect(description).toMatch(/derived from/);
  }
});

test("an override level points to the fields of the level with the defaults", () => {
  expect(row("accounts/teams/<team>.yaml", "environments.<env>.serverless-api.api")[2]).toMatch(
    /Same fields as `serverless-api\.api`\.$/,
  );
  // The former layout's fields point to the blueprint's key, where they are documented.
  expect(row("accounts/teams/<team>.yaml", "environments.<env>.blueprint")[2]).toMatch(
    /Same fields as `serverless-api`\.$/,
  );
  expect(row("accounts/teams/<team>.yaml", "alarms")[2]).toMatch(
    /Same fields as `alarms` in organization\.yaml\.$/,
  );
  expect(reference).not.toContain("| `environments.<env>.blueprint.headroom`");
  expect(reference).not.toContain("| `environments.<env>.serverless-api.api.cache`");
});

// `npm run docs -- --check` naming a stale reference and `npm run docs` rewriting it: in
// guardrail-docs.test.ts, on the same copy as a stale block of the example (one run of each).

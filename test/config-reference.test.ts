// docs/reference/configuration.md is generated from the configuration schema (npm run docs) and must
// not drift from it; `npm run docs -- --check` fails when it does, naming the file.
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { CONFIG_REFERENCE_FILE, renderConfigurationReference } from "../cli/config-reference";
import { DOCS_INPUTS } from "../cli/docs";
import { REPO, removeDir } from "./helpers";

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
  expect(row("accounts/teams/<team>.yaml", "blueprint.functions.api.memoryMb")).toEqual([
    "integer, 128 to 10240",
    "`512`",
    "Memory in MB (CPU grows with it)",
  ]);
  expect(row("accounts/teams/<team>.yaml", "blueprint.functions.worker.timeoutSeconds")[1]).toBe(
    "`60`",
  );
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
  expect(row("accounts/teams/<team>.yaml", "environments.<env>.blueprint")[2]).toMatch(
    /Same fields as `blueprint`\.$/,
  );
  expect(row("accounts/teams/<team>.yaml", "alarms")[2]).toMatch(
    /Same fields as `alarms` in organization\.yaml\.$/,
  );
  expect(reference).not.toContain("| `environments.<env>.blueprint.headroom`");
});

test("npm run docs -- --check names a stale reference; npm run docs rewrites it", () => {
  const root = mkdtempSync(join(tmpdir(), "lz-docs-"));
  try {
    for (const p of DOCS_INPUTS) {
      cpSync(join(REPO, p), join(root, p), { recursive: true });
    }
    const page = join(root, CONFIG_REFERENCE_FILE);
    const stale = reference.replace("`512`", "`256`");
    writeFileSync(page, stale);
    const run = (...args: string[]) =>
      spawnSync(process.execPath, [join(REPO, "build", "cli", "docs.js"), ...args], {
        cwd: root,
        encoding: "utf8",
      });
    const check = run("--check");
    expect(check.status).toBe(3);
    expect(check.stderr).toBe(
      `${CONFIG_REFERENCE_FILE} out of date with the code; run npm run docs\n`,
    );
    expect(readFileSync(page, "utf8")).toBe(stale);
    expect(run().stdout).toBe(`Wrote ${CONFIG_REFERENCE_FILE}.\n`);
    expect(readFileSync(page, "utf8")).toBe(reference);
  } finally {
    removeDir(root);
  }
});

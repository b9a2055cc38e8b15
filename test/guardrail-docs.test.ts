// Generated documentation: one guardrail rule is one file, and the catalogue
// (modules/guardrails/rules/index.ts) lists every rule file; what derives from it and from the
// configuration — the rule table in docs/guardrails.md, config/guardrail-rule-ids.ts (the waiver
// enum), the example's derived numbers, stack inventory and cost — is what `npm run docs` writes.
// Fails when someone edits one side by hand.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { blockEnd, blockStart, embedBlock } from "../cli/doc-blocks";
import { GUARDRAILS_DOC, renderRuleIds, renderRuleTable, RULE_IDS_FILE } from "../cli/docs";
import { GUARDRAIL_RULE_IDS } from "../config/guardrails";
import { GUARDRAIL_RULES } from "../modules/guardrails/rules";
import { CONFIG_REFERENCE_FILE, renderConfigurationReference } from "../cli/config-reference";
import { buildCli, type CliRun } from "./cli";
import { MINIMAL_ACCOUNTS, REPO, removeDir } from "./helpers";

const RULES_DIR = join(REPO, "modules/guardrails/rules");

test("every file in rules/ is one registered rule, named by its id", () => {
  const files = readdirSync(RULES_DIR)
    .filter((f) => f.endsWith(".ts") && f !== "index.ts")
    .map((f) => basename(f, ".ts"))
    .sort();
  expect(GUARDRAIL_RULES.map((r) => r.id).sort()).toEqual(files);
  for (const r of GUARDRAIL_RULES) {
    expect(r.description).not.toMatch(/[\n|]/); // one table cell
  }
});

test("the waiver enum's ids are the catalogue's, in its order", () => {
  expect([...GUARDRAIL_RULE_IDS]).toEqual(GUARDRAIL_RULES.map((r) => r.id));
  expect(readFileSync(join(REPO, RULE_IDS_FILE), "utf8")).toBe(renderRuleIds(GUARDRAIL_RULES));
});

// The outputs that describe the organization (derived numbers, stack inventory, capacity, access) are
// a platform team's own once it regenerates them for its accounts/, so these tests run the command
// in a copy of docs/ regenerated from the minimal fixture organization (the smallest to synthesize);
// `npm run docs -- --check` of the repository itself is part of the organization's CI (.ci/run;
// README, "Testing").
describe("npm run docs", () => {
  // Written from the code alone: the repository's copies must be current whatever accounts/ holds.
  const FROM_CODE = [GUARDRAILS_DOC, RULE_IDS_FILE, CONFIG_REFERENCE_FILE];
  let cli: ReturnType<typeof buildCli>;
  let root: string;
  let regenerated: CliRun;
  let good: { blueprint: string; reference: string };
  beforeAll(() => {
    cli = buildCli("docs");
    root = mkdtempSync(join(tmpdir(), "lz-docs-"));
    for (const p of ["docs", "cli/prices", RULE_IDS_FILE, ".prettierrc.json"]) {
      cpSync(join(REPO, p), join(root, p), { recursive: true });
    }
    cpSync(MINIMAL_ACCOUNTS, join(root, "accounts"), { recursive: true });
    regenerated = cli.run("cli/docs.js", [], { cwd: root });
  });
  afterAll(() => {
    cli.cleanup();
    removeDir(root);
  });

  test("what derives from the code alone is up to date in the repository", () => {
    expect(regenerated.stderr).toBe("");
    expect(regenerated.code).toBe(0);
    const written = [...regenerated.stdout.matchAll(/^Wrote (.+)\.$/gm)].map((m) => m[1]);
    expect(written.filter((f) => FROM_CODE.includes(f))).toEqual([]);
  });

  test("--check names each stale page and writes nothing", () => {
    const blueprint = join(root, "docs/blueprint.md");
    const reference = join(root, CONFIG_REFERENCE_FILE);
    good = {
      blueprint: readFileSync(blueprint, "utf8"),
      reference: readFileSync(reference, "utf8"),
    };
    // A block generated from the organization, and a page generated from the schema.
    const stale = {
      blueprint: good.blueprint.replace("| team-shop-prod ", "| team-shop-prod-old "),
      reference: good.reference.replace("`512`", "`256`"),
    };
    writeFileSync(blueprint, stale.blueprint);
    writeFileSync(reference, stale.reference);
    const check = cli.run("cli/docs.js", ["--check"], { cwd: root });
    expect(check.code).toBe(1);
    expect(check.stderr).toBe(
      `docs/blueprint.md, ${CONFIG_REFERENCE_FILE} out of date with the code; run npm run docs\n`,
    );
    expect(readFileSync(blueprint, "utf8")).toBe(stale.blueprint);
    expect(readFileSync(reference, "utf8")).toBe(stale.reference);
  });

  test("without --check it rewrites the stale pages, and only them", () => {
    const write = cli.run("cli/docs.js", [], { cwd: root });
    expect(write.stdout).toBe(`Wrote docs/blueprint.md.\nWrote ${CONFIG_REFERENCE_FILE}.\n`);
    expect(readFileSync(join(root, "docs/blueprint.md"), "utf8")).toBe(good.blueprint);
    expect(readFileSync(join(root, CONFIG_REFERENCE_FILE), "utf8")).toBe(good.reference);
    expect(readFileSync(join(root, CONFIG_REFERENCE_FILE), "utf8")).toBe(
      renderConfigurationReference(),
    );
  });
});

test("a stale block is found and replaced between its markers only", () => {
  const page = `# T\n\n${blockStart("x")}\n\nold\n\n${blockEnd("x")}\n\nAfter.\n`;
  expect(embedBlock(page, "x", "new\n")).toBe(
    `# T\n\n${blockStart("x")}\n\nnew\n\n${blockEnd("x")}\n\nAfter.\n`,
  );
  expect(embedBlock("# no markers\n", "x", "new")).toBeUndefined();
  const guardrails = readFileSync(join(REPO, GUARDRAILS_DOC), "utf8");
  expect(guardrails).toContain(blockStart("guardrail-rules"));
});

test("the table lists each rule once, then unused-waiver", () => {
  const rows = renderRuleTable(GUARDRAIL_RULES).trimEnd().split("\n").slice(2);
  expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1])).toEqual([
    ...GUARDRAIL_RULE_IDS,
    "unused-waiver",
  ]);
});

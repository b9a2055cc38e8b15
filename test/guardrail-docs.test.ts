// Generated documentation: one guardrail rule is one file, and the catalogue
// (modules/guardrails/rules/index.ts) lists every rule file; what derives from it and from the
// configuration — the rule table in docs/guardrails.md, config/guardrail-rule-ids.ts (the waiver
// enum), the example's derived numbers, stack inventory and cost — is what `npm run docs` writes.
// Fails when someone edits one side by hand.
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { blockEnd, blockStart, embedBlock } from "../cli/doc-blocks";
import {
  DOCS_INPUTS,
  GUARDRAILS_DOC,
  renderRuleIds,
  renderRuleTable,
  RULE_IDS_FILE,
} from "../cli/docs";
import { GUARDRAIL_RULE_IDS } from "../config/guardrails";
import { GUARDRAIL_RULES } from "../modules/guardrails/rules";
import { CONFIG_REFERENCE_FILE, renderConfigurationReference } from "../cli/config-reference";
import { buildCli } from "./cli";
import { REPO, removeDir } from "./helpers";

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

describe("npm run docs", () => {
  let cli: ReturnType<typeof buildCli>;
  beforeAll(() => {
    cli = buildCli("docs");
  });
  afterAll(() => cli.cleanup());

  // The documentation's examples describe the example organization: npm run docs reads its copy in
  // the fixtures (DOCS_INPUTS), never accounts/ (a platform team's own).
  test("--check: every generated output of the repository is up to date", () => {
    const r = cli.run("cli/docs.js", ["--check"]);
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
  });

  // One copy for both kinds of output (each run of the command synthesizes the example): a block
  // generated from the example organization, and the configuration reference from the schema.
  test("--check names the stale pages and writes nothing; without it they are rewritten", () => {
    const root = mkdtempSync(join(tmpdir(), "lz-docs-"));
    try {
      for (const p of DOCS_INPUTS) {
        cpSync(join(REPO, p), join(root, p), { recursive: true });
      }
      const page = join(root, "docs/blueprint.md");
      const good = readFileSync(page, "utf8");
      const stale = good.replace("| team-payments-prod ", "| team-payments-prod-old ");
      writeFileSync(page, stale);
      const reference = join(root, CONFIG_REFERENCE_FILE);
      const staleReference = renderConfigurationReference().replace("`512`", "`256`");
      writeFileSync(reference, staleReference);
      const check = cli.run("cli/docs.js", ["--check"], { cwd: root });
      expect(check.code).toBe(3);
      expect(check.stderr).toBe(
        `${CONFIG_REFERENCE_FILE}, docs/blueprint.md out of date with the code; run npm run docs\n`,
      );
      expect(readFileSync(page, "utf8")).toBe(stale);
      expect(readFileSync(reference, "utf8")).toBe(staleReference);
      const write = cli.run("cli/docs.js", [], { cwd: root });
      expect(write.stdout).toBe(`Wrote ${CONFIG_REFERENCE_FILE}.\nWrote docs/blueprint.md.\n`);
      expect(readFileSync(page, "utf8")).toBe(good);
      expect(readFileSync(reference, "utf8")).toBe(renderConfigurationReference());
    } finally {
      removeDir(root);
    }
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

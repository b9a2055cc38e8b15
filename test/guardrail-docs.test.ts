// One guardrail rule, one file: the catalogue (modules/guardrails/rules/index.ts) lists every rule
// file, and what derives from it — README.md's rule table, config/guardrail-rule-ids.ts (the waiver
// enum) — is what `npm run docs` writes from it. Fails when someone edits one side by hand.
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import {
  embedRuleTable,
  renderRuleIds,
  renderRuleTable,
  RULE_IDS_FILE,
  RULES_END,
  RULES_START,
} from "../cli/docs";
import { GUARDRAIL_RULE_IDS } from "../config/guardrails";
import { GUARDRAIL_RULES } from "../modules/guardrails/rules";
import { REPO } from "./helpers";

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

test("README.md's rule table is the catalogue's (npm run docs)", () => {
  const readme = readFileSync(join(REPO, "README.md"), "utf8");
  expect(readme).toContain(RULES_START);
  expect(readme).toContain(RULES_END);
  expect(embedRuleTable(readme, renderRuleTable(GUARDRAIL_RULES))).toBe(readme);
});

test("the table lists each rule once, then unused-waiver", () => {
  const rows = renderRuleTable(GUARDRAIL_RULES).trimEnd().split("\n").slice(2);
  expect(rows.map((r) => /^\| `([^`]+)`/.exec(r)![1])).toEqual([
    ...GUARDRAIL_RULE_IDS,
    "unused-waiver",
  ]);
});

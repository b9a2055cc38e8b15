// `npm run diagram`: the organization as Mermaid, checked in (docs/organization.mmd and docs/operations.md).
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseDocument } from "yaml";
import {
  DIAGRAM_DOC,
  DIAGRAM_FILE,
  embedInDoc,
  BLOCK_END,
  BLOCK_START,
  renderMermaid,
} from "../cli/diagram";
import { loadLandingZone } from "../config/load";
import { buildCli } from "./cli";
import { REPO, removeDir, writeFiles, EXAMPLE_ACCOUNTS } from "./helpers";

let cli: ReturnType<typeof buildCli>;
beforeAll(() => {
  cli = buildCli("diagram");
});
afterAll(() => cli.cleanup());

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lz-diagram-"));
  cpSync(EXAMPLE_ACCOUNTS, join(root, "accounts"), { recursive: true });
});
afterEach(() => removeDir(root));

const example = () => renderMermaid(loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO }));

test("the example: OU tree, accounts under their OU, SCPs and RCPs on their targets", () => {
  const lines = example().split("\n");
  expect(lines[0]).toBe("flowchart TD");
  expect(lines).toContain(
    '  root(["Root: acme (111111111111)<br/>SCP: deny-outside-allowed-regions, protect-landing-zone<br/>RCP: data-perimeter"])',
  );
  expect(lines).toContain('  ou_Suspended["OU Suspended<br/>SCP: deny-all"]');
  expect(lines).toContain('  ou_Workloads["OU Workloads<br/>SCP: deny-iam-users"]');
  expect(lines).toContain(
    '  acct_log_archive("log-archive<br/>Log Archive<br/>SCP: protect-log-archive")',
  );
  expect(lines).toContain("  ou_Workloads --> ou_Workloads_Prod");
  expect(lines).toContain('  acct_team_payments_prod("team-payments-prod<br/>payments-prod")');
  expect(lines).toContain("  ou_Workloads_Prod --> acct_team_payments_prod");
  expect(lines).toContain("  ou_Security --> acct_log_archive");
  expect(lines).toContain(
    '  acct_team_reporting_staging("team-reporting-staging<br/>reporting-staging<br/>baseline")',
  );
  // 7 OUs and 12 accounts, each attached once.
  expect(lines.filter((l) => / --> ou_/.test(l))).toHaveLength(7);
  expect(lines.filter((l) => / --> acct_/.test(l))).toHaveLength(12);
});

// Whether they picture accounts/ is `npm run diagram -- --check`, part of the organization's CI (the
// workflow and .ci/run): a platform team's diagram is of its own organization, not the example.
test("the checked-in diagram and the operations page's copy are the same picture", () => {
  const diagram = readFileSync(join(REPO, DIAGRAM_FILE), "utf8");
  expect(diagram).toMatch(/^flowchart TD\n/);
  const page = readFileSync(join(REPO, DIAGRAM_DOC), "utf8");
  expect(page).toContain(BLOCK_START);
  expect(embedInDoc(page, diagram)).toBe(page);
});

test("a suspended account is drawn in the Suspended OU, marked and greyed", () => {
  const dir = join(root, "accounts");
  const team = parseDocument(readFileSync(join(dir, "teams/payments.yaml"), "utf8"));
  team.setIn(["environments", "dev", "status"], "suspended");
  const ledger = parseDocument(readFileSync(join(dir, "ledger.yaml"), "utf8"));
  ledger.setIn(["teams", "payments", "dev"], ledger.createNode(["active", "suspended"]));
  writeFiles(dir, { "teams/payments.yaml": team.toString(), "ledger.yaml": ledger.toString() });
  const lines = renderMermaid(loadLandingZone({ accountsDir: dir, cwd: root })).split("\n");
  expect(lines).toContain(
    '  acct_team_payments_dev("team-payments-dev [suspended]<br/>payments-dev")',
  );
  expect(lines).toContain("  ou_Suspended --> acct_team_payments_dev");
  expect(lines).toContain("  class acct_team_payments_dev inactive");
});

test("the command writes the file and the page's block; --check fails while they are stale", () => {
  mkdirSync(join(root, "docs"), { recursive: true });
  writeFileSync(join(root, DIAGRAM_DOC), `# Org\n\n${BLOCK_START}\nold\n${BLOCK_END}\n\nAfter.\n`);
  const run = (args: string[]) => cli.run("cli/diagram.js", args, { cwd: root });

  const stale = run(["--check"]);
  expect(stale.code).toBe(3);
  expect(stale.stderr).toMatch(
    /docs\/organization\.mmd and docs\/operations\.md out of date .* run npm run diagram/,
  );
  expect(existsSync(join(root, DIAGRAM_FILE))).toBe(false);

  const write = run([]);
  expect(write.code).toBe(0);
  expect(write.stdout).toBe(
    "Wrote docs/organization.mmd.\nUpdated the diagram in docs/operations.md.\n",
  );
  const diagram = readFileSync(join(root, DIAGRAM_FILE), "utf8");
  expect(diagram).toBe(example());
  expect(readFileSync(join(root, DIAGRAM_DOC), "utf8")).toBe(
    `# Org\n\n${BLOCK_START}\n\n\`\`\`mermaid\n${diagram}\`\`\`\n\n${BLOCK_END}\n\nAfter.\n`,
  );
  expect(run(["--check"]).code).toBe(0);
  // Deterministic: a second run changes nothing.
  expect(run([]).stdout).toBe("Wrote docs/organization.mmd.\n");
});

test("an invalid configuration writes nothing", () => {
  writeFiles(join(root, "accounts"), { "teams/payments.yaml": "name: payments\n" });
  const r = cli.run("cli/diagram.js", [], { cwd: root });
  expect(r.code).toBe(1);
  expect(r.stderr).toMatch(/^Configuration is invalid .*nothing was written/m);
  expect(existsSync(join(root, DIAGRAM_FILE))).toBe(false);
});

// `npm run diagram [-- --check]`: the organization as a Mermaid flowchart — OU tree, accounts (with
// their lifecycle status) and the SCPs and RCPs attached to each target, the root, an OU or an account — written to docs/organization.mmd and
// into docs/operations.md between the diagram markers, so a pull request that changes the layout shows it.
// --check writes nothing and exits 3 when either file is out of date (for CI).
import { blockEnd, blockStart, embedBlock } from "./doc-blocks";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadLandingZone } from "../config/load";
import {
  ACCOUNT_TARGET_PREFIX,
  allAccounts,
  ROOT_TARGET,
  type Account,
  type LandingZone,
} from "../config/model";
import { exitCodeOf, GateError, parseFlags } from "./args";
import { DEFAULT_BLUEPRINTS } from "../blueprints";

export const DIAGRAM_FILE = "docs/organization.mmd";
export const DIAGRAM_DOC = "docs/operations.md";
const BLOCK = "organization-diagram";
const COMMAND = "npm run diagram";
export const BLOCK_START = blockStart(BLOCK, COMMAND);
export const BLOCK_END = blockEnd(BLOCK);
/** More team accounts than this in one OU are drawn as one node for the OU. */
export const DIAGRAM_TEAM_ACCOUNTS_PER_OU = 12;

const nodeId = (prefix: string, s: string) => `${prefix}_${s.replace(/[^A-Za-z0-9]+/g, "_")}`;
const label = (s: string) => s.replace(/"/g, "#quot;");

export function renderMermaid(lz: LandingZone): string {
  const on = (policies: { name: string; targets: string[] }[], target: string) =>
    policies
      .filter((p) => p.targets.includes(target))
      .map((p) => p.name)
      .sort();
  const withScps = (title: string, target: string) => {
    const scps = on(lz.policies, target);
    const rcps = on(lz.resourceControlPolicies, target);
    return [
      title,
      ...(scps.length > 0 ? [`SCP: ${scps.join(", ")}`] : []),
      ...(rcps.length > 0 ? [`RCP: ${rcps.join(", ")}`] : []),
    ].join("<br/>");
  };
  const lines = ["flowchart TD"];
  lines.push(
    `  root(["${label(withScps(`Root: ${lz.org.name} (${lz.org.managementAccountId})`, ROOT_TARGET))}"])`,
  );
  lines.push(`  mgmt[["organization: management account"]]`);
  lines.push("  root --- mgmt");
  for (const ou of lz.organizationalUnits) {
    const id = nodeId("ou", ou.path);
    lines.push(`  ${id}["${label(withScps(`OU ${ou.path}`, ou.path))}"]`);
    lines.push(`  ${ou.parent ? nodeId("ou", ou.parent) : "root"} --> ${id}`);
  }
  const accounts = [...allAccounts(lz)].sort(
    (a, b) => a.ou.localeCompare(b.ou) || a.stackId.localeCompare(b.stackId),
  );
  const status = (a: Account) => (a.status === "active" ? "" : ` [${a.status}]`);
  // Past a handful per OU, team accounts are one node per OU, so 250 teams stay within Mermaid's
  // default limits (50,000 characters, 500 edges) and the picture stays readable.
  const teamsPerOu = new Map<string, Account[]>();
  for (const a of accounts) {
    if (a.kind === "team") teamsPerOu.set(a.ou, [...(teamsPerOu.get(a.ou) ?? []), a]);
  }
  const collapsed = new Set(
    [...teamsPerOu]
      .filter(([, list]) => list.length > DIAGRAM_TEAM_ACCOUNTS_PER_OU)
      .map(([ou]) => ou),
  );
  const teamOf = new Map(
    lz.teams.flatMap((t) => t.environments.map((e) => [e.account.stackId, t.name] as const)),
  );
  // An account with other blueprints than the default names them under its name.
  const blueprintsOf = new Map(
    lz.teams.flatMap((t) =>
      t.environments.map((e) => {
        const names = e.blueprints.map((u) => u.name);
        const note = names.join() === DEFAULT_BLUEPRINTS.join() ? "" : `<br/>${names.join(" + ")}`;
        return [e.account.stackId, note] as const;
      }),
    ),
  );
  const inactive: string[] = [];
  for (const a of accounts) {
    if (a.kind === "team" && collapsed.has(a.ou)) continue;
    const id = nodeId("acct", a.stackId);
    const title = `${a.stackId}${status(a)}<br/>${a.name}${blueprintsOf.get(a.stackId) ?? ""}`;
    lines.push(`  ${id}("${label(withScps(title, `${ACCOUNT_TARGET_PREFIX}${a.stackId}`))}")`);
    lines.push(`  ${nodeId("ou", a.ou)} --> ${id}`);
    if (a.status !== "active") inactive.push(id);
  }
  for (const ou of [...collapsed].sort()) {
    const list = teamsPerOu.get(ou)!;
    const id = nodeId("teams", ou);
    const byStatus = (["active", "suspended", "closed"] as const)
      .map((st) => [st, list.filter((a) => a.status === st).length] as const)
      .filter(([, n]) => n > 0)
      .map(([st, n]) => `${n} ${st}`)
      .join(", ");
    const teams = new Set(list.map((a) => teamOf.get(a.stackId)));
    lines.push(
      `  ${id}("${label(`${list.length} team accounts (${byStatus})<br/>of ${teams.size} teams; npm run validate lists them`)}")`,
    );
    lines.push(`  ${nodeId("ou", ou)} --> ${id}`);
    if (list.every((a) => a.status !== "active")) inactive.push(id);
  }
  lines.push("  classDef ou fill:#eef3fb,stroke:#3b6db3");
  lines.push("  classDef inactive fill:#f4f4f4,stroke:#999,stroke-dasharray: 4 2");
  lines.push(`  class ${lz.organizationalUnits.map((o) => nodeId("ou", o.path)).join(",")} ou`);
  if (inactive.length > 0) lines.push(`  class ${inactive.join(",")} inactive`);
  return `${lines.join("\n")}\n`;
}

/** The page with the diagram block replaced; undefined when it has no markers. */
export function embedInDoc(page: string, diagram: string): string | undefined {
  return embedBlock(page, BLOCK, `\`\`\`mermaid\n${diagram}\`\`\``, COMMAND);
}

export const USAGE = `Usage: npm run diagram [-- --check]
  Writes the Mermaid picture of OUs, accounts and SCPs to ${DIAGRAM_FILE} and into ${DIAGRAM_DOC}.
  --check   write nothing; exit 3 when either file is out of date`;

export function main(argv: string[]): number {
  try {
    const { values } = parseFlags(
      {
        args: argv,
        options: { check: { type: "boolean", default: false } },
      },
      USAGE,
    );
    const diagram = renderMermaid(loadLandingZone());
    const page = existsSync(DIAGRAM_DOC) ? readFileSync(DIAGRAM_DOC, "utf8") : undefined;
    const newPage = page === undefined ? undefined : embedInDoc(page, diagram);
    const current = existsSync(DIAGRAM_FILE) ? readFileSync(DIAGRAM_FILE, "utf8") : undefined;
    if (values.check) {
      const stale = [
        ...(current !== diagram ? [DIAGRAM_FILE] : []),
        ...(newPage !== undefined && newPage !== page ? [DIAGRAM_DOC] : []),
      ];
      if (stale.length > 0) {
        throw new GateError(
          `${stale.join(" and ")} out of date with the configuration; run npm run diagram`,
        );
      }
      console.log(`${DIAGRAM_FILE} is up to date.`);
      return 0;
    }
    mkdirSync(dirname(DIAGRAM_FILE), { recursive: true });
    writeFileSync(DIAGRAM_FILE, diagram);
    console.log(`Wrote ${DIAGRAM_FILE}.`);
    if (newPage !== undefined && newPage !== page) {
      writeFileSync(DIAGRAM_DOC, newPage);
      console.log(`Updated the diagram in ${DIAGRAM_DOC}.`);
    }
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

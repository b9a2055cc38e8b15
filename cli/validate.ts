// `npm run validate [-- --base <git ref>]`: checks the whole configuration (schema, cross-file rules,
// SCPs, capacity, the lifecycle against a base revision) and prints a one-screen summary of the
// organization. Writes nothing.
import { resolve } from "node:path";
import { exitCodeOf, parseFlags, UsageError } from "./args";
import { defaultBase, resolveCommit } from "../config/git-base";
import { defaultAccountsDir, loadLandingZone } from "../config/load";
import {
  allAccounts,
  allTeamEnvironments,
  type LandingZone,
  type TeamEnvironment,
} from "../config/model";

/** Past this many teams (or waivers) the summary shows totals, so it stays one screen. */
export const SUMMARY_LIST_MAX = 20;
import { planStacks } from "../stacks";
import { summarizeAccess } from "./access-summary";

export function summarize(lz: LandingZone): string {
  const { org } = lz;
  const accounts = allAccounts(lz);
  const lines: string[] = [];
  lines.push(`Organization ${org.name} (management account ${org.managementAccountId})`);
  lines.push(`  home region ${org.homeRegion}; allowed: ${org.allowedRegions.join(", ")}`);
  const backend =
    org.stateBackend.type === "local"
      ? `local files under ${org.stateBackend.directory}/`
      : `s3://${org.stateBackend.bucket}/${org.stateBackend.keyPrefix}/<stack>/terraform.tfstate`;
  lines.push(`  state: ${backend}`);
  lines.push(`  platform role: ${org.platformRoleName}`);
  lines.push("");
  lines.push("OUs and accounts:");
  for (const ou of lz.organizationalUnits) {
    const depth = ou.path.split("/").length;
    const inOu = accounts.filter((a) => a.ou === ou.path);
    const scps = lz.policies.filter((p) => p.targets.includes(ou.path)).map((p) => p.name);
    lines.push(
      `${"  ".repeat(depth)}${ou.name}: ${inOu.length} account(s)${scps.length ? `; SCPs: ${scps.join(", ")}` : ""}`,
    );
  }
  const rootScps = lz.policies.filter((p) => p.targets.includes("Root")).map((p) => p.name);
  lines.push(`  Root SCPs: ${rootScps.join(", ") || "none"}`);
  lines.push("");
  const envLine = (e: TeamEnvironment) => {
    const flag = e.account.status === "active" ? "" : ` [${e.account.status}]`;
    return `${e.env} ${e.traffic.sync.requestsPerSecond} rps, ${e.derived.requiredConcurrency}/${e.derived.reservableConcurrency} concurrency${flag}`;
  };
  if (lz.teams.length <= SUMMARY_LIST_MAX) {
    lines.push(`Teams (${lz.teams.length}):`);
    for (const team of lz.teams) {
      lines.push(
        `  ${team.name} (${team.costCenter}): ${team.environments.map(envLine).join("; ")}`,
      );
    }
  } else {
    // One screen at any size: totals, then the environments closest to their Lambda quota.
    const envs = allTeamEnvironments(lz);
    const count = (status: string) => envs.filter((e) => e.account.status === status).length;
    lines.push(
      `Teams (${lz.teams.length}): ${envs.length} environments, ${count("active")} active, ${count("suspended")} suspended, ${count("closed")} closed`,
    );
    const tightest = envs
      .filter((e) => e.account.status === "active")
      .map((e) => ({ e, share: e.derived.requiredConcurrency / e.derived.reservableConcurrency }))
      .sort((a, b) => b.share - a.share || a.e.account.stackId.localeCompare(b.e.account.stackId))
      .slice(0, SUMMARY_LIST_MAX / 2);
    lines.push(`  closest to their Lambda quota:`);
    for (const { e } of tightest) lines.push(`    ${e.team.name} ${envLine(e)}`);
    lines.push(`  (npm run capacity lists every environment)`);
  }
  lines.push("");
  lines.push(...summarizeAccess(lz, SUMMARY_LIST_MAX));
  lines.push("");
  const waivers = org.guardrails.waivers;
  lines.push(`Guardrail waivers (${waivers.length}):`);
  if (waivers.length <= SUMMARY_LIST_MAX) {
    for (const w of waivers) lines.push(`  ${w.rule} on ${w.resource}: ${w.reason}`);
  } else {
    const perRule = new Map<string, number>();
    for (const w of waivers) perRule.set(w.rule, (perRule.get(w.rule) ?? 0) + 1);
    lines.push(
      `  ${[...perRule].map(([rule, n]) => `${rule} ${n}`).join(", ")} (each with its reason in ${lz.organizationFile})`,
    );
  }
  lines.push("");
  const stacks = planStacks(lz);
  const teamStacks = stacks.filter((s) => s.id.startsWith("team-")).length;
  const inactive = allTeamEnvironments(lz).length - teamStacks;
  const access = lz.access ? `, access, ${lz.access.teams.length} team access` : "";
  lines.push(
    `${stacks.length} stacks: organization, organization-trail, ${Object.keys(lz.coreAccounts).length} core${access}, ${teamStacks} team environments` +
      (inactive > 0 ? ` (${inactive} suspended or closed account(s) have no stack)` : ""),
  );
  return lines.join("\n");
}

const USAGE = "Usage: npm run validate [-- --base <git ref>]";

/**
 * The revision the lifecycle guard holds the ledger and team files against: --base, else
 * $LZ_BASE_REF, else in CI the merge base with main. Returns the commit (or "") and a line saying
 * what the guard compared with.
 */
function chooseBase(flag: string | undefined): { base: string; note: string } {
  const accountsDir = resolve(defaultAccountsDir());
  const given = flag ?? process.env.LZ_BASE_REF;
  const source = flag !== undefined ? "--base" : "LZ_BASE_REF";
  if (given !== undefined && given !== "") {
    const r = resolveCommit(accountsDir, given);
    if (!r.commit) throw new UsageError(`${source}: cannot compare with ${given}: ${r.reason}`);
    return {
      base: r.commit,
      note: `Lifecycle guard: compared with ${given} (${r.commit.slice(0, 12)}).`,
    };
  }
  if (process.env.CI === "true") {
    const d = defaultBase(accountsDir);
    if (d) {
      return {
        base: d.commit,
        note: `Lifecycle guard: compared with ${d.label} (${d.commit.slice(0, 12)}).`,
      };
    }
    return {
      base: "",
      note: "Lifecycle guard: ran without a base (no git history, or neither origin/main nor main); only the ledger's agreement with the team files was checked.",
    };
  }
  return {
    base: "",
    note: "Lifecycle guard: ran without a base; pass --base <git ref> to hold the ledger against a revision (CI uses the merge base with main).",
  };
}

export function main(argv: string[]): number {
  try {
    const { values } = parseFlags({ args: argv, options: { base: { type: "string" } } }, USAGE);
    const { base, note } = chooseBase(values.base);
    const lz = loadLandingZone({ base });
    console.log(summarize(lz));
    console.log(`\n${note}`);
    console.log("\nConfiguration is valid.");
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

// `npm run validate [-- --base <git ref>] [--graph] [--format text|json]`: checks the whole configuration
// (schema, cross-file rules, SCPs, capacity, the lifecycle against a base revision) and prints a
// one-screen summary of the organization, or with --graph the deploy order (cli/graph.ts); --format json
// prints either as one JSON document for machines. Writes nothing.
import { resolve } from "node:path";
import { EXIT_OK, exitCodeOf, oneOf, parseFlags, UsageError } from "./args";
import { graphJson, renderGraph } from "./graph";
import { ConfigError, formatProblem } from "../config/errors";
import { defaultBase, givenBase, resolveCommit } from "../config/git-base";
import { defaultAccountsDir, loadLandingZone } from "../config/load";
import {
  allAccounts,
  allTeamEnvironments,
  ROOT_TARGET,
  type LandingZone,
  type TeamEnvironment,
} from "../config/model";

/** Past this many teams (or waivers) the summary shows totals, so it stays one screen. */
export const SUMMARY_LIST_MAX = 20;
import { planStacks } from "../stacks";
import { DEFAULT_BLUEPRINTS } from "../blueprints";
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
  const accountScps = lz.policies.flatMap((p) =>
    p.targets.filter((t) => t.startsWith("account:")).map((t) => `${p.name} (${t.slice(8)})`),
  );
  if (accountScps.length > 0) lines.push(`  Account SCPs: ${accountScps.join(", ")}`);
  const rcps = lz.resourceControlPolicies.map((p) => `${p.name} (${p.targets.join(", ")})`);
  lines.push(`  RCPs: ${rcps.join(", ") || "none"}`);
  lines.push("");
  // An account holding the default blueprints reads as it always has; any other lists its own.
  const blueprintsNote = (e: TeamEnvironment) => {
    const names = e.blueprints.map((u) => u.name);
    return names.join() === DEFAULT_BLUEPRINTS.join() ? "" : ` [${names.join(" + ")}]`;
  };
  const envLine = (e: TeamEnvironment) => {
    const flag = e.account.status === "active" ? "" : ` [${e.account.status}]`;
    return `${e.env}${blueprintsNote(e)} ${e.capacity.apiRequestsPerSecond} rps, ${e.capacity.reservedConcurrency}/${e.capacity.reservableConcurrency} concurrency${flag}`;
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
      .map((e) => ({ e, share: e.capacity.reservedConcurrency / e.capacity.reservableConcurrency }))
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

export const USAGE = `Usage: npm run validate [-- --base <git ref>] [--graph] [--format text|json]
  Validates accounts/ (or $LZ_ACCOUNTS_DIR) and prints a one-screen summary; writes nothing.
  --base <git ref>   hold the account lifecycle against this revision (default in CI: the merge base with main)
  --graph            print the deploy order instead: phases of stacks that can run together
  --format json      one JSON document on stdout, for machines (docs/operations.md, "validate --format json")`;

/** What `validate --format json` prints; the shape is a contract (docs/operations.md). */
export const VALIDATE_FORMAT_VERSION = 1;

export type ValidateFormat = "text" | "json";

/** The machine-readable form of a valid organization: every list whole, in the model's order. */
export function validationJson(lz: LandingZone, guard: { base: string; note: string }): object {
  const { org } = lz;
  const accounts = allAccounts(lz);
  const scpsOn = (target: string) =>
    lz.policies.filter((p) => p.targets.includes(target)).map((p) => p.name);
  return {
    formatVersion: VALIDATE_FORMAT_VERSION,
    valid: true,
    organization: {
      name: org.name,
      managementAccountId: org.managementAccountId,
      homeRegion: org.homeRegion,
      allowedRegions: org.allowedRegions,
      platformRoleName: org.platformRoleName,
      stateBackend: org.stateBackend,
      rootScps: scpsOn(ROOT_TARGET),
    },
    organizationalUnits: lz.organizationalUnits.map((ou) => ({
      path: ou.path,
      accounts: accounts.filter((a) => a.ou === ou.path).length,
      scps: scpsOn(ou.path),
    })),
    accounts: accounts.map((a) => ({
      stack: a.stackId,
      kind: a.kind,
      name: a.name,
      email: a.email,
      ou: a.ou,
      accountId: a.accountId ?? null,
      status: a.status,
    })),
    teams: lz.teams.map((t) => ({
      name: t.name,
      costCenter: t.costCenter,
      environments: t.environments.map((e) => ({
        env: e.env,
        stack: e.account.stackId,
        status: e.account.status,
        production: e.production,
        region: e.region,
        blueprints: e.blueprints.map((u) => u.name),
        requestsPerSecond: e.capacity.apiRequestsPerSecond,
        requiredConcurrency: e.capacity.reservedConcurrency,
        reservableConcurrency: e.capacity.reservableConcurrency,
      })),
    })),
    waivers: org.guardrails.waivers.map((w) => ({
      rule: w.rule,
      resource: w.resource,
      reason: w.reason,
    })),
    stacks: planStacks(lz).map((p) => ({ id: p.id, needs: p.needs.map((n) => n.stack) })),
    lifecycleGuard: { base: guard.base || null, note: guard.note },
    problems: [],
  };
}

/** The machine-readable form of an invalid configuration: every problem, as printed and in parts. */
export function problemsJson(e: ConfigError): object {
  return {
    formatVersion: VALIDATE_FORMAT_VERSION,
    valid: false,
    problems: e.problems.map((p) => ({
      file: p.file,
      path: p.path,
      message: p.message,
      line: formatProblem(p),
    })),
  };
}

export const NO_BASE_NOTE =
  "Lifecycle guard: ran without a base; pass --base <git ref> to hold the ledger against a revision (CI uses the merge base with main).";

/**
 * The revision the lifecycle guard holds the ledger and team files against: --base, else
 * $LZ_BASE_REF, else in CI the merge base with main. Returns the commit (or "") and a line saying
 * what the guard compared with.
 */
function chooseBase(flag: string | undefined): { base: string; note: string } {
  const accountsDir = resolve(defaultAccountsDir());
  const given = givenBase(flag ?? process.env.LZ_BASE_REF);
  const source = flag !== undefined ? "--base" : "LZ_BASE_REF";
  if (given !== undefined) {
    const r = resolveCommit(accountsDir, given);
    if (!r.commit) throw new UsageError(`${source}: cannot compare with ${given}: ${r.reason}`);
    return {
      base: r.commit,
      note: `Lifecycle guard: compared with ${given} (${r.commit.slice(0, 12)}).`,
    };
  }
  if (process.env.CI === "true") {
    const d = defaultBase(accountsDir);
    if (d && "none" in d) {
      return { base: "", note: `Lifecycle guard: ran without a base: ${d.none}.` };
    }
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
  return { base: "", note: NO_BASE_NOTE };
}

export function main(argv: string[]): number {
  let format: ValidateFormat = "text";
  try {
    const { values } = parseFlags(
      {
        args: argv,
        options: {
          base: { type: "string" },
          graph: { type: "boolean" },
          format: { type: "string" },
        },
      },
      USAGE,
    );
    format = oneOf<ValidateFormat>("format", values.format, ["text", "json"], "text");
    const guard = chooseBase(values.base);
    const lz = loadLandingZone({ base: guard.base });
    if (values.graph) {
      const plans = planStacks(lz);
      console.log(format === "json" ? JSON.stringify(graphJson(plans)) : renderGraph(plans));
      return EXIT_OK;
    }
    if (format === "json") {
      process.stdout.write(`${JSON.stringify(validationJson(lz, guard), null, 2)}\n`);
      return EXIT_OK;
    }
    console.log(summarize(lz));
    console.log(`\n${guard.note}`);
    console.log("\nConfiguration is valid.");
    return EXIT_OK;
  } catch (e) {
    // A machine reading stdout gets the problems there too; stderr says the same for a person.
    if (format === "json" && e instanceof ConfigError) {
      process.stdout.write(`${JSON.stringify(problemsJson(e), null, 2)}\n`);
    }
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

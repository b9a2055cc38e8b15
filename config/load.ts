// Loads and validates the whole configuration: `accounts/organization.yaml`, every
// `accounts/teams/<team>.yaml` and the SCP files they name. Synth and every command start here.
// Nothing is written anywhere; all problems are collected and thrown together as one ConfigError.
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import type { z } from "zod";
import { ConfigError, ConfigProblem, fieldPath, valueAt } from "./errors";
import { readYamlFile } from "./read-yaml";
import { readPolicyFile } from "./policy-file";
import { own } from "./keys";
import { checkDerivedValues } from "./derived";
import { checkAgainstBase } from "./base-guard";
import { readBase } from "./git-base";
import {
  ledgerFile,
  organizationFile,
  teamFile,
  type OrganizationFile,
  type TeamFile,
} from "./schema";
import {
  CORE_STACK_IDS,
  teamStackId,
  type Account,
  type CoreAccount,
  type CoreAccountKey,
  type LandingZone,
  type OrganizationalUnit,
  type OrganizationalUnitTree,
  type ServiceControlPolicy,
  type Team,
  type TeamEnvironment,
} from "./model";
import { resolveAlarms, resolveBlueprint } from "./layers";
import { deriveNumbers } from "./capacity";
import { checkPolicyDocument, renderBuiltinPolicy, SCP_MAX_CHARS } from "./policies";
import { checkCapacity, checkBlueprintLimits, checkOrganizationAccounts } from "./checks";
import { checkPolicySafety } from "./scp-safety";
import { checkLifecycle, LEDGER_FILE } from "./ledger";

export const SUSPENDED_OU = "Suspended";
export const ROOT_TARGET = "Root";
/** AWS Organizations allows five levels of OUs under the root. */
export const MAX_OU_DEPTH = 5;

export interface LoadOptions {
  /** Folder holding organization.yaml and teams/; default `accounts` (or $LZ_ACCOUNTS_DIR). */
  accountsDir?: string;
  /** Paths in messages are relative to this; default the current directory. */
  cwd?: string;
  /**
   * A git revision to hold the ledger and team files against (config/base-guard.ts); default
   * $LZ_BASE_REF; "" for none.
   */
  base?: string;
}

export function defaultAccountsDir(): string {
  return process.env.LZ_ACCOUNTS_DIR ?? "accounts";
}

export function loadLandingZone(options: LoadOptions = {}): LandingZone {
  const cwd = options.cwd ?? process.cwd();
  const accountsDir = resolve(cwd, options.accountsDir ?? defaultAccountsDir());
  const display = (abs: string) => relative(cwd, abs).split(sep).join("/");
  const problems: ConfigProblem[] = [];

  const orgPath = join(accountsDir, "organization.yaml");
  const orgFile = display(orgPath);
  const org = parseWith(organizationFile, orgPath, orgFile, accountsDir, problems);

  const teamsDir = join(accountsDir, "teams");
  const teamFiles: { file: string; data: TeamFile }[] = [];
  for (const abs of teamFilePaths(teamsDir, display, problems)) {
    const data = parseWith(teamFile, abs, display(abs), accountsDir, problems);
    if (data) teamFiles.push({ file: display(abs), data });
  }

  if (!org) throw new ConfigError(byFile(problems));
  const lz = resolveLandingZone(org, orgFile, teamFiles, accountsDir, display, problems);
  checkDerivedValues(lz, problems);
  checkOrganizationAccounts(lz, orgFile, problems);
  checkLedger(accountsDir, display, lz, options.base ?? process.env.LZ_BASE_REF ?? "", problems);
  if (problems.length > 0) throw new ConfigError(byFile(problems));
  return lz;
}

/**
 * The team files under accounts/teams, every other entry refused by path: a subfolder, another
 * extension or an upper-case one would otherwise be skipped, and the team in it silently missing.
 * Entries are judged by name and type only; nothing is opened here (a FIFO would block a reader).
 */
function teamFilePaths(
  teamsDir: string,
  display: (abs: string) => string,
  problems: ConfigProblem[],
): string[] {
  if (!existsSync(teamsDir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(teamsDir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const abs = join(teamsDir, entry.name);
    const refuse = (message: string) => problems.push({ file: display(abs), path: "", message });
    // Git keeps an otherwise empty folder through this file; it is not configuration.
    if (entry.name === ".gitkeep" && entry.isFile()) continue;
    if (entry.isDirectory()) {
      refuse(
        "is a folder; team files live directly in accounts/teams as <team>.yaml, subfolders are not read",
      );
    } else if (entry.name.endsWith(".yml")) {
      refuse("team files end in .yaml, not .yml");
    } else if (!entry.name.endsWith(".yaml")) {
      refuse(
        "is not a team file; accounts/teams holds only <team>.yaml files (lowercase .yaml): rename or move it",
      );
    } else out.push(abs);
  }
  return out;
}

/** Problems grouped by file (stable within a file), so a reader fixes one file at a time. */
function byFile(problems: ConfigProblem[]): ConfigProblem[] {
  return problems
    .map((p, i) => ({ p, i }))
    .sort((a, b) => a.p.file.localeCompare(b.p.file) || a.i - b.i)
    .map(({ p }) => p);
}

/** accounts/ledger.yaml (an absent ledger records nothing yet); see config/ledger.ts. */
function checkLedger(
  accountsDir: string,
  display: (abs: string) => string,
  lz: LandingZone,
  baseRef: string,
  problems: ConfigProblem[],
): void {
  const abs = join(accountsDir, LEDGER_FILE);
  // lstat, not exists: a dangling symlink is a broken ledger, not an absent one.
  const present = lexists(abs);
  const ledger = present
    ? parseWith(ledgerFile, abs, display(abs), accountsDir, problems)
    : { teams: {} };
  if (!ledger) return;
  const teamsDir = join(accountsDir, "teams");
  const onDisk = existsSync(teamsDir)
    ? readdirSync(teamsDir)
        .filter((f) => f.endsWith(".yaml"))
        .map((f) => basename(f, ".yaml"))
    : [];
  const teamFileOf = (team: string) => display(join(teamsDir, `${team}.yaml`));
  checkLifecycle(ledger, display(abs), lz.teams, teamFileOf, new Set(onDisk), problems);
  if (baseRef === "") return;
  const base = readBase(accountsDir, baseRef);
  if (!base.ok) {
    problems.push({
      file: display(abs),
      path: "",
      message: `cannot hold the ledger against the base revision ${baseRef}: ${base.reason}`,
    });
    return;
  }
  checkAgainstBase(
    base.base,
    {
      ledgerFile: display(abs),
      ledger: present ? ledger.teams : undefined,
      teams: lz.teams,
      teamFileOf,
      teamsOnDisk: new Set(onDisk),
    },
    problems,
  );
}

function lexists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

function parseWith<S extends z.ZodType>(
  schema: S,
  absPath: string,
  file: string,
  root: string,
  problems: ConfigProblem[],
): z.output<S> | undefined {
  const read = readYamlFile(absPath, file, root);
  if (!read.ok) {
    problems.push(...read.problems);
    return undefined;
  }
  const parsed = schema.safeParse(read.data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          file,
          path: fieldPath([...issue.path, key]),
          message: "unknown field; check its spelling against the schema in schemas/",
        });
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      // A record key (team or environment name) broke its rule: say which rule, show the key.
      problems.push({
        file,
        path: fieldPath(issue.path),
        message: issue.issues.map((i) => i.message).join("; "),
        got: issue.path[issue.path.length - 1],
      });
      continue;
    }
    const got = valueAt(read.data, issue.path);
    const missing = got === undefined && issue.code === "invalid_type";
    problems.push({
      file,
      path: fieldPath(issue.path),
      message: missing ? `required field is missing (expected ${issue.expected})` : issue.message,
      got: missing ? undefined : got,
    });
  }
  return undefined;
}

function flattenOus(
  tree: OrganizationalUnitTree[],
  parent: string | undefined,
  out: OrganizationalUnit[],
  file: string,
  problems: ConfigProblem[],
  fieldPrefix: string,
): void {
  tree.forEach((ou, i) => {
    const path = parent ? `${parent}/${ou.name}` : ou.name;
    const at = `${fieldPrefix}[${i}]`;
    if (out.some((o) => o.path === path)) {
      problems.push({ file, path: `${at}.name`, message: "duplicate OU", got: path });
    }
    const depth = path.split("/").length;
    if (depth === MAX_OU_DEPTH + 1) {
      problems.push({
        file,
        path: `${at}.name`,
        message: `OUs nest at most ${MAX_OU_DEPTH} levels under the root (AWS Organizations); this OU would be level ${depth}`,
        got: path,
      });
    }
    out.push({ path, name: ou.name, parent });
    flattenOus(ou.children ?? [], path, out, file, problems, `${at}.children`);
  });
}

function resolveLandingZone(
  org: OrganizationFile,
  orgFile: string,
  teamFiles: { file: string; data: TeamFile }[],
  accountsDir: string,
  display: (abs: string) => string,
  problems: ConfigProblem[],
): LandingZone {
  const p = (file: string, path: string, message: string, got?: unknown) =>
    problems.push(got === undefined ? { file, path, message } : { file, path, message, got });

  // --- OUs --------------------------------------------------------------------------------
  const ous: OrganizationalUnit[] = [];
  flattenOus(org.organizationalUnits, undefined, ous, orgFile, problems, "organizationalUnits");
  const ouPaths = new Set(ous.map((o) => o.path));
  const knownOus = () => [...ouPaths].join(", ");
  const checkOu = (file: string, path: string, ou: string) => {
    if (!ouPaths.has(ou)) p(file, path, `unknown OU; known OUs: ${knownOus()}`, ou);
  };
  if (!ouPaths.has(SUSPENDED_OU)) {
    p(
      orgFile,
      "organizationalUnits",
      `a top-level ${SUSPENDED_OU} OU is required: suspended accounts move there`,
    );
  }

  // --- regions ----------------------------------------------------------------------------
  if (!org.allowedRegions.includes(org.homeRegion)) {
    p(
      orgFile,
      "homeRegion",
      `must be one of allowedRegions (${org.allowedRegions.join(", ")})`,
      org.homeRegion,
    );
  }
  for (const [env, def] of Object.entries(org.environments)) {
    checkOu(orgFile, `environments.${env}.ou`, def.ou);
  }

  // --- tags -------------------------------------------------------------------------------
  const filled = new Set(["team", "environment", "cost-center", "owner"]);
  for (const key of org.tags.mandatory) {
    if (!filled.has(key) && own(org.tags.defaults, key) === undefined) {
      p(
        orgFile,
        "tags.defaults",
        `mandatory tag ${key} needs a value here (only team, environment, cost-center and owner are filled in)`,
      );
    }
  }
  const baseTags: Record<string, string> = sortedRecord({
    team: "platform",
    environment: "core",
    "cost-center": "platform",
    owner: "platform",
    ...org.tags.defaults,
    "managed-by": org.tags.defaults["managed-by"] ?? "landing-zone",
  });

  // --- core accounts ----------------------------------------------------------------------
  const coreAccounts = {} as Record<CoreAccountKey, CoreAccount>;
  for (const key of Object.keys(CORE_STACK_IDS) as CoreAccountKey[]) {
    const def = org.coreAccounts[key];
    checkOu(orgFile, `coreAccounts.${key}.ou`, def.ou);
    coreAccounts[key] = {
      key,
      stackId: CORE_STACK_IDS[key],
      kind: "core",
      name: def.name,
      email: def.email,
      ou: def.ou,
      accountId: def.accountId,
      status: "active",
      source: { file: orgFile, path: `coreAccounts.${key}.email`, templated: false },
    };
  }

  // --- teams ------------------------------------------------------------------------------
  const teams: Team[] = [];
  const teamNames = new Map<string, string>();
  for (const { file, data } of teamFiles) {
    const expected = basename(file, ".yaml");
    if (data.name !== expected) {
      p(file, "name", `must match the file name (accounts/teams/${data.name}.yaml)`, data.name);
    }
    const seen = teamNames.get(data.name);
    if (seen) p(file, "name", `team name already used by ${seen}`, data.name);
    teamNames.set(data.name, file);

    const team: Team = {
      name: data.name,
      file,
      raw: data,
      owners: data.owners,
      costCenter: data.costCenter,
      environments: [],
    };
    for (const [envName, env] of Object.entries(data.environments).sort(([a], [b]) =>
      a.localeCompare(b),
    )) {
      const at = `environments.${envName}`;
      const def = own(org.environments, envName);
      if (!def) {
        p(
          file,
          at,
          `unknown environment; the organization defines: ${Object.keys(org.environments).join(", ")}`,
          envName,
        );
        continue;
      }
      const declaredOu = env.ou ?? def.ou;
      if (env.ou) checkOu(file, `${at}.ou`, env.ou);
      const region = env.region ?? org.homeRegion;
      // An inherited home region is reported once, on organization.yaml.
      if (env.region && !org.allowedRegions.includes(region)) {
        p(
          file,
          `${at}.region`,
          `must be one of the organization's allowedRegions (${org.allowedRegions.join(", ")})`,
          region,
        );
      }
      const email =
        env.email ??
        org.teamAccounts.emailTemplate.replaceAll("{team}", data.name).replaceAll("{env}", envName);
      const stackId = teamStackId(data.name, envName);
      const account: Account = {
        stackId,
        kind: "team",
        name: org.teamAccounts.nameTemplate
          .replaceAll("{team}", data.name)
          .replaceAll("{env}", envName),
        email,
        ou: env.status === "active" ? declaredOu : SUSPENDED_OU,
        accountId: env.accountId,
        status: env.status,
        source: { file, path: `${at}.email`, templated: env.email === undefined },
      };
      const blueprint = resolveBlueprint(data.blueprint, env.blueprint);
      const quotas = {
        ...org.quotas,
        ...(env.quotas?.lambdaConcurrentExecutions !== undefined && {
          lambdaConcurrentExecutions: env.quotas.lambdaConcurrentExecutions,
        }),
        ...(env.quotas?.apiGatewayRequestsPerSecond !== undefined && {
          apiGatewayRequestsPerSecond: env.quotas.apiGatewayRequestsPerSecond,
        }),
      };
      const derived = deriveNumbers(
        env.traffic,
        {
          headroom: blueprint.headroom,
          throttleHeadroom: blueprint.api.throttleHeadroom,
          burstMultiplier: blueprint.api.burstMultiplier,
          workerTimeoutSeconds: blueprint.functions.worker.timeoutSeconds,
          maximumBatchingWindowSeconds: blueprint.queue.maximumBatchingWindowSeconds,
        },
        quotas,
      );
      const teamEnv: TeamEnvironment = {
        team,
        env: envName,
        account,
        region,
        production: def.production,
        logRetentionDays: def.logRetentionDays,
        traffic: env.traffic,
        quotas,
        requestsLambdaQuota: env.quotas?.lambdaConcurrentExecutions !== undefined,
        blueprint,
        alarms: resolveAlarms(env.traffic, blueprint, org.alarms, data.alarms, env.alarms),
        derived,
        tags: sortedRecord({
          ...baseTags,
          team: data.name,
          environment: envName,
          "cost-center": data.costCenter,
          owner: data.owners[0].email,
        }),
      };
      checkBlueprintLimits(teamEnv, file, at, problems);
      checkCapacity(teamEnv, file, at, problems);
      team.environments.push(teamEnv);
    }
    teams.push(team);
  }
  teams.sort((a, b) => a.name.localeCompare(b.name));

  // --- uniqueness across files ------------------------------------------------------------
  const accounts: Account[] = [
    ...Object.values(coreAccounts),
    ...teams.flatMap((t) => t.environments.map((e) => e.account)),
  ];
  const byStack = new Map<string, Account>();
  const byEmail = new Map<string, Account>();
  for (const a of accounts) {
    const other = byStack.get(a.stackId);
    if (other) {
      const at = a.source.path.replace(/\.email$/, "");
      p(
        a.source.file,
        at,
        `stack id ${a.stackId} is already produced by ${other.source.file}`,
        a.stackId,
      );
      continue; // the same root cause would also collide on the templated email
    }
    byStack.set(a.stackId, a);
    const key = a.email.toLowerCase();
    const dup = byEmail.get(key);
    if (dup) {
      const what = a.source.templated ? "the email made by teamAccounts.emailTemplate" : "email";
      p(
        a.source.file,
        a.source.path,
        `${what} is already used by ${dup.source.file}: ${dup.source.path} (emails are compared case-insensitively)`,
        a.email,
      );
    } else byEmail.set(key, a);
  }

  // --- service control policies -----------------------------------------------------------
  const policies: ServiceControlPolicy[] = [];
  const perTarget = new Map<string, string[]>();
  const policyNames = new Set<string>();
  org.serviceControlPolicies.policies.forEach((pol, i) => {
    const at = `serviceControlPolicies.policies[${i}]`;
    if (policyNames.has(pol.name)) p(orgFile, `${at}.name`, "duplicate policy name", pol.name);
    policyNames.add(pol.name);
    pol.targets.forEach((t, j) => {
      if (t !== ROOT_TARGET) checkOu(orgFile, `${at}.targets[${j}]`, t);
      perTarget.set(t, [...(perTarget.get(t) ?? []), pol.name]);
    });
    let document: unknown;
    if (pol.builtin) {
      document = renderBuiltinPolicy(pol.builtin, org);
    } else if (pol.file) {
      const abs = resolve(accountsDir, pol.file);
      if (!abs.startsWith(accountsDir + sep)) {
        p(orgFile, `${at}.file`, "must stay inside the accounts folder", pol.file);
        return;
      }
      const read = readPolicyFile(abs, accountsDir);
      if (!read.ok) {
        for (const message of read.messages) p(display(abs), "", message);
        return;
      }
      document = read.document;
    }
    const where = pol.file
      ? { file: display(resolve(accountsDir, pol.file)), path: "" }
      : { file: orgFile, path: at };
    const grammar = checkPolicyDocument(document);
    for (const g of grammar)
      p(where.file, [where.path, g.path].filter(Boolean).join("."), g.message, g.got);
    if (grammar.length > 0) return;
    const safety = checkPolicySafety(document as ServiceControlPolicy["document"], {
      platformRoleName: org.platformRoleName,
      suspendedOnly: pol.targets.every((t) => t === SUSPENDED_OU),
    });
    for (const s of safety)
      p(where.file, [where.path, s.path].filter(Boolean).join("."), s.message);
    const content = JSON.stringify(document);
    if (content.length > SCP_MAX_CHARS) {
      p(
        where.file,
        where.path,
        `policy is ${content.length} characters minified; AWS allows ${SCP_MAX_CHARS}`,
      );
    }
    policies.push({
      name: pol.name,
      description: pol.description,
      document: document as ServiceControlPolicy["document"],
      content,
      targets: pol.targets,
    });
  });
  for (const [target, names] of [...perTarget.entries()].sort()) {
    const total = names.length + 1;
    if (total > org.serviceControlPolicies.maxPerTarget) {
      p(
        orgFile,
        "serviceControlPolicies.policies",
        `${target} would have ${total} SCPs attached (${names.join(", ")} and FullAWSAccess); the limit is ${org.serviceControlPolicies.maxPerTarget}. Merge policies or attach some to a parent OU`,
      );
    }
  }

  return {
    organizationFile: orgFile,
    org,
    organizationalUnits: ous,
    coreAccounts,
    teams,
    policies,
    baseTags,
    trailBucketName:
      org.cloudTrail.bucketName ?? `${org.name}-cloudtrail-${org.managementAccountId}`,
  };
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}

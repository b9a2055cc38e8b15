// Values the loader derives or assembles are held to the same rules as values a user writes: AWS
// checks the email a template makes and the name of an account exactly as if someone had typed them,
// and refuses them halfway through an apply. Everything here runs on the resolved landing zone.
import { existsSync, realpathSync, statSync } from "node:fs";
import { dirname, isAbsolute, join, resolve, sep } from "node:path";
import type { ConfigProblem } from "./errors";
import {
  CORE_STACK_IDS,
  MANAGEMENT_STACK_IDS,
  allAccounts,
  type Account,
  type LandingZone,
} from "./model";
import { AWS_REGIONS } from "./regions";
import { accountEmail } from "./schema";

/** AWS Organizations: an account root email is at most 64 characters. */
const EMAIL_MAX = 64;
/** AWS Organizations: an account name is 1 to 50 printable ASCII characters. */
export const ACCOUNT_NAME_MAX = 50;
const ACCOUNT_NAME = /^[\x20-\x7E]+$/;

/** The stack synth names `organization` (stacks/index.ts); team stacks exist for active accounts. */

export function checkDerivedValues(lz: LandingZone, problems: ConfigProblem[]): void {
  const p = (file: string, path: string, message: string, got?: unknown) =>
    problems.push(got === undefined ? { file, path, message } : { file, path, message, got });
  const orgFile = lz.organizationFile;
  const accounts = allAccounts(lz);

  // --- templated emails and every account name ------------------------------------------------
  for (const a of accounts) {
    const envAt = a.source.path.replace(/\.email$/, "");
    if (a.source.templated) {
      const parsed = accountEmail.safeParse(a.email);
      if (a.email.length > EMAIL_MAX) {
        p(
          a.source.file,
          a.source.path,
          `the email made by teamAccounts.emailTemplate is ${a.email.length} characters; AWS allows ${EMAIL_MAX}: set ${a.source.path} or shorten the template`,
          a.email,
        );
      } else if (!parsed.success) {
        p(
          a.source.file,
          a.source.path,
          `the email made by teamAccounts.emailTemplate is not a valid AWS account email: ${parsed.error.issues[0].message}; set ${a.source.path} or change the template`,
          a.email,
        );
      }
    }
    if (a.kind === "team") {
      if (a.name.length === 0 || a.name.length > ACCOUNT_NAME_MAX) {
        p(
          a.source.file,
          envAt,
          `the account name made by teamAccounts.nameTemplate is ${a.name.length} characters; AWS allows 1 to ${ACCOUNT_NAME_MAX}: shorten the template in ${orgFile}`,
          a.name,
        );
      } else if (!ACCOUNT_NAME.test(a.name)) {
        p(
          a.source.file,
          envAt,
          `the account name made by teamAccounts.nameTemplate must be printable ASCII (AWS Organizations); change the template in ${orgFile}`,
          a.name,
        );
      }
    } else if (!ACCOUNT_NAME.test(a.name)) {
      p(a.source.file, `${envAt}.name`, "an AWS account name is printable ASCII", a.name);
    }
  }

  // --- account ids: unique, never the management account's -----------------------------------
  const byId = new Map<string, Account>();
  const idPath = (a: Account) => a.source.path.replace(/\.email$/, ".accountId");
  for (const a of accounts) {
    if (a.accountId === undefined) continue;
    if (a.accountId === lz.org.managementAccountId) {
      p(
        a.source.file,
        idPath(a),
        `is the management account's id (${orgFile}: managementAccountId); a member account has its own id`,
        a.accountId,
      );
      continue;
    }
    const other = byId.get(a.accountId);
    if (other) {
      p(
        a.source.file,
        idPath(a),
        `account id already used by ${other.source.file}: ${idPath(other)}; every account has its own id`,
        a.accountId,
      );
    } else byId.set(a.accountId, a);
  }

  // --- regions: known to AWS, listed once ----------------------------------------------------
  const known = new Set(AWS_REGIONS);
  const unknownRegion = "is not an AWS region this landing zone knows (config/regions.ts)";
  if (!known.has(lz.org.homeRegion)) p(orgFile, "homeRegion", unknownRegion, lz.org.homeRegion);
  const listed = new Set<string>();
  lz.org.allowedRegions.forEach((r, i) => {
    if (!known.has(r)) p(orgFile, `allowedRegions[${i}]`, unknownRegion, r);
    if (listed.has(r)) p(orgFile, `allowedRegions[${i}]`, "region listed twice", r);
    listed.add(r);
  });
  if (lz.org.stateBackend.type === "s3" && !known.has(lz.org.stateBackend.region)) {
    p(orgFile, "stateBackend.region", unknownRegion, lz.org.stateBackend.region);
  }
  for (const team of lz.teams) {
    for (const [env, def] of Object.entries(team.raw.environments)) {
      if (def.region !== undefined && !known.has(def.region)) {
        p(team.file, `environments.${env}.region`, unknownRegion, def.region);
      }
    }
  }

  // --- adoption map: every path is an OU of the tree, every id adopted once -------------------
  const ouPaths = new Set(lz.organizationalUnits.map((o) => o.path));
  const ouIds = lz.org.existingOrganization?.organizationalUnitIds ?? {};
  const idOwners = new Map<string, string>();
  for (const [path, id] of Object.entries(ouIds)) {
    const at = `existingOrganization.organizationalUnitIds.${path}`;
    if (!ouPaths.has(path)) {
      p(orgFile, at, `unknown OU; known OUs: ${[...ouPaths].join(", ")}`, path);
    }
    const owner = idOwners.get(id);
    if (owner) p(orgFile, at, `OU id already given to ${owner}`, id);
    idOwners.set(id, path);
  }

  // --- waivers name a stack synth produces, once per rule and resource -----------------------
  const stacks = new Set([
    ...MANAGEMENT_STACK_IDS,
    ...Object.values(CORE_STACK_IDS),
    ...lz.teams.flatMap((t) =>
      t.environments.filter((e) => e.account.status === "active").map((e) => e.account.stackId),
    ),
  ]);
  const inactive = new Set(
    lz.teams.flatMap((t) =>
      t.environments.filter((e) => e.account.status !== "active").map((e) => e.account.stackId),
    ),
  );
  const waived = new Set<string>();
  lz.org.guardrails.waivers.forEach((w, i) => {
    const at = `guardrails.waivers[${i}]`;
    const stack = w.resource.split("/")[0];
    if (!stacks.has(stack)) {
      p(
        orgFile,
        `${at}.resource`,
        inactive.has(stack)
          ? `names stack ${stack}, whose account is suspended or closed and has no stack; remove the waiver`
          : `names stack ${stack}, which this configuration does not have (stacks are ${[...MANAGEMENT_STACK_IDS, ...Object.values(CORE_STACK_IDS)].join(", ")} and team-<team>-<env> of active team accounts)`,
        w.resource,
      );
    }
    const key = `${w.rule} ${w.resource}`;
    if (waived.has(key)) p(orgFile, at, `waives ${w.rule} on ${w.resource} a second time`);
    waived.add(key);
  });

  // --- own code: inside the repository, present now, not only at synth ------------------------
  const root = repositoryRoot();
  const reported = new Set<string>();
  for (const team of lz.teams) {
    for (const e of team.environments) {
      for (const fn of ["api", "worker"] as const) {
        const code = e.blueprint.functions[fn].code;
        if (code.kind !== "path") continue;
        const inEnv = team.raw.environments[e.env]?.blueprint?.functions?.[fn]?.code !== undefined;
        const field = `${inEnv ? `environments.${e.env}.` : ""}blueprint.functions.${fn}.code`;
        if (reported.has(`${team.file} ${field}`)) continue;
        reported.add(`${team.file} ${field}`);
        const problem = codePathProblem(root, code.path);
        if (problem) p(team.file, field, `path ${JSON.stringify(code.path)} ${problem}`);
      }
    }
  }
}

/** Why a zip path cannot be used, or undefined when it is a file inside the repository. */
function codePathProblem(root: string, path: string): string | undefined {
  const outside = "is outside the repository; a zip path is relative to the repository root";
  if (isAbsolute(path)) return outside;
  const abs = resolve(root, path);
  if (!abs.startsWith(root + sep)) return outside;
  if (!existsSync(abs)) {
    return "does not exist (relative to the repository root); build the zip before synth";
  }
  const real = realpathSync(abs);
  if (!real.startsWith(realpathSync(root) + sep)) {
    return "is a symlink to a file outside the repository";
  }
  if (!statSync(real).isFile()) return "is not a regular file";
  return undefined;
}

/** The nearest folder above this file (or its build/ copy) with package.json, as synth finds it. */
function repositoryRoot(): string {
  for (let dir = __dirname; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) return process.cwd();
  }
}

// The organization's shape: its OU tree, the OUs everything names, its regions and its mandatory
// tags. Every check reports on organization.yaml, except the regions of team environments.
import { own } from "../keys";
import { AWS_REGIONS } from "../regions";
import { arnRegion } from "../schema/aws-names";
import {
  CORE_STACK_IDS,
  MAX_OU_DEPTH,
  SUSPENDED_OU,
  type CoreAccountKey,
  type OrganizationalUnitTree,
} from "../model";
import type { Context } from "./context";

/** Reports `ou` unless it is an OU of the tree. */
export function checkOuKnown(ctx: Context, file: string, path: string, ou: string): void {
  const known = new Set(ctx.lz.organizationalUnits.map((o) => o.path));
  if (!known.has(ou)) ctx.report(file, path, `unknown OU; known OUs: ${[...known].join(", ")}`, ou);
}

/** Each OU path once, at most MAX_OU_DEPTH levels deep. */
export function checkOuTree(ctx: Context): void {
  const file = ctx.lz.organizationFile;
  const seen = new Set<string>();
  const walk = (tree: OrganizationalUnitTree[], parent: string | undefined, prefix: string) =>
    tree.forEach((ou, i) => {
      const path = parent ? `${parent}/${ou.name}` : ou.name;
      const at = `${prefix}[${i}]`;
      if (seen.has(path)) ctx.report(file, `${at}.name`, "duplicate OU", path);
      seen.add(path);
      const depth = path.split("/").length;
      if (depth === MAX_OU_DEPTH + 1) {
        ctx.report(
          file,
          `${at}.name`,
          `OUs nest at most ${MAX_OU_DEPTH} levels under the root (AWS Organizations); this OU would be level ${depth}`,
          path,
        );
      }
      walk(ou.children ?? [], path, `${at}.children`);
    });
  walk(ctx.lz.org.organizationalUnits, undefined, "organizationalUnits");
}

export function checkSuspendedOu(ctx: Context): void {
  if (ctx.lz.organizationalUnits.some((o) => o.path === SUSPENDED_OU)) return;
  ctx.report(
    ctx.lz.organizationFile,
    "organizationalUnits",
    `a top-level ${SUSPENDED_OU} OU is required: suspended accounts move there`,
  );
}

export function checkHomeRegionAllowed({ lz, report }: Context): void {
  if (lz.org.allowedRegions.includes(lz.org.homeRegion)) return;
  report(
    lz.organizationFile,
    "homeRegion",
    `must be one of allowedRegions (${lz.org.allowedRegions.join(", ")})`,
    lz.org.homeRegion,
  );
}

export function checkEnvironmentOus(ctx: Context): void {
  for (const [env, def] of Object.entries(ctx.lz.org.environments)) {
    checkOuKnown(ctx, ctx.lz.organizationFile, `environments.${env}.ou`, def.ou);
  }
}

/** Mandatory tags the landing zone cannot fill in need a value in tags.defaults. */
export function checkMandatoryTags({ lz, report }: Context): void {
  const filled = new Set(["team", "environment", "cost-center", "owner"]);
  for (const key of lz.org.tags.mandatory) {
    if (!filled.has(key) && own(lz.org.tags.defaults, key) === undefined) {
      report(
        lz.organizationFile,
        "tags.defaults",
        `mandatory tag ${key} needs a value here (only team, environment, cost-center and owner are filled in)`,
      );
    }
  }
}

export function checkCoreAccountOus(ctx: Context): void {
  for (const key of Object.keys(CORE_STACK_IDS) as CoreAccountKey[]) {
    checkOuKnown(
      ctx,
      ctx.lz.organizationFile,
      `coreAccounts.${key}.ou`,
      ctx.lz.org.coreAccounts[key].ou,
    );
  }
}

/** Every region named anywhere is one AWS has (config/regions.ts), and each is allowed once. */
export function checkRegionsKnown({ lz, report }: Context): void {
  const orgFile = lz.organizationFile;
  const known = new Set(AWS_REGIONS);
  const unknownRegion = "is not an AWS region this landing zone knows (config/regions.ts)";
  if (!known.has(lz.org.homeRegion))
    report(orgFile, "homeRegion", unknownRegion, lz.org.homeRegion);
  const listed = new Set<string>();
  lz.org.allowedRegions.forEach((r, i) => {
    if (!known.has(r)) report(orgFile, `allowedRegions[${i}]`, unknownRegion, r);
    if (listed.has(r)) report(orgFile, `allowedRegions[${i}]`, "region listed twice", r);
    listed.add(r);
  });
  if (lz.org.stateBackend.type === "s3" && !known.has(lz.org.stateBackend.region)) {
    report(orgFile, "stateBackend.region", unknownRegion, lz.org.stateBackend.region);
  }
  for (const team of lz.teams) {
    for (const [env, def] of Object.entries(team.raw.environments)) {
      if (def.region !== undefined && !known.has(def.region)) {
        report(team.file, `environments.${env}.region`, unknownRegion, def.region);
      }
    }
  }
}

/** The adoption map names OUs of the tree, and adopts each existing OU id once. */
export function checkAdoptedOus({ lz, report }: Context): void {
  const ouPaths = new Set(lz.organizationalUnits.map((o) => o.path));
  const idOwners = new Map<string, string>();
  for (const [path, id] of Object.entries(
    lz.org.existingOrganization?.organizationalUnitIds ?? {},
  )) {
    const at = `existingOrganization.organizationalUnitIds.${path}`;
    if (!ouPaths.has(path)) {
      report(lz.organizationFile, at, `unknown OU; known OUs: ${[...ouPaths].join(", ")}`, path);
    }
    const owner = idOwners.get(id);
    if (owner) report(lz.organizationFile, at, `OU id already given to ${owner}`, id);
    idOwners.set(id, path);
  }
}

/** S3 encrypts the state bucket only with a key of the bucket's own region. */
export function checkStateKeyRegion({ lz, report }: Context): void {
  const backend = lz.org.stateBackend;
  if (backend.type !== "s3" || !backend.kmsKeyId?.startsWith("arn:")) return;
  const region = arnRegion(backend.kmsKeyId);
  if (region === backend.region) return;
  report(
    lz.organizationFile,
    "stateBackend.kmsKeyId",
    `is in ${region}; the state bucket is in ${backend.region}, and S3 encrypts a bucket only with a key of its own region`,
    backend.kmsKeyId,
  );
}

/**
 * The plan role is read-only and the platform role administers: one role cannot be both, or every
 * pull request's plan would run as administrator.
 */
export function checkPlanRoleDistinct({ lz, report }: Context): void {
  if (lz.org.planRoleName !== lz.org.platformRoleName) return;
  report(
    lz.organizationFile,
    "planRoleName",
    `must differ from platformRoleName: plans assume the read-only plan role, applies the platform role`,
    lz.org.planRoleName,
  );
}

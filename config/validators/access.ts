// IAM Identity Center: every permission set a group or rule names exists, every environment a rule
// names is declared, every role a team file names is one the rule table gives, inline policies were
// read and are grammatical identity policies within AWS's size, and no two groups the landing zone
// creates share a display name (the identity store refuses the second halfway through an apply).
import { own } from "../keys";
import { displayNameProblem } from "../schema/aws-names";
import type { Context } from "./context";

/** A permission set's inline policy becomes the inline policy of a role; IAM caps those. */
export const INLINE_POLICY_MAX_CHARS = 10_240;

export function checkAccess(ctx: Context): void {
  checkPermissionSets(ctx);
  checkPlatformGroups(ctx);
  checkAssignmentRules(ctx);
  checkTeamGroups(ctx);
  checkCreatedGroupNames(ctx);
  checkTemplatedGroupNames(ctx);
}

function checkPermissionSets({ input, lz, report }: Context): void {
  const access = lz.org.access;
  if (!access) return;
  for (const [name, set] of Object.entries(access.permissionSets)) {
    const at = `access.permissionSets.${name}`;
    const source = input.accessPolicySources.get(name);
    if (source && !source.ok) {
      for (const p of source.problems) report(p.file, p.path, p.message, p.got);
    } else if (source?.ok) {
      const size = JSON.stringify(source.document).length;
      if (size > INLINE_POLICY_MAX_CHARS)
        report(
          source.file,
          "",
          `policy is ${size} characters minified; the role a permission set becomes allows ${INLINE_POLICY_MAX_CHARS} of inline policy`,
        );
    }
    if (set.managedPolicies.length === 0 && set.inlinePolicy === undefined)
      report(lz.organizationFile, at, "grants nothing: give it managedPolicies or an inlinePolicy");
  }
}

function knownSet(ctx: Context, file: string, path: string, name: string): void {
  const sets = Object.keys(ctx.lz.org.access?.permissionSets ?? {});
  if (!sets.includes(name))
    ctx.report(
      file,
      path,
      `no such permission set; access.permissionSets defines: ${sets.join(", ") || "none"}`,
      name,
    );
}

function checkPlatformGroups(ctx: Context): void {
  for (const [key, group] of Object.entries(ctx.lz.org.access?.groups ?? {})) {
    group.permissionSets.forEach((name, i) =>
      knownSet(ctx, ctx.lz.organizationFile, `access.groups.${key}.permissionSets[${i}]`, name),
    );
  }
}

function checkAssignmentRules(ctx: Context): void {
  const { lz, report } = ctx;
  const envs = Object.keys(lz.org.environments);
  (lz.org.access?.assignments ?? []).forEach((rule, i) => {
    const at = `access.assignments[${i}]`;
    knownSet(ctx, lz.organizationFile, `${at}.permissionSet`, rule.permissionSet);
    if (!Array.isArray(rule.environments)) return;
    rule.environments.forEach((env, j) => {
      if (!own(lz.org.environments, env))
        report(
          lz.organizationFile,
          `${at}.environments[${j}]`,
          `no such environment; organization.yaml defines: ${envs.join(", ")} (or write production, nonproduction or all)`,
          env,
        );
    });
  });
}

function checkTeamGroups({ lz, report }: Context): void {
  const roles = [...new Set((lz.org.access?.assignments ?? []).map((r) => r.role))].sort();
  for (const team of lz.teams) {
    const named = team.raw.access?.groups;
    if (!named) continue;
    if (!lz.org.access) {
      report(
        team.file,
        "access",
        `${lz.organizationFile} has no access section, so no team groups are assigned; remove this or configure access there`,
      );
      continue;
    }
    for (const role of Object.keys(named)) {
      if (!roles.includes(role))
        report(
          team.file,
          `access.groups.${role}`,
          `no assignment rule gives this role anything; ${lz.organizationFile} access.assignments has roles: ${roles.join(", ") || "none"}`,
          role,
        );
    }
  }
}

/** Display names are unique in an identity store: two created groups with one name fail the apply. */
function checkCreatedGroupNames({ lz, report }: Context): void {
  const access = lz.access;
  if (!access) return;
  const seen = new Map<string, string>();
  const teamsByName = new Map(lz.teams.map((t) => [t.name, t]));
  const created = [
    ...access.platformGroups.map((g) => ({
      g,
      file: lz.organizationFile,
      path: `access.groups.${g.key}.create.displayName`,
    })),
    ...access.teams.flatMap((t) =>
      t.groups.map((g) => {
        const inTeamFile = own(teamsByName.get(t.team)?.raw.access?.groups, g.key);
        return {
          g,
          file: inTeamFile ? t.file : lz.organizationFile,
          path: inTeamFile
            ? `access.groups.${g.key}.create.displayName`
            : "access.teamGroups.displayName",
        };
      }),
    ),
  ];
  for (const { g, file, path } of created) {
    const name = g.ref.create?.displayName;
    if (name === undefined) continue;
    const first = seen.get(name);
    if (first)
      report(
        file,
        path,
        `creates a group with the display name of one already created by ${first}; the identity store holds each display name once`,
        name,
      );
    else seen.set(name, `${file}: ${path}`);
  }
}

/** Group names made by access.teamGroups.displayName are names the identity store accepts. */
function checkTemplatedGroupNames({ lz, report }: Context): void {
  const byName = new Map(lz.teams.map((t) => [t.name, t]));
  for (const team of lz.access?.teams ?? []) {
    const named = byName.get(team.team)?.raw.access?.groups;
    for (const g of team.groups) {
      if (own(named, g.key)) continue; // the team file's own name, checked by the schema
      const name = g.ref.create?.displayName ?? g.ref.displayName ?? "";
      const problem = displayNameProblem(name);
      if (problem)
        report(
          lz.organizationFile,
          "access.teamGroups.displayName",
          `makes the display name of team ${team.team}'s ${g.key} group ${name.length} characters long; ${problem}`,
          name,
        );
    }
  }
}

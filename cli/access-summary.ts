// The access part of `npm run validate`'s summary: who can reach which account with which permission
// set. One line per account; past SUMMARY_LIST_MAX teams one line per environment, with team groups
// written as the template names them, so it stays one screen at any size.
import { selects, type AccessAssignment } from "../config/access";
import { allTeamEnvironments, type LandingZone } from "../config/model";

const byGroup = (assignments: AccessAssignment[]): string => {
  const sets = new Map<string, string[]>();
  for (const a of assignments)
    sets.set(a.group.label, [...(sets.get(a.group.label) ?? []), a.permissionSet]);
  return (
    [...sets].map(([group, names]) => `${group}: ${names.join(" + ")}`).join("; ") || "no access"
  );
};

export function summarizeAccess(lz: LandingZone, listMax: number): string[] {
  const access = lz.access;
  if (!access) return ["Access: not managed (organization.yaml has no access section)"];
  const lines = [
    `Access (IAM Identity Center of the management account ${lz.org.managementAccountId}, which is never assigned; stacks access, access-<team>):`,
    `  permission sets: ${access.permissionSets.map((s) => `${s.name} (${s.sessionDuration})`).join(", ")}`,
  ];
  const width = Math.max(...allTeamEnvironments(lz).map((e) => e.account.stackId.length), 13);
  // The platform groups reach every core account alike: one line.
  const core = Object.values(lz.coreAccounts);
  lines.push(
    `  ${"core accounts".padEnd(width)}  ${byGroup(access.coreAssignments.filter((a) => a.account === core[0]))} (${core.map((a) => a.stackId).join(", ")})`,
  );
  if (lz.teams.length <= listMax) {
    for (const team of access.teams) {
      for (const e of lz.teams.find((t) => t.name === team.team)!.environments) {
        const mine = team.assignments.filter((a) => a.account === e.account);
        const status = e.account.status === "active" ? "" : `${e.account.status}: `;
        lines.push(`  ${e.account.stackId.padEnd(width)}  ${status}${byGroup(mine)}`);
      }
    }
    return lines;
  }
  // At scale: what each environment's accounts grant, team groups by their template.
  const org = lz.org.access!;
  const envs = allTeamEnvironments(lz);
  for (const [env, def] of Object.entries(lz.org.environments)) {
    const active = envs.filter((e) => e.env === env && e.account.status === "active").length;
    const grants = [
      ...access.platformGroups.map((g) => `${g.label}: ${g.permissionSets.join(" + ")}`),
      ...[...new Set(org.assignments.map((r) => r.role))].flatMap((role) => {
        const sets = org.assignments
          .filter((r) => r.role === role && selects(r.environments, env, def.production))
          .map((r) => r.permissionSet);
        const name = org.teamGroups.displayName.replaceAll("{role}", role);
        return sets.length > 0 ? [`${name}: ${sets.join(" + ")}`] : [];
      }),
    ];
    lines.push(`  ${env} accounts (${active} active): ${grants.join("; ")}`);
  }
  const inactive = envs.filter((e) => e.account.status !== "active").length;
  if (inactive > 0) lines.push(`  ${inactive} suspended or closed account(s): no access`);
  const own = lz.teams.filter((t) => Object.keys(t.raw.access?.groups ?? {}).length > 0);
  if (own.length > 0) {
    const names = own.map((t) => t.name);
    lines.push(
      `  ${own.length} team(s) name their own groups: ${names.length <= listMax ? names.join(", ") : `${names.slice(0, listMax).join(", ")}, ...`}`,
    );
  }
  return lines;
}

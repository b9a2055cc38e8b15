// IAM Identity Center resolved from organization.yaml `access:` and the team files: which group gets
// which permission set in which account. A pure function of what was read, like config/build.ts;
// config/validators/access.ts checks every reference, the stacks (stacks/access-stack.ts) read this.
import { own } from "./keys";
import type { Account, CoreAccount, Team } from "./model";
import type { ConfigInput } from "./read";
import type { AccessSettings, GroupReference } from "./schema/access";

/** Instance-wide: permission sets, the platform's groups and their assignments in core accounts. */
export const ACCESS_STACK_ID = "access";
/** One per team: its groups and every assignment in its accounts. */
export const teamAccessStackId = (team: string) => `${ACCESS_STACK_ID}-${team}`;

export interface ResolvedPermissionSet {
  name: string;
  description: string;
  sessionDuration: string;
  managedPolicies: string[];
  /** Minified JSON, exactly as sent to AWS; undefined when the set has none (or it was unreadable). */
  inlinePolicy?: string;
  permissionsBoundary?: AccessSettings["permissionSets"][string]["permissionsBoundary"];
}

export interface AccessGroup {
  /** The platform group's key, or the team role: construct ids and messages use it. */
  key: string;
  ref: GroupReference;
  /** The display name people know the group by, or its id when only the id is given. */
  label: string;
}

export interface AccessAssignment {
  group: AccessGroup;
  permissionSet: string;
  account: Account;
}

export interface TeamAccess {
  team: string;
  file: string;
  stackId: string;
  /** One per role the rule table gives this team, while it has an account that is not closed. */
  groups: AccessGroup[];
  /** In its active accounts only: a suspended or closed account has none. */
  assignments: AccessAssignment[];
}

export interface ResolvedAccess {
  permissionSets: ResolvedPermissionSet[];
  platformGroups: (AccessGroup & { permissionSets: string[] })[];
  /** The platform groups' assignments in the core accounts (never the management account). */
  coreAssignments: AccessAssignment[];
  teams: TeamAccess[];
}

type Selector = AccessSettings["assignments"][number]["environments"];

/** Whether a rule's `environments` selects an environment. */
export function selects(selector: Selector, env: string, production: boolean): boolean {
  if (selector === "all") return true;
  if (selector === "production") return production;
  if (selector === "nonproduction") return !production;
  return selector.includes(env);
}

export function groupLabel(ref: GroupReference): string {
  return ref.create?.displayName ?? ref.displayName ?? ref.id ?? "";
}

export function buildAccess(
  input: ConfigInput,
  teams: Team[],
  coreAccounts: Record<string, CoreAccount>,
): ResolvedAccess | undefined {
  const access = input.organization.data.access;
  if (!access) return undefined;
  const permissionSets = Object.entries(access.permissionSets)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([name, set]): ResolvedPermissionSet => {
      const source = input.accessPolicySources.get(name);
      return {
        name,
        description: set.description,
        sessionDuration: set.sessionDuration,
        managedPolicies: [...set.managedPolicies].sort(),
        inlinePolicy: source?.ok ? JSON.stringify(source.document) : undefined,
        permissionsBoundary: set.permissionsBoundary,
      };
    });
  const platformGroups = Object.entries(access.groups)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, g]) => {
      const { permissionSets: sets, ...ref } = g;
      return { key, ref, label: groupLabel(ref), permissionSets: [...sets].sort() };
    });
  const platformIn = (account: Account): AccessAssignment[] =>
    platformGroups.flatMap((group) =>
      group.permissionSets.map((permissionSet) => ({ group, permissionSet, account })),
    );
  return {
    permissionSets,
    platformGroups,
    coreAssignments: Object.values(coreAccounts).flatMap(platformIn),
    teams: teams.map((team) => buildTeamAccess(access, team, platformIn)),
  };
}

function buildTeamAccess(
  access: AccessSettings,
  team: Team,
  platformIn: (account: Account) => AccessAssignment[],
): TeamAccess {
  const named = team.raw.access?.groups ?? {};
  const open = team.environments.filter((e) => e.account.status !== "closed");
  const roles = [...new Set(access.assignments.map((r) => r.role))]
    .filter((role) =>
      access.assignments.some(
        (r) => r.role === role && open.some((e) => selects(r.environments, e.env, e.production)),
      ),
    )
    .sort();
  const groups = roles.map((role): AccessGroup => {
    const displayName = access.teamGroups.displayName
      .replaceAll("{team}", team.name)
      .replaceAll("{role}", role);
    const ref: GroupReference =
      own(named, role) ??
      (access.teamGroups.create
        ? { create: { displayName, description: `${role} of team ${team.name} (landing zone)` } }
        : { displayName });
    return { key: role, ref, label: groupLabel(ref) };
  });
  const assignments = team.environments
    .filter((e) => e.account.status === "active")
    .flatMap((e) => [
      ...platformIn(e.account),
      ...access.assignments
        .filter((r) => selects(r.environments, e.env, e.production))
        .flatMap((r) => {
          const group = groups.find((g) => g.key === r.role);
          return group ? [{ group, permissionSet: r.permissionSet, account: e.account }] : [];
        }),
    ]);
  return {
    team: team.name,
    file: team.file,
    stackId: teamAccessStackId(team.name),
    groups,
    assignments: dedupe(assignments),
  };
}

/** Two rules giving one role the same set in one account make one assignment. */
function dedupe(list: AccessAssignment[]): AccessAssignment[] {
  const seen = new Set<string>();
  return list.filter((a) => {
    const key = `${a.group.key}|${a.permissionSet}|${a.account.stackId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

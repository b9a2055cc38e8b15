// `access` and `access-<team>`: IAM Identity Center, managed from the management account with the
// `organization` stack's credentials (docs/access.md says why). `access` holds what every team shares
// (permission sets, the platform groups and their core-account assignments); each `access-<team>`
// holds one team's groups and every assignment in its accounts, so changing a team plans only its
// own stack. They meet only through plan-time lookups by name, never a cross-stack reference.
import { Construct } from "constructs";
import type { AccessAssignment, AccessGroup, ResolvedAccess, TeamAccess } from "../config/access";
import type { LandingZone } from "../config/model";
import type { GroupReference } from "../config/schema/access";
import {
  AccountAssignment,
  IdentityCenterInstance,
  IdentityGroup,
  PermissionSet,
  permissionSetArnLookup,
  type GroupSource,
} from "../modules/access";
import { distinctIds, topLevelId } from "../modules/construct-ids";
import { AccountStack } from "./account-stack";

export class AccessStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone, access: ResolvedAccess) {
    super(scope, id, { lz, region: lz.org.homeRegion, tags: lz.baseTags });
    const center = new IdentityCenterInstance(this, "identity-center", lz.org.homeRegion);
    const sets = new Map<string, PermissionSet>();
    for (const set of access.permissionSets) {
      const made = new PermissionSet(this, `permission-set-${set.name}`, {
        instanceArn: center.instanceArn,
        name: set.name,
        description: set.description,
        sessionDuration: set.sessionDuration,
        managedPolicyArns: set.managedPolicies,
        inlinePolicy: set.inlinePolicy,
        permissionsBoundary: set.permissionsBoundary,
      });
      sets.set(set.name, made);
    }
    const groupIds = new Map<AccessGroup, string>();
    for (const group of access.platformGroups) {
      groupIds.set(
        group,
        new IdentityGroup(this, `platform-group-${group.key}`, {
          identityStoreId: center.identityStoreId,
          group: groupSource(group.ref),
        }).groupId,
      );
    }
    assign(this, lz, access.coreAssignments, center, {
      permissionSetArn: (name) => sets.get(name)!.permissionSet.arn,
      provisioned: (name) => sets.get(name)!.provisioned,
      groupId: (g) => groupIds.get(g)!,
      prefix: () => "platform",
    });
  }
}

export class TeamAccessStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone, team: TeamAccess) {
    const model = lz.teams.find((t) => t.name === team.team)!;
    super(scope, id, {
      lz,
      region: lz.org.homeRegion,
      tags: {
        ...lz.baseTags,
        team: model.name,
        "cost-center": model.costCenter,
        owner: model.owners[0].email,
      },
    });
    const access = lz.access!;
    const center = new IdentityCenterInstance(this, "identity-center", lz.org.homeRegion);
    const groupIds = new Map<AccessGroup, string>();
    for (const group of team.groups) {
      groupIds.set(
        group,
        new IdentityGroup(this, `group-${group.key}`, {
          identityStoreId: center.identityStoreId,
          group: groupSource(group.ref),
        }).groupId,
      );
    }
    const platform = new Set<AccessGroup>(access.platformGroups);
    const arns = new Map<string, string>();
    assign(this, lz, team.assignments, center, {
      permissionSetArn: (name) => {
        if (!arns.has(name))
          arns.set(
            name,
            permissionSetArnLookup(
              this,
              `permission-set-${topLevelId(name)}`,
              center.instanceArn,
              name,
            ),
          );
        return arns.get(name)!;
      },
      groupId: (g) => {
        if (!groupIds.has(g)) {
          // A platform group the access stack created is found here by its display name.
          const ref = g.ref.create ? { displayName: g.ref.create.displayName } : groupSource(g.ref);
          groupIds.set(
            g,
            new IdentityGroup(this, `platform-group-${g.key}`, {
              identityStoreId: center.identityStoreId,
              group: ref,
            }).groupId,
          );
        }
        return groupIds.get(g)!;
      },
      prefix: (g) => (platform.has(g) ? "platform" : "team"),
    });
  }
}

function assign(
  stack: AccountStack,
  lz: LandingZone,
  assignments: AccessAssignment[],
  center: IdentityCenterInstance,
  by: {
    permissionSetArn: (name: string) => string;
    /** In `access`, the set's attachments; a team stack reads sets `access` provisioned. */
    provisioned?: (name: string) => PermissionSet["provisioned"];
    groupId: (g: AccessGroup) => string;
    prefix: (g: AccessGroup) => string;
  },
): void {
  // Role dev with set ops-Admin and role dev-ops with set Admin read alike; `~` is in no name.
  const ids = distinctIds(
    assignments,
    (a) => `${by.prefix(a.group)}-${a.group.key}-${a.permissionSet}-${a.account.stackId}`,
    (a) => `${by.prefix(a.group)}~${a.group.key}~${a.permissionSet}~${a.account.stackId}`,
  );
  for (const a of assignments) {
    new AccountAssignment(stack, ids.get(a)!, {
      instanceArn: center.instanceArn,
      permissionSetArn: by.permissionSetArn(a.permissionSet),
      groupId: by.groupId(a.group),
      accountId: stack.accountIdOf(a.account),
      managementAccountId: lz.org.managementAccountId,
      dependsOn: by.provisioned?.(a.permissionSet),
    });
  }
}

/** The schema's reference (exactly one of create, displayName, id; validated) as the module's union. */
function groupSource(ref: GroupReference): GroupSource {
  if (ref.create) return { create: ref.create };
  if (ref.id !== undefined) return { id: ref.id };
  return { displayName: ref.displayName! };
}

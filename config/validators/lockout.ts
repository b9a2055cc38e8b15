// Lock-out safety from where accounts really are. A policy that may deny the platform role is allowed
// only on the Suspended OU (scp-safety.ts), but an OU's name says nothing about what sits in it: an
// active account placed in Suspended, in an OU below it, or there through its environment's default
// OU would be locked out of the landing zone on the next apply. So, for every account, every policy
// attached on its path from the root (Root, each parent OU, its own OU) is evaluated, and one that may
// deny the platform role is allowed only above accounts the ledger records as suspended or closed.
import { policyDocument } from "../build";
import {
  allTeamEnvironments,
  inSuspendedOu,
  ROOT_TARGET,
  type Account,
  type TeamEnvironment,
} from "../model";
import type { Context } from "./context";
import { lockoutStatements } from "./scp-safety";

/**
 * A policy of the organization as the placement check sees it: its kind and name for messages, where
 * it attaches, and which of its statements may deny the platform role. SCPs come from
 * serviceControlPolicies; another policy type that can lock the platform role out (an RCP) is
 * checked the same way by passing it here.
 */
export interface AttachedPolicy {
  kind: string;
  name: string;
  targets: string[];
  lockouts: string[];
}

/** Root, then every OU from the top down to `ou` itself: where a policy applies to an account in `ou`. */
export function pathFromRoot(ou: string): string[] {
  const parts = ou.split("/");
  return [ROOT_TARGET, ...parts.map((_, i) => parts.slice(0, i + 1).join("/"))];
}

/** The organization's SCPs whose documents were read, as the placement check sees them. */
export function serviceControlPolicies({ lz, input }: Context): AttachedPolicy[] {
  return lz.org.serviceControlPolicies.policies.flatMap((pol, i) => {
    const document = policyDocument(lz.org, i, input.policySources[i]);
    if (!document) return [];
    return [
      {
        kind: "SCP",
        name: pol.name,
        targets: pol.targets,
        lockouts: lockoutStatements(document, lz.org.platformRoleName),
      },
    ];
  });
}

/**
 * Only the policies scp-safety.ts lets deny the platform role (those attached to the Suspended OU or
 * below it) need the placement check; any other such policy is refused on its own statements.
 */
export function checkLockoutPlacement(ctx: Context): void {
  checkPlacement(
    ctx,
    serviceControlPolicies(ctx).filter((p) => p.targets.every(inSuspendedOu)),
  );
}

/** Reports every account the landing zone manages that one of `policies` would lock it out of. */
export function checkPlacement(ctx: Context, policies: AttachedPolicy[]): void {
  const locking = policies.filter((p) => p.lockouts.length > 0);
  if (locking.length === 0) return;
  const accounts: { account: Account; env?: TeamEnvironment }[] = [
    ...Object.values(ctx.lz.coreAccounts).map((account) => ({ account })),
    ...allTeamEnvironments(ctx.lz).map((env) => ({ account: env.account, env })),
  ];
  for (const { account, env } of accounts) {
    // Exempt: a team account whose file says suspended or closed. checkDeclaredStatuses (lifecycle.ts)
    // refuses any status that is not the ledger's last entry, so only an account the ledger records
    // as suspended or closed passes both checks.
    if (env && account.status !== "active") continue;
    const path = pathFromRoot(account.ou);
    for (const policy of locking) {
      const target = policy.targets.find((t) => path.includes(t));
      if (target !== undefined) reportLockout(ctx, account, env, policy, target);
    }
  }
}

function reportLockout(
  { lz, input, report }: Context,
  account: Account,
  e: TeamEnvironment | undefined,
  policy: AttachedPolicy,
  target: string,
): void {
  const ledger = input.ledger?.file ?? "the ledger";
  const where = `where ${policy.kind} ${policy.name} (attached to ${target}) denies the platform role ${lz.org.platformRoleName} (${policy.lockouts.join(", ")}) and the landing zone would lose access to it; only accounts ${ledger} records as suspended or closed may sit under a policy that denies the platform role`;
  const file = account.source.file;
  if (!e) {
    const at = account.source.path.replace(/\.email$/, ".ou");
    report(
      file,
      at,
      `the active account ${account.stackId} would sit in ${account.ou}, ${where}`,
      account.ou,
    );
  } else if (e.team.raw.environments[e.env]?.ou !== undefined) {
    report(
      file,
      `environments.${e.env}.ou`,
      `the active account ${account.stackId} would sit in ${account.ou}, ${where}`,
      account.ou,
    );
  } else {
    report(
      file,
      `environments.${e.env}`,
      `the active account ${account.stackId} would sit in ${account.ou} (the default OU of environment ${e.env}, ${lz.organizationFile}: environments.${e.env}.ou), ${where}`,
      account.ou,
    );
  }
}

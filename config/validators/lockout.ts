// Lock-out safety from where accounts really are. A policy that may deny the platform role is allowed
// only on the Suspended OU (scp-safety.ts for SCPs, rcps.ts for RCPs), but an OU's name says nothing
// about what sits in it: an active account placed in Suspended, in an OU below it, or there through
// its environment's default OU would be locked out of the landing zone on the next apply. So, for
// every account, every policy that reaches it (config/model.ts policyTargetsOf: the root, each OU on
// its path, the account itself) is evaluated, and one that denies the landing zone is allowed only
// above accounts the ledger records as suspended or closed. SCPs and RCPs go through the same check;
// only what "denies the landing zone" means differs (below).
import { policyDocument } from "../build";
import {
  allTeamEnvironments,
  attachedOnlyInSuspended,
  policyTargetsOf,
  type Account,
  type PolicyStatement,
  type TeamEnvironment,
} from "../model";
import type { Flow } from "../flows";
import type { Context } from "./context";
import { rcpFlows } from "./rcps";
import { lockoutStatements, statementDenies } from "./scp-safety";

/**
 * A policy of the organization as the placement check sees it: its kind and name for messages, where
 * it attaches, and what of it would lock the landing zone out of one account.
 */
export interface AttachedPolicy {
  kind: "SCP" | "RCP";
  name: string;
  targets: string[];
  /** The statements (by path, `Statement[0]`) that lock the landing zone out of `account`. */
  lockouts: (account: Account) => string[];
}

/** The organization's SCPs whose documents were read: a Deny that may catch the platform role. */
export function serviceControlPolicies({ lz, input }: Context): AttachedPolicy[] {
  return lz.org.serviceControlPolicies.policies.flatMap((pol, i) => {
    const document = policyDocument(lz.org, i, input.policySources[i]);
    if (!document) return [];
    const lockouts = lockoutStatements(document, lz.org.platformRoleName);
    return [
      { kind: "SCP" as const, name: pol.name, targets: pol.targets, lockouts: () => lockouts },
    ];
  });
}

/**
 * The organization's RCPs whose documents were read. An RCP restricts resources, not principals, so
 * it locks the landing zone out of an account when it denies one of the landing zone's own requests
 * to that account's resources (config/flows.ts: Terraform assuming the platform role, the log
 * archive's deliveries, ...), read with the same evaluator as the flow check in rcps.ts.
 */
export function resourceControlPolicies({ lz }: Context): AttachedPolicy[] {
  // The flows by the account holding their resource, read once and only if a policy needs them.
  let byAccount: Map<string, Flow[]> | undefined;
  const flowsInto = (account: Account): Flow[] => {
    if (!byAccount) {
      const grouped = new Map<string, Flow[]>();
      for (const f of rcpFlows(lz)) {
        if (f.resourceAccount === undefined) continue;
        const list = grouped.get(f.resourceAccount);
        if (list) list.push(f);
        else grouped.set(f.resourceAccount, [f]);
      }
      byAccount = grouped;
    }
    return byAccount.get(account.stackId) ?? [];
  };
  return lz.resourceControlPolicies.map((pol) => {
    const statements = ([] as PolicyStatement[]).concat(pol.document.Statement);
    return {
      kind: "RCP" as const,
      name: pol.name,
      targets: pol.targets,
      lockouts: (account: Account) => {
        const flows = flowsInto(account);
        return statements.flatMap((s, i) => {
          const denied = new Set(
            flows.filter((f) => statementDenies(s, f.request) !== "no").map((f) => f.kind),
          );
          return denied.size > 0 ? [`Statement[${i}]: ${[...denied].join("; ")}`] : [];
        });
      },
    };
  });
}

/**
 * Only the policies attached solely to the Suspended OU or below it may deny the landing zone (any
 * other is refused on its own statements); for those, where the accounts really are decides.
 */
export function checkLockoutPlacement(ctx: Context): void {
  checkPlacement(
    ctx,
    [...serviceControlPolicies(ctx), ...resourceControlPolicies(ctx)].filter((p) =>
      attachedOnlyInSuspended(p.targets),
    ),
  );
}

/** Reports every account the landing zone manages that one of `policies` would lock it out of. */
export function checkPlacement(ctx: Context, policies: AttachedPolicy[]): void {
  if (policies.length === 0) return;
  const accounts: { account: Account; env?: TeamEnvironment }[] = [
    ...Object.values(ctx.lz.coreAccounts).map((account) => ({ account })),
    ...allTeamEnvironments(ctx.lz).map((env) => ({ account: env.account, env })),
  ];
  for (const { account, env } of accounts) {
    // Exempt: a team account whose file says suspended or closed. checkDeclaredStatuses (lifecycle.ts)
    // refuses any status that is not the ledger's last entry, so only an account the ledger records
    // as suspended or closed passes both checks.
    if (env && account.status !== "active") continue;
    const reaching = policyTargetsOf(account);
    for (const policy of policies) {
      const target = policy.targets.find((t) => reaching.includes(t));
      if (target === undefined) continue;
      const lockouts = policy.lockouts(account);
      if (lockouts.length > 0) reportLockout(ctx, account, env, policy, target, lockouts);
    }
  }
}

function reportLockout(
  { lz, input, report }: Context,
  account: Account,
  e: TeamEnvironment | undefined,
  policy: AttachedPolicy,
  target: string,
  lockouts: string[],
): void {
  const ledger = input.ledger?.file ?? "the ledger";
  const denies =
    policy.kind === "SCP"
      ? `denies the platform role ${lz.org.platformRoleName} (${lockouts.join(", ")})`
      : `denies the landing zone's own requests to it (${lockouts.join(", ")})`;
  const where = `where ${policy.kind} ${policy.name} (attached to ${target}) ${denies} and the landing zone would lose access to it; only accounts ${ledger} records as suspended or closed may sit under a policy that denies the platform role`;
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

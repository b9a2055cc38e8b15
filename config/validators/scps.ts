// Organization policies: unique names, targets that exist (an OU path, the root, or one account by
// its stack id; lists.ts holds each to one listing), documents that were read and are grammatical
// (config/read.ts), safe (scp-safety.ts) and within AWS's size limit, and no more policies of a type
// on one target than AWS allows.
import { policyDocument } from "../build";
import {
  ACCOUNT_TARGET_PREFIX,
  allAccounts,
  attachedOnlyInSuspended,
  ROOT_TARGET,
  type OrganizationPolicy,
} from "../model";
import { SCP_MAX_CHARS } from "../policies";
import type { OrganizationFile } from "../schema";
import type { Context } from "./context";
import { checkOuKnown } from "./organization";
import { checkPolicySafety } from "./scp-safety";

type PolicySpec = OrganizationFile["serviceControlPolicies"]["policies"][number];

/** Every check of one policy, in order; a policy without a readable document stops after its read. */
export function checkServiceControlPolicies(ctx: Context): void {
  const names = new Set<string>();
  ctx.lz.org.serviceControlPolicies.policies.forEach((pol, i) => {
    const at = `serviceControlPolicies.policies[${i}]`;
    checkPolicyName(ctx, pol, at, names);
    checkPolicyTargets(ctx, `${at}.targets`, pol.targets);
    const source = ctx.input.policySources[i];
    if (source && !source.ok) {
      for (const p of source.problems) ctx.report(p.file, p.path, p.message, p.got);
      return;
    }
    const document = policyDocument(ctx.lz.org, i, source);
    if (!document) return;
    // A file's problems are reported on the file, a builtin's on its entry.
    const where = source
      ? { file: source.file, path: "" }
      : { file: ctx.lz.organizationFile, path: at };
    for (const s of checkPolicySafety(document, {
      platformRoleName: ctx.lz.org.platformRoleName,
      suspendedOnly: attachedOnlyInSuspended(pol.targets),
    })) {
      ctx.report(where.file, [where.path, s.path].filter(Boolean).join("."), s.message);
    }
    checkPolicySize(ctx, JSON.stringify(document), where, SCP_MAX_CHARS);
  });
}

function checkPolicyName(ctx: Context, pol: PolicySpec, at: string, names: Set<string>): void {
  if (names.has(pol.name))
    ctx.report(ctx.lz.organizationFile, `${at}.name`, "duplicate policy name", pol.name);
  names.add(pol.name);
}

/** Each target exists (lists.ts refuses a target listed twice, for every kind of policy). */
export function checkPolicyTargets(ctx: Context, at: string, targets: string[]): void {
  const file = ctx.lz.organizationFile;
  const stackIds = new Set(allAccounts(ctx.lz).map((a) => a.stackId));
  targets.forEach((t, j) => {
    const path = `${at}[${j}]`;
    if (t === ROOT_TARGET) return;
    if (t.startsWith(ACCOUNT_TARGET_PREFIX)) {
      const stackId = t.slice(ACCOUNT_TARGET_PREFIX.length);
      if (!stackIds.has(stackId)) {
        ctx.report(
          file,
          path,
          `unknown account; name an account by its stack id: account:log-archive, account:security, account:observability or account:team-<team>-<env>`,
          t,
        );
      }
      return;
    }
    checkOuKnown(ctx, file, path, t);
  });
}

export function checkPolicySize(
  ctx: Context,
  content: string,
  where: { file: string; path: string },
  max: number,
): void {
  if (content.length <= max) return;
  ctx.report(
    where.file,
    where.path,
    `policy is ${content.length} characters minified; AWS allows ${max}`,
  );
}

/**
 * AWS attaches FullAWSAccess (RCPFullAWSAccess) to every root, OU and account too; together with
 * the landing zone's policies they stay within the per-target quota. The message names the quota,
 * for an organization whose quota AWS has raised.
 */
export function checkPoliciesPerTarget(
  { lz, report }: Context,
  kind: {
    field: "serviceControlPolicies" | "resourceControlPolicies";
    what: "SCPs" | "RCPs";
    managed: "FullAWSAccess" | "RCPFullAWSAccess";
  },
  policies: Pick<OrganizationPolicy, "name" | "targets">[],
  limit: number,
): void {
  const perTarget = new Map<string, string[]>();
  for (const pol of policies) {
    for (const t of new Set(pol.targets)) perTarget.set(t, [...(perTarget.get(t) ?? []), pol.name]);
  }
  for (const [target, names] of [...perTarget.entries()].sort()) {
    const total = names.length + 1;
    if (total > limit) {
      report(
        lz.organizationFile,
        `${kind.field}.policies`,
        `${target} would have ${total} ${kind.what} attached (${names.join(", ")} and ${kind.managed}); the limit is ${limit}. Merge policies or attach some to a parent OU; if AWS has raised your organization's quota of ${kind.what} per root, OU or account (Service Quotas, AWS Organizations), set ${kind.field}.maxPerTarget to it`,
      );
    }
  }
}

export function checkScpsPerTarget(ctx: Context): void {
  checkPoliciesPerTarget(
    ctx,
    { field: "serviceControlPolicies", what: "SCPs", managed: "FullAWSAccess" },
    ctx.lz.org.serviceControlPolicies.policies,
    ctx.lz.org.serviceControlPolicies.maxPerTarget,
  );
}

// Service control policies: unique names, targets that exist, documents that were read and are
// grammatical (config/read.ts), safe (scp-safety.ts) and within AWS's size limit, and no more
// policies on one target than AWS allows.
import { policyDocument } from "../build";
import { ROOT_TARGET, inSuspendedOu } from "../model";
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
    checkPolicyTargets(ctx, pol, at);
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
      suspendedOnly: pol.targets.every(inSuspendedOu),
    })) {
      ctx.report(where.file, [where.path, s.path].filter(Boolean).join("."), s.message);
    }
    checkPolicySize(ctx, JSON.stringify(document), where);
  });
}

function checkPolicyName(ctx: Context, pol: PolicySpec, at: string, names: Set<string>): void {
  if (names.has(pol.name))
    ctx.report(ctx.lz.organizationFile, `${at}.name`, "duplicate policy name", pol.name);
  names.add(pol.name);
}

function checkPolicyTargets(ctx: Context, pol: PolicySpec, at: string): void {
  pol.targets.forEach((t, j) => {
    if (t !== ROOT_TARGET) checkOuKnown(ctx, ctx.lz.organizationFile, `${at}.targets[${j}]`, t);
  });
}

function checkPolicySize(
  ctx: Context,
  content: string,
  where: { file: string; path: string },
): void {
  if (content.length <= SCP_MAX_CHARS) return;
  ctx.report(
    where.file,
    where.path,
    `policy is ${content.length} characters minified; AWS allows ${SCP_MAX_CHARS}`,
  );
}

/** AWS attaches FullAWSAccess to every target too; together they stay within maxPerTarget. */
export function checkPoliciesPerTarget({ lz, report }: Context): void {
  const perTarget = new Map<string, string[]>();
  for (const pol of lz.org.serviceControlPolicies.policies) {
    for (const t of pol.targets) perTarget.set(t, [...(perTarget.get(t) ?? []), pol.name]);
  }
  const limit = lz.org.serviceControlPolicies.maxPerTarget;
  for (const [target, names] of [...perTarget.entries()].sort()) {
    const total = names.length + 1;
    if (total > limit) {
      report(
        lz.organizationFile,
        "serviceControlPolicies.policies",
        `${target} would have ${total} SCPs attached (${names.join(", ")} and FullAWSAccess); the limit is ${limit}. Merge policies or attach some to a parent OU`,
      );
    }
  }
}

// Resource control policies and the management policies (EC2 declarative, AI-services opt-out):
// names, targets, documents read and grammatical (config/read.ts, the RCP grammar in
// config/policies.ts), sizes, per-target limits, and every RCP held to the landing zone's own
// cross-account flows (config/flows.ts): a data perimeter that would cut off CloudTrail, Config, the
// alarms or Terraform is refused here, with the flow it would break.
import { landingZoneFlows, SYMBOLIC_ORGANIZATION_ID, type Flow } from "../flows";
import { attachedOnlyInSuspended, type LandingZone } from "../model";
import { RCP_MAX_CHARS, RCP_SERVICES } from "../policies";
import type { Context } from "./context";
import { checkPoliciesPerTarget, checkPolicySize, checkPolicyTargets } from "./scps";
import { policiesDeny } from "./scp-safety";

export function checkResourceControlPolicies(ctx: Context): void {
  const names = new Set<string>();
  ctx.lz.org.resourceControlPolicies.policies.forEach((pol, i) => {
    const at = `resourceControlPolicies.policies[${i}]`;
    if (names.has(pol.name))
      ctx.report(ctx.lz.organizationFile, `${at}.name`, "duplicate policy name", pol.name);
    names.add(pol.name);
    checkPolicyTargets(ctx, `${at}.targets`, pol.targets);
    const source = ctx.input.rcpSources[i];
    if (!source.ok) {
      for (const p of source.problems) ctx.report(p.file, p.path, p.message, p.got);
      return;
    }
    checkPolicySize(
      ctx,
      JSON.stringify(source.document),
      { file: source.file, path: "" },
      RCP_MAX_CHARS,
    );
  });
  checkPoliciesPerTarget(
    ctx,
    { field: "resourceControlPolicies", what: "RCPs", managed: "RCPFullAWSAccess" },
    ctx.lz.org.resourceControlPolicies.policies,
    ctx.lz.org.resourceControlPolicies.maxPerTarget,
  );
}

/**
 * The landing zone's own flows an RCP can restrict: RCPs apply only to the resources of their
 * services (an SNS topic or an OAM sink is not one). lockout.ts reads the same flows.
 */
export const rcpFlows = (lz: LandingZone): Flow[] =>
  landingZoneFlows(lz).filter((f) => RCP_SERVICES.includes(f.request.action.split(":")[0]));

/**
 * Each RCP against every flow whose resource it reaches. One message per statement and kind of flow
 * (not per account), on the policy's file. An RCP attached only to the Suspended OU may deny
 * everything, like the deny-all SCP there: lockout.ts checks, with the same flows, that no active
 * account sits under it.
 */
export function checkRcpsKeepLandingZoneFlows(ctx: Context): void {
  const { lz } = ctx;
  const rcps = lz.org.resourceControlPolicies.policies.flatMap((pol, i) => {
    const source = ctx.input.rcpSources[i];
    return source.ok && !attachedOnlyInSuspended(pol.targets)
      ? [{ name: pol.name, file: source.file, targets: pol.targets, document: source.document }]
      : [];
  });
  if (rcps.length === 0) return;
  const reported = new Set<string>();
  for (const flow of rcpFlows(lz)) {
    for (const rcp of rcps) {
      if (!rcp.targets.some((t) => flow.resourceTargets.includes(t))) continue;
      const verdict = policiesDeny([rcp], flow.request);
      if (verdict.denied === "no" || !verdict.by) continue;
      const key = `${rcp.name}|${verdict.by.statement}|${flow.kind}`;
      if (reported.has(key)) continue;
      reported.add(key);
      const what = `${flow.kind} (${flow.detail}: ${flow.request.action} on ${flow.request.resource})`;
      ctx.report(
        rcp.file,
        `Statement[${verdict.by.statement}]`,
        verdict.denied === "yes"
          ? `would deny the landing zone's own flow: ${what}; exempt it, e.g. with aws:PrincipalOrgID or aws:SourceOrgID equal to \${aws:ResourceOrgID}`
          : `cannot be shown to allow the landing zone's own flow: ${what}; the offline check reads String, Arn, Bool and Null conditions and resolves \${aws:...} variables of the request (the organization id is \${aws:ResourceOrgID}, ${lz.org.existingOrganization?.organizationId ?? SYMBOLIC_ORGANIZATION_ID} here)`,
      );
    }
  }
}

/** The EC2 declarative and AI-services opt-out policies: targets and sizes. */
export function checkManagementPolicies(ctx: Context): void {
  const fields = {
    DECLARATIVE_POLICY_EC2: "ec2DeclarativePolicy",
    AISERVICES_OPT_OUT_POLICY: "aiServicesOptOut",
  } as const;
  for (const policy of ctx.lz.managementPolicies) {
    const field = fields[policy.type];
    checkPolicyTargets(ctx, `${field}.targets`, policy.targets);
    checkPolicySize(
      ctx,
      policy.content,
      { file: ctx.lz.organizationFile, path: field },
      policy.maxChars,
    );
  }
}

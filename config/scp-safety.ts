// Offline safety checks on every SCP, after the grammar check: a region deny must leave the global
// services reachable, and a Deny must never catch the platform role the landing zone deploys with,
// or one bad policy locks the landing zone out of every account under its target.
import type { PolicyDocument, PolicyStatement } from "./model";
import { GLOBAL_SERVICE_ACTIONS, platformRoleArnPattern, type GrammarProblem } from "./policies";

export interface SafetyContext {
  platformRoleName: string;
  /** The policy attaches only to the Suspended OU, where denying everyone is the point. */
  suspendedOnly: boolean;
}

/**
 * Denied to everyone on purpose, and never needed by the platform role: the landing zone manages
 * membership from the management account, never by a member leaving.
 */
const NEVER_NEEDED_BY_PLATFORM = ["organizations:LeaveOrganization"];

const NEGATIVE_OPERATORS = /^(StringNotEquals|StringNotLike|StringNotEqualsIgnoreCase)(IfExists)?$/;
const SPARING_OPERATORS =
  /^(ArnNotLike|ArnNotEquals|StringNotLike|StringNotEquals|StringNotEqualsIgnoreCase)(IfExists)?$/;
const SCOPING_OPERATORS = /^(ArnLike|ArnEquals|StringLike|StringEquals|StringEqualsIgnoreCase)$/;

function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, "\\$&")
    .replace(/\*/g, ".*")
    .replace(/\?/g, ".");
  return new RegExp(`^${re}$`, ignoreCase ? "i" : "").test(value);
}

const asList = (v: string | string[] | boolean | undefined): string[] =>
  v === undefined ? [] : ([] as (string | boolean)[]).concat(v).map(String);

/** Condition values of `key` (case-insensitive) under operators matching `op`. */
function conditionValues(s: PolicyStatement, op: RegExp, key: string): string[] | undefined {
  let found: string[] | undefined;
  for (const [operator, byKey] of Object.entries(s.Condition ?? {})) {
    if (!op.test(operator)) continue;
    for (const [k, v] of Object.entries(byKey)) {
      if (k.toLowerCase() === key.toLowerCase()) found = [...(found ?? []), ...asList(v)];
    }
  }
  return found;
}

/** Global service actions a region deny statement would deny. */
export function deniedGlobalActions(s: PolicyStatement): string[] {
  if (s.NotAction !== undefined) {
    const spared = asList(s.NotAction);
    return GLOBAL_SERVICE_ACTIONS.filter((g) => !spared.some((n) => glob(n, g, true)));
  }
  const denied = asList(s.Action);
  return GLOBAL_SERVICE_ACTIONS.filter((g) =>
    denied.some((a) => glob(a, g, true) || glob(g, a, true)),
  );
}

/** True when the statement cannot apply to the platform role. */
export function sparesPlatformRole(s: PolicyStatement, platformRoleName: string): boolean {
  const roleArn = `arn:aws:iam::123456789012:role/${platformRoleName}`;
  const excluded = conditionValues(s, SPARING_OPERATORS, "aws:PrincipalArn");
  if (excluded?.some((v) => glob(v, roleArn, false))) return true;
  // Scoped to principals that are not the platform role (e.g. only the root user).
  const scoped = conditionValues(s, SCOPING_OPERATORS, "aws:PrincipalArn");
  if (scoped && scoped.length > 0 && !scoped.some((v) => glob(v, roleArn, false))) return true;
  const actions = s.Action === undefined ? undefined : asList(s.Action);
  return (
    actions !== undefined &&
    actions.every((a) => NEVER_NEEDED_BY_PLATFORM.some((n) => n.toLowerCase() === a.toLowerCase()))
  );
}

export function checkPolicySafety(doc: PolicyDocument, ctx: SafetyContext): GrammarProblem[] {
  const out: GrammarProblem[] = [];
  const statements = ([] as PolicyStatement[]).concat(doc.Statement);
  statements.forEach((s, i) => {
    if (s.Effect !== "Deny") return;
    const at = `Statement[${i}]`;
    if (conditionValues(s, NEGATIVE_OPERATORS, "aws:RequestedRegion")) {
      const denied = deniedGlobalActions(s);
      if (denied.length > 0) {
        out.push({
          path: at,
          message: `a region deny must exempt the global services with NotAction; it would deny ${denied.length} of them (${denied.slice(0, 4).join(", ")}${denied.length > 4 ? ", ..." : ""}), whose endpoints live in us-east-1`,
        });
      }
    }
    if (!ctx.suspendedOnly && !sparesPlatformRole(s, ctx.platformRoleName)) {
      out.push({
        path: at,
        message: `a Deny must spare the platform role, or the landing zone can lock itself out: add Condition ArnNotLike aws:PrincipalArn ${platformRoleArnPattern(ctx.platformRoleName)} (only a policy attached solely to the Suspended OU may deny it)`,
      });
    }
  });
  return out;
}

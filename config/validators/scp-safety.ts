// Offline safety checks on every SCP, after the grammar check: a region deny must leave the global
// services reachable, and a Deny must never catch the platform role the landing zone deploys with,
// or one bad policy locks the landing zone out of every account under its target. The same reading
// of IAM's condition operators also evaluates a whole request against a set of policies
// (`policiesDeny`, below): validation holds every RCP to the landing zone's own flows with it, and
// the tests read the synthesized SCPs and RCPs with it.
import type { PolicyDocument, PolicyStatement } from "../model";
import { GLOBAL_SERVICE_ACTIONS, platformRoleArnPattern, type GrammarProblem } from "../policies";
import { roleArn } from "../partition";

export interface SafetyContext {
  platformRoleName: string;
  /**
   * The policy attaches only to the Suspended OU (or OUs below it), where denying everyone is the
   * point. Which accounts really sit there is checked by config/validators/lockout.ts.
   */
  suspendedOnly: boolean;
}

/**
 * Denied to everyone on purpose, and never needed by the platform role: the landing zone manages
 * membership from the management account, never by a member leaving.
 */
const NEVER_NEEDED_BY_PLATFORM = ["organizations:LeaveOrganization"];

/** Requests to global services (IAM, STS's global endpoint, Organizations, ...) carry this region. */
const GLOBAL_SERVICES_REGION = "us-east-1";

const NEGATIVE_OPERATORS =
  /^(ForAnyValue:|ForAllValues:)?(StringNotEquals|StringNotLike|StringNotEqualsIgnoreCase)(IfExists)?$/;

/** IAM wildcard matching (* any run, ? one character), linear: no regular expression to backtrack. */
function glob(pattern: string, value: string, ignoreCase: boolean): boolean {
  const pat = ignoreCase ? pattern.toLowerCase() : pattern;
  const val = ignoreCase ? value.toLowerCase() : value;
  let p = 0;
  let v = 0;
  let star = -1;
  let mark = 0;
  while (v < val.length) {
    if (p < pat.length && (pat[p] === "?" || pat[p] === val[v])) {
      p++;
      v++;
    } else if (p < pat.length && pat[p] === "*") {
      star = p++;
      mark = v;
    } else if (star !== -1) {
      p = star + 1;
      v = ++mark;
    } else return false;
  }
  while (pat[p] === "*") p++;
  return p === pat.length;
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

// --- does a condition spare the platform role? --------------------------------------------------
// IAM evaluates a statement's Condition as an AND of every operator and every key under it; the
// values of one key are an OR. A Deny spares the platform role when, for the role's own
// aws:PrincipalArn, at least one of those blocks is certainly false. Anything the checker cannot
// decide (another key, an unknown operator, a policy variable, a reading on which IAM's documented
// matching rules could disagree) counts as "may apply": the check fails closed.

export type Match = "yes" | "no" | "unknown";

/** How an operator compares: `like` takes * and ?, `literal` compares characters, `arn` is IAM's. */
interface Operator {
  compare: "literal" | "like" | "arn-equals" | "arn-like";
  ignoreCase: boolean;
  negated: boolean;
}

const OPERATORS: Record<string, Operator> = {
  StringEquals: { compare: "literal", ignoreCase: false, negated: false },
  StringNotEquals: { compare: "literal", ignoreCase: false, negated: true },
  StringEqualsIgnoreCase: { compare: "literal", ignoreCase: true, negated: false },
  StringNotEqualsIgnoreCase: { compare: "literal", ignoreCase: true, negated: true },
  StringLike: { compare: "like", ignoreCase: false, negated: false },
  StringNotLike: { compare: "like", ignoreCase: false, negated: true },
  ArnEquals: { compare: "arn-equals", ignoreCase: false, negated: false },
  ArnNotEquals: { compare: "arn-equals", ignoreCase: false, negated: true },
  ArnLike: { compare: "arn-like", ignoreCase: false, negated: false },
  ArnNotLike: { compare: "arn-like", ignoreCase: false, negated: true },
};

/**
 * The operator behind `ForAnyValue:`/`ForAllValues:` and `...IfExists`. aws:PrincipalArn is a
 * single-valued key every IAM principal's request carries, so for the platform role the set
 * qualifiers see a set of one value and IfExists sees a present key: both reduce to the operator.
 */
export function parseOperator(name: string): Operator | undefined {
  const base = name.replace(/^(ForAnyValue|ForAllValues):/, "").replace(/IfExists$/, "");
  return Object.prototype.hasOwnProperty.call(OPERATORS, base) ? OPERATORS[base] : undefined;
}

/** ARN components as IAM splits them: six, the last one keeps its colons. */
function arnParts(arn: string): string[] | undefined {
  const parts = arn.split(":");
  return parts.length < 6 ? undefined : [...parts.slice(0, 5), parts.slice(5).join(":")];
}

/** IAM's ARN matching: each of the six components on its own, * and ? inside a component. */
function arnComponentMatch(pattern: string, arn: string): boolean {
  const p = arnParts(pattern);
  const a = arnParts(arn);
  return !!p && !!a && p.every((part, i) => glob(part, a[i], false));
}

const agree = (...readings: boolean[]): Match =>
  readings.every((r) => r) ? "yes" : readings.every((r) => !r) ? "no" : "unknown";

/** Whether one condition value matches the ARN under `op`, or unknown when readings disagree. */
function valueMatches(op: Operator, pattern: string, arn: string): Match {
  if (pattern.includes("${")) return "unknown"; // a policy variable, resolved per request
  if (pattern.includes(ANY_ACCOUNT_CHAR)) return "unknown"; // would forge the symbolic account
  switch (op.compare) {
    case "literal":
      return op.ignoreCase
        ? agree(pattern.toLowerCase() === arn.toLowerCase())
        : agree(pattern === arn);
    case "like":
      return agree(glob(pattern, arn, false));
    case "arn-like":
      return agree(glob(pattern, arn, false), arnComponentMatch(pattern, arn));
    case "arn-equals":
      // IAM documents ArnEquals with wildcards like ArnLike; a reader may take it literally.
      // Only a verdict all readings share is trusted.
      return agree(pattern === arn, glob(pattern, arn, false), arnComponentMatch(pattern, arn));
  }
}

/** True when the condition block `operator: { key: values }` is certainly false for `arn`. */
function certainlyFalse(operator: string, values: unknown, arn: string): boolean {
  const op = parseOperator(operator);
  if (!op) return false;
  const list = ([] as unknown[]).concat(values);
  if (list.length === 0 || list.some((v) => typeof v !== "string")) return false;
  const matches = (list as string[]).map((v) => valueMatches(op, v, arn));
  // Negated: true unless some value matches. Positive: true if some value matches.
  return op.negated ? matches.includes("yes") : matches.every((m) => m === "no");
}

/**
 * Stands for "any account": twelve characters no account id has, so only `*` and `?` match it, and
 * whatever matches it matches every real account id too. A Deny spares the platform role only if it
 * does so for this account and for every account a condition value names (a value may name one
 * account, or a pattern such as `1*` that matches some accounts and not others).
 */
const ANY_ACCOUNT_CHAR = "\u0000";
const ANY_ACCOUNT = ANY_ACCOUNT_CHAR.repeat(12);

/** An account id the pattern's account component matches, if it can match one at all. */
function accountMatchedBy(component: string): string | undefined {
  if (!/^[0-9*?]*$/.test(component)) return undefined;
  const fixed = component.replace(/\*/g, "").length;
  if (fixed > 12) return undefined;
  let starFilled = false;
  const id = component.replace(/[*?]/g, (c) => {
    if (c === "?") return "0";
    if (starFilled) return "";
    starFilled = true;
    return "0".repeat(12 - fixed);
  });
  return id.length === 12 ? id : undefined;
}

/** The platform role's ARN in every account the check must consider for this statement. */
function platformRoleArns(s: PolicyStatement, name: string): string[] {
  const accounts = new Set([ANY_ACCOUNT]);
  for (const byKey of Object.values(s.Condition ?? {})) {
    if (typeof byKey !== "object" || byKey === null) continue;
    for (const [key, values] of Object.entries(byKey)) {
      if (key.toLowerCase() !== "aws:principalarn") continue;
      for (const v of ([] as unknown[]).concat(values)) {
        const account = typeof v === "string" ? accountMatchedBy(v.split(":")[4] ?? "") : undefined;
        if (account) accounts.add(account);
      }
    }
  }
  return [...accounts].map((a) => roleArn(a, name));
}

/** True when the statement cannot apply to the platform role, in any account. */
export function sparesPlatformRole(s: PolicyStatement, platformRoleName: string): boolean {
  const actions = s.Action === undefined ? undefined : asList(s.Action);
  if (
    actions !== undefined &&
    actions.length > 0 &&
    actions.every((a) => NEVER_NEEDED_BY_PLATFORM.some((n) => n.toLowerCase() === a.toLowerCase()))
  ) {
    return true;
  }
  const condition = s.Condition;
  if (typeof condition !== "object" || condition === null) return false;
  return platformRoleArns(s, platformRoleName).every((arn) =>
    Object.entries(condition).some(
      ([operator, byKey]) =>
        typeof byKey === "object" &&
        byKey !== null &&
        Object.entries(byKey).some(
          ([key, values]) =>
            key.toLowerCase() === "aws:principalarn" && certainlyFalse(operator, values, arn),
        ),
    ),
  );
}

/**
 * A Deny conditioned on aws:RequestedRegion by any other operator (StringEquals us-east-1, say)
 * still reaches the global services when it can hold for us-east-1, where their endpoints live.
 */
function reachesGlobalEndpoints(s: PolicyStatement): boolean {
  return Object.entries(s.Condition ?? {}).some(
    ([operator, byKey]) =>
      typeof byKey === "object" &&
      byKey !== null &&
      Object.entries(byKey).some(
        ([key, values]) =>
          key.toLowerCase() === "aws:requestedregion" &&
          !certainlyFalse(operator, values, GLOBAL_SERVICES_REGION),
      ),
  );
}

/** The Deny statements of `doc` that may apply to the platform role, by path (`Statement[0]`). */
export function lockoutStatements(doc: PolicyDocument, platformRoleName: string): string[] {
  return ([] as PolicyStatement[])
    .concat(doc.Statement)
    .flatMap((s, i) =>
      s.Effect === "Deny" && !sparesPlatformRole(s, platformRoleName) ? [`Statement[${i}]`] : [],
    );
}

export function checkPolicySafety(doc: PolicyDocument, ctx: SafetyContext): GrammarProblem[] {
  const out: GrammarProblem[] = [];
  const statements = ([] as PolicyStatement[]).concat(doc.Statement);
  statements.forEach((s, i) => {
    if (s.Effect !== "Deny") return;
    const at = `Statement[${i}]`;
    if (
      conditionValues(s, NEGATIVE_OPERATORS, "aws:RequestedRegion") ||
      reachesGlobalEndpoints(s)
    ) {
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
        message: `a Deny must spare the platform role, or the landing zone can lock itself out: add Condition ArnNotLike aws:PrincipalArn ${platformRoleArnPattern(ctx.platformRoleName)} (only a policy attached solely to the Suspended OU or OUs below it may deny it, above suspended or closed accounts only)`,
      });
    }
  });
  return out;
}

// --- does a policy deny a request? --------------------------------------------------------------
// The same reading of IAM's condition operators, applied to one request with every condition key it
// carries: what the tamper tests ask of the SCPs ("is an administrator denied deleting the trail
// bucket's policy?") and what validation asks of the RCPs ("does CloudTrail still reach the log
// archive?"). Only Deny statements are read: every target also carries the AWS-managed
// FullAWSAccess (RCPFullAWSAccess), so an allow-list is never what decides. Whatever the evaluator
// cannot read (an operator it does not know, a policy variable it cannot resolve) is "unknown".

/** A condition key's value in a request: one string, a set of strings, or a boolean. */
export type ContextValue = string | string[] | boolean;

export interface PolicyRequest {
  /** `service:Action` */
  action: string;
  /** The resource's ARN. */
  resource: string;
  /** Condition keys present in the request (names compared case-insensitively). */
  context: Record<string, ContextValue>;
}

/** How one value compares with one pattern under an operator, as in the lock-out check above. */
const BOOL_OPERATOR: Operator = { compare: "literal", ignoreCase: true, negated: false };

/**
 * Each request's keys lowercased once: validation asks about every flow of every account (tens of
 * thousands of lookups at 1,000 teams), and lowercasing every key on every lookup was most of it.
 */
const lowercased = new WeakMap<Record<string, ContextValue>, Map<string, ContextValue>>();

function lookup(context: Record<string, ContextValue>, key: string): ContextValue | undefined {
  let byKey = lowercased.get(context);
  if (!byKey) {
    byKey = new Map();
    // The first of two keys that differ only in case wins, as a linear search would find it.
    for (const [k, v] of Object.entries(context)) {
      if (!byKey.has(k.toLowerCase())) byKey.set(k.toLowerCase(), v);
    }
    lowercased.set(context, byKey);
  }
  return byKey.get(key.toLowerCase());
}

/** Resolves `${key}` policy variables from the request; undefined when one cannot be resolved. */
function resolveVariables(
  value: string,
  context: Record<string, ContextValue>,
): string | undefined {
  let unresolved = false;
  const out = value.replace(/\$\{([^}]*)\}/g, (_m, name: string) => {
    if (name === "*" || name === "?" || name === "$") return name;
    const v = lookup(context, name);
    if (typeof v === "string") return v;
    unresolved = true;
    return "";
  });
  return unresolved ? undefined : out;
}

const and = (matches: Match[]): Match =>
  matches.includes("no") ? "no" : matches.includes("unknown") ? "unknown" : "yes";
const or = (matches: Match[]): Match =>
  matches.includes("yes") ? "yes" : matches.includes("unknown") ? "unknown" : "no";
const not = (m: Match): Match => (m === "yes" ? "no" : m === "no" ? "yes" : "unknown");

/** One `operator: { key: values }` entry against the request. */
function conditionHolds(
  operatorName: string,
  key: string,
  values: unknown,
  context: Record<string, ContextValue>,
): Match {
  const qualifier = /^(ForAnyValue|ForAllValues):/.exec(operatorName)?.[1];
  const base = operatorName.replace(/^(ForAnyValue|ForAllValues):/, "");
  const ifExists = base.endsWith("IfExists");
  const opName = base.replace(/IfExists$/, "");
  const patterns = ([] as unknown[]).concat(values);
  if (patterns.some((p) => typeof p !== "string" && typeof p !== "boolean")) return "unknown";
  const list = patterns.map(String);
  const present = lookup(context, key);
  if (opName === "Null") {
    if (list.length !== 1) return "unknown";
    return agree((present === undefined) === (list[0].toLowerCase() === "true"));
  }
  const op: Operator | undefined = opName === "Bool" ? BOOL_OPERATOR : parseOperator(opName);
  if (present === undefined) {
    // IAM: a missing key makes a condition false, except for IfExists, ForAllValues (vacuously
    // true) and the negated operators ("does not equal" holds for a value that is not there).
    if (ifExists || qualifier === "ForAllValues") return "yes";
    if (qualifier === "ForAnyValue") return "no";
    if (!op) return "unknown";
    return op.negated ? "yes" : "no";
  }
  if (!op) return "unknown";
  const requestValues = Array.isArray(present) ? present : [String(present)];
  if (Array.isArray(present) && !qualifier) return "unknown";
  const resolved = list.map((p) => resolveVariables(p, context));
  if (resolved.some((p) => p === undefined)) return "unknown";
  const positive: Operator = { ...op, negated: false };
  /** Whether one request value satisfies the operator: any pattern matches (none, if negated). */
  const holdsFor = (value: string): Match => {
    const matched = or((resolved as string[]).map((p) => valueMatches(positive, p, value)));
    return op.negated ? not(matched) : matched;
  };
  const each = requestValues.map(holdsFor);
  return qualifier === "ForAllValues" ? and(each) : or(each);
}

/** Whether a policy element (Action, Resource, ...) names the request's value. */
function elementMatches(
  element: string | string[] | undefined,
  value: string,
  ignoreCase: boolean,
  context: Record<string, ContextValue>,
): Match {
  const patterns = ([] as string[]).concat(element ?? []);
  return or(
    patterns.map((p) => {
      const resolved = resolveVariables(p, context);
      return resolved === undefined ? "unknown" : agree(glob(resolved, value, ignoreCase));
    }),
  );
}

/** Whether a Deny statement applies to the request: "yes", "no" or "unknown". */
export function statementDenies(s: PolicyStatement, req: PolicyRequest): Match {
  if (s.Effect !== "Deny") return "no";
  if (s.Principal !== undefined && s.Principal !== "*") return "unknown";
  // Evaluated in order and stopped at the first "no", which decides an `and` whatever follows: most
  // statements are about other actions, so most requests stop at the first test.
  const action =
    s.NotAction !== undefined
      ? not(elementMatches(s.NotAction, req.action, true, req.context))
      : elementMatches(s.Action, req.action, true, req.context);
  if (action === "no") return "no";
  const resource =
    s.NotResource !== undefined
      ? not(elementMatches(s.NotResource, req.resource, false, req.context))
      : elementMatches(s.Resource, req.resource, false, req.context);
  if (resource === "no") return "no";
  const matches: Match[] = [action, resource];
  for (const [operator, byKey] of Object.entries(s.Condition ?? {})) {
    if (typeof byKey !== "object" || byKey === null) {
      matches.push("unknown");
      continue;
    }
    for (const [key, values] of Object.entries(byKey)) {
      const m = conditionHolds(operator, key, values, req.context);
      if (m === "no") return "no";
      matches.push(m);
    }
  }
  return and(matches);
}

export interface DenyVerdict {
  /** "yes": a statement denies; "no": none does; "unknown": one might. */
  denied: Match;
  /** The first statement that denies (or might), by policy name and statement index. */
  by?: { policy: string; statement: number; sid?: string };
}

/** Whether any of the policies denies the request. */
export function policiesDeny(
  policies: { name: string; document: PolicyDocument }[],
  req: PolicyRequest,
): DenyVerdict {
  let unknown: DenyVerdict | undefined;
  for (const p of policies) {
    const statements = ([] as PolicyStatement[]).concat(p.document.Statement);
    for (const [i, s] of statements.entries()) {
      const m = statementDenies(s, req);
      const by = { policy: p.name, statement: i, sid: s.Sid };
      if (m === "yes") return { denied: "yes", by };
      if (m === "unknown" && !unknown) unknown = { denied: "unknown", by };
    }
  }
  return unknown ?? { denied: "no" };
}

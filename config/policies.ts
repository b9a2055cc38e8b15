// The SCP baseline, rendered from the organization file so it always matches the allowed regions and
// the platform role. Every protective policy spares the platform role: the landing zone can never lock
// itself out of the accounts it manages.
import type { BuiltinPolicy } from "./schema";
import type { PolicyDocument } from "./model";
import { accountRootArn, arn, roleArn } from "./partition";

/** Names of landing-zone resources start with this; the protect policy keys on it. */
export const LZ_PREFIX = "lz-";

// Global services have their endpoints in us-east-1 (or none); a region deny must not break them.
export const GLOBAL_SERVICE_ACTIONS = [
  "a4b:*",
  "account:*",
  "acm:*",
  "aws-marketplace-management:*",
  "aws-marketplace:*",
  "aws-portal:*",
  "billing:*",
  "budgets:*",
  "ce:*",
  "chime:*",
  "cloudfront:*",
  "config:*",
  "cur:*",
  "directconnect:*",
  "ec2:DescribeRegions",
  "ec2:DescribeTransitGateways",
  "ec2:DescribeVpnGateways",
  "fms:*",
  "globalaccelerator:*",
  "health:*",
  "iam:*",
  "importexport:*",
  "kms:*",
  "networkmanager:*",
  "organizations:*",
  "pricing:*",
  "route53:*",
  "route53domains:*",
  "route53-recovery-cluster:*",
  "route53-recovery-control-config:*",
  "route53-recovery-readiness:*",
  "s3:GetAccountPublic*",
  "s3:ListAllMyBuckets",
  "s3:ListMultiRegionAccessPoints",
  "s3:PutAccountPublic*",
  "shield:*",
  "sts:*",
  "support:*",
  "trustedadvisor:*",
  "waf-regional:*",
  "waf:*",
  "wafv2:*",
  "wellarchitected:*",
];

export interface PolicyContext {
  allowedRegions: string[];
  platformRoleName: string;
}

export function platformRoleArnPattern(platformRoleName: string): string {
  return roleArn("*", platformRoleName);
}

export function renderBuiltinPolicy(kind: BuiltinPolicy, ctx: PolicyContext): PolicyDocument {
  const sparePlatformRole = {
    ArnNotLike: { "aws:PrincipalArn": [platformRoleArnPattern(ctx.platformRoleName)] },
  };
  switch (kind) {
    case "deny-leave-organization":
      return doc({
        Sid: "DenyLeaveOrganization",
        Effect: "Deny",
        Action: ["organizations:LeaveOrganization"],
        Resource: "*",
      });
    case "deny-root-user":
      return doc({
        Sid: "DenyRootUser",
        Effect: "Deny",
        Action: "*",
        Resource: "*",
        Condition: { StringLike: { "aws:PrincipalArn": [accountRootArn("*")] } },
      });
    case "deny-outside-allowed-regions":
      return doc({
        Sid: "DenyOutsideAllowedRegions",
        Effect: "Deny",
        NotAction: GLOBAL_SERVICE_ACTIONS,
        Resource: "*",
        Condition: {
          StringNotEquals: { "aws:RequestedRegion": [...ctx.allowedRegions].sort() },
          ...sparePlatformRole,
        },
      });
    case "protect-landing-zone":
      return doc(
        {
          Sid: "ProtectLandingZoneRoles",
          Effect: "Deny",
          Action: [
            "iam:AttachRolePolicy",
            "iam:DeleteRole",
            "iam:DeleteRolePermissionsBoundary",
            "iam:DeleteRolePolicy",
            "iam:DetachRolePolicy",
            "iam:PutRolePermissionsBoundary",
            "iam:PutRolePolicy",
            "iam:UpdateAssumeRolePolicy",
            "iam:UpdateRole",
            "iam:UpdateRoleDescription",
          ],
          Resource: [roleArn("*", ctx.platformRoleName), roleArn("*", `${LZ_PREFIX}*`)],
          Condition: sparePlatformRole,
        },
        {
          Sid: "ProtectLandingZoneTrails",
          Effect: "Deny",
          Action: [
            "cloudtrail:DeleteTrail",
            "cloudtrail:PutEventSelectors",
            "cloudtrail:StopLogging",
            "cloudtrail:UpdateTrail",
          ],
          Resource: "*",
          Condition: sparePlatformRole,
        },
        {
          Sid: "ProtectLandingZoneAlarms",
          Effect: "Deny",
          Action: [
            "cloudwatch:DeleteAlarms",
            "cloudwatch:DisableAlarmActions",
            "cloudwatch:PutMetricAlarm",
            "cloudwatch:SetAlarmState",
          ],
          Resource: [arn("cloudwatch", "*", "*", `alarm:${LZ_PREFIX}*`)],
          Condition: sparePlatformRole,
        },
        {
          Sid: "ProtectLandingZoneLinks",
          Effect: "Deny",
          Action: [
            "oam:CreateLink",
            "oam:DeleteLink",
            "oam:UpdateLink",
            "oam:DeleteSink",
            "oam:PutSinkPolicy",
          ],
          Resource: "*",
          Condition: sparePlatformRole,
        },
        {
          // Config records every account into the log archive; only the platform role may change it.
          Sid: "ProtectLandingZoneConfig",
          Effect: "Deny",
          Action: [
            "config:DeleteConfigurationRecorder",
            "config:DeleteDeliveryChannel",
            "config:PutConfigurationRecorder",
            "config:PutDeliveryChannel",
            "config:StopConfigurationRecorder",
          ],
          Resource: "*",
          Condition: sparePlatformRole,
        },
        {
          // Members leave neither service; the administrator's detector and hub stay on.
          Sid: "ProtectLandingZoneSecurityServices",
          Effect: "Deny",
          Action: [
            "guardduty:DeleteDetector",
            "guardduty:DisassociateFromAdministratorAccount",
            "guardduty:DisassociateFromMasterAccount",
            "securityhub:DisableSecurityHub",
            "securityhub:DisassociateFromAdministratorAccount",
            "securityhub:DisassociateFromMasterAccount",
          ],
          Resource: "*",
          Condition: sparePlatformRole,
        },
        {
          // The rules that page the critical topic with high-severity findings.
          Sid: "ProtectLandingZoneFindingsRules",
          Effect: "Deny",
          Action: [
            "events:DeleteRule",
            "events:DisableRule",
            "events:PutRule",
            "events:PutTargets",
            "events:RemoveTargets",
          ],
          Resource: [arn("events", "*", "*", `rule/${LZ_PREFIX}*`)],
          Condition: sparePlatformRole,
        },
      );
    case "deny-all":
      return doc({ Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" });
  }
}

/** The only policy language version AWS accepts; modules/policy-statements.ts writes it too. */
export const POLICY_VERSION = "2012-10-17";

function doc(...statements: PolicyDocument["Statement"]): PolicyDocument {
  return { Version: POLICY_VERSION, Statement: statements };
}

/** AWS Organizations limit on an SCP document, minified. */
export const SCP_MAX_CHARS = 5120;

export interface GrammarProblem {
  path: string;
  message: string;
  got?: unknown;
}

const STATEMENT_KEYS = new Set([
  "Sid",
  "Effect",
  "Action",
  "NotAction",
  "Resource",
  "NotResource",
  "Condition",
]);
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

/** An SCP, or an identity policy (a permission set's inline policy): the same statement grammar. */
export type PolicyKind = "scp" | "identity";

/** Checks an SCP (or identity policy) against the IAM policy grammar as AWS accepts it. */
export function checkPolicyDocument(doc: unknown, kind: PolicyKind = "scp"): GrammarProblem[] {
  const out: GrammarProblem[] = [];
  if (typeof doc !== "object" || doc === null || Array.isArray(doc)) {
    return [{ path: "", message: "a policy must be a JSON object with Version and Statement" }];
  }
  const d = doc as Record<string, unknown>;
  if (d.Version !== POLICY_VERSION) {
    out.push({ path: "Version", message: `must be "${POLICY_VERSION}"`, got: d.Version });
  }
  for (const key of Object.keys(d)) {
    if (key !== "Version" && key !== "Statement" && key !== "Id") {
      out.push({ path: key, message: "unknown policy element" });
    }
  }
  const statements = Array.isArray(d.Statement) ? d.Statement : d.Statement ? [d.Statement] : [];
  if (statements.length === 0)
    out.push({ path: "Statement", message: "needs at least one statement" });
  const sids = new Set<string>();
  statements.forEach((s: unknown, i: number) => {
    const at = `Statement[${i}]`;
    if (typeof s !== "object" || s === null || Array.isArray(s)) {
      out.push({ path: at, message: "a statement must be an object" });
      return;
    }
    const st = s as Record<string, unknown>;
    for (const key of Object.keys(st)) {
      if (!STATEMENT_KEYS.has(key)) {
        out.push({
          path: `${at}.${key}`,
          message:
            kind === "scp"
              ? "not allowed in an SCP statement (Principal is not supported)"
              : "not allowed in an identity policy statement (Principal is not supported)",
        });
      }
    }
    if (st.Effect !== "Allow" && st.Effect !== "Deny") {
      out.push({ path: `${at}.Effect`, message: "must be Allow or Deny", got: st.Effect });
    }
    if ((st.Action === undefined) === (st.NotAction === undefined)) {
      out.push({ path: at, message: "needs exactly one of Action or NotAction" });
    }
    for (const key of ["Action", "NotAction"] as const) {
      if (st[key] === undefined) continue;
      const list = Array.isArray(st[key]) ? (st[key] as unknown[]) : [st[key]];
      // AWS rejects an empty list, so the policy would fail only at apply.
      if (list.length === 0)
        out.push({ path: `${at}.${key}`, message: "must not be empty", got: [] });
      list.forEach((a, j) => {
        if (typeof a !== "string" || !ACTION.test(a)) {
          out.push({ path: `${at}.${key}[${j}]`, message: "must be * or service:Action", got: a });
        }
      });
    }
    if (st.Resource === undefined && st.NotResource === undefined) {
      out.push({ path: at, message: "needs Resource or NotResource" });
    }
    if (typeof st.Sid === "string") {
      if (!/^[A-Za-z0-9]*$/.test(st.Sid))
        out.push({ path: `${at}.Sid`, message: "must be alphanumeric", got: st.Sid });
      if (sids.has(st.Sid)) out.push({ path: `${at}.Sid`, message: "duplicate Sid", got: st.Sid });
      sids.add(st.Sid);
    }
    if (st.Condition !== undefined && (typeof st.Condition !== "object" || st.Condition === null)) {
      out.push({ path: `${at}.Condition`, message: "must be an object of operator: {key: value}" });
    }
  });
  return out;
}

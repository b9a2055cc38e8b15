// The SCP baseline, rendered from the organization file so it always matches the allowed regions,
// the platform role and the names of what the landing zone creates. Every protective policy spares
// the platform role: the landing zone can never lock itself out of the accounts it manages. The protections key on what the landing zone names its resources (the `lz-` prefix, the
// trail bucket's name, the `alias/lz-*` keys), the same functions the stacks name them with, so a
// new resource that follows the convention is protected without anyone listing it here.
import { accountRootArn, arn, bucketArn, roleArn } from "./partition";
import { LZ_PREFIX } from "./prefix";
import type { BuiltinPolicy, OrganizationFile } from "./schema";
import type { PolicyDocument, PolicyStatement } from "./model";

export { LZ_PREFIX } from "./prefix";

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
  /** The organization trail's bucket, which `protect-log-archive` protects. */
  trailBucketName?: string;
}

/** The platform role in any account: the exemption every protective Deny carries. */
export function platformRoleArnPattern(platformRoleName: string): string {
  return roleArn("*", platformRoleName);
}

/** Services whose resources RCPs apply to (AWS Organizations User Guide, "Resource control policies"). */
export const RCP_SERVICES = [
  "aoss",
  "cognito-identity",
  "cognito-idp",
  "dynamodb",
  "ecr",
  "kms",
  "logs",
  "s3",
  "secretsmanager",
  "sqs",
  "sts",
];

/** The root user of a member account, except in a privileged root session (sts:AssumeRoot). */
function denyRootUser(): PolicyStatement {
  return {
    Sid: "DenyRootUser",
    Effect: "Deny",
    Action: "*",
    Resource: "*",
    Condition: {
      StringLike: { "aws:PrincipalArn": [accountRootArn("*")] },
      // Present only in a session the management account opened with sts:AssumeRoot for one task
      // (centralized root access, docs/access.md); root credentials signing in never carry it.
      Null: { "aws:AssumedRoot": "true" },
    },
  };
}

const DENY_LEAVE_ORGANIZATION: PolicyStatement = {
  Sid: "DenyLeaveOrganization",
  Effect: "Deny",
  Action: ["organizations:LeaveOrganization"],
  Resource: "*",
};

export function renderBuiltinPolicy(kind: BuiltinPolicy, ctx: PolicyContext): PolicyDocument {
  const sparePlatformRole = {
    ArnNotLike: { "aws:PrincipalArn": [platformRoleArnPattern(ctx.platformRoleName)] },
  };
  /** Keys with a landing-zone alias: the trail key, the alarm topics' key (config/names.ts). */
  const protectKeys: PolicyStatement[] = [
    {
      Sid: "ProtectLandingZoneKeys",
      Effect: "Deny",
      Action: [
        "kms:CreateGrant",
        "kms:DisableKey",
        "kms:DisableKeyRotation",
        "kms:PutKeyPolicy",
        "kms:ScheduleKeyDeletion",
      ],
      Resource: "*",
      Condition: {
        "ForAnyValue:StringLike": { "kms:ResourceAliases": [`alias/${LZ_PREFIX}*`] },
        ...sparePlatformRole,
      },
    },
    {
      // Without its alias a key is no longer recognised above, so the aliases are protected too.
      Sid: "ProtectLandingZoneKeyAliases",
      Effect: "Deny",
      Action: ["kms:CreateAlias", "kms:DeleteAlias", "kms:UpdateAlias"],
      Resource: [arn("kms", "*", "*", `alias/${LZ_PREFIX}*`)],
      Condition: sparePlatformRole,
    },
  ];
  switch (kind) {
    case "deny-leave-organization":
      return doc(DENY_LEAVE_ORGANIZATION);
    case "deny-root-user":
      return doc(denyRootUser());
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
        DENY_LEAVE_ORGANIZATION,
        denyRootUser(),
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
          // Members leave no service and switch none off (UpdateDetector disables a detector too);
          // the administrator's own detector, hub and scans stay on.
          Sid: "ProtectLandingZoneSecurityServices",
          Effect: "Deny",
          Action: [
            "guardduty:DeleteDetector",
            "guardduty:DisassociateFromAdministratorAccount",
            "guardduty:DisassociateFromMasterAccount",
            "guardduty:UpdateDetector",
            "inspector2:Disable",
            "securityhub:DisableSecurityHub",
            "securityhub:DisassociateFromAdministratorAccount",
            "securityhub:DisassociateFromMasterAccount",
          ],
          Resource: "*",
          Condition: sparePlatformRole,
        },
        {
          // The account-level settings the baseline sets in every account (modules/account-baseline).
          // DeleteAccountPublicAccessBlock is authorized as s3:PutAccountPublicAccessBlock.
          Sid: "ProtectLandingZoneAccountSettings",
          Effect: "Deny",
          Action: ["ec2:DisableEbsEncryptionByDefault", "s3:PutAccountPublicAccessBlock"],
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
    case "protect-log-archive": {
      if (!ctx.trailBucketName)
        throw new Error("protect-log-archive needs the trail bucket's name");
      const bucket = bucketArn(ctx.trailBucketName);
      return doc(
        {
          // Bucket-level deletes are authorized as the matching Put (DeleteBucketPolicy excepted).
          Sid: "ProtectTrailBucket",
          Effect: "Deny",
          Action: [
            "s3:DeleteBucket",
            "s3:DeleteBucketPolicy",
            "s3:PutBucketAcl",
            "s3:PutBucketObjectLockConfiguration",
            "s3:PutBucketOwnershipControls",
            "s3:PutBucketPolicy",
            "s3:PutBucketPublicAccessBlock",
            "s3:PutBucketVersioning",
            "s3:PutEncryptionConfiguration",
            "s3:PutLifecycleConfiguration",
            "s3:PutReplicationConfiguration",
          ],
          Resource: [bucket],
          Condition: sparePlatformRole,
        },
        {
          // The trail's AWSLogs/ and Config's config/ prefix. CloudTrail and Config write as service
          // principals, which SCPs do not restrict; no person overwrites or deletes a log version.
          Sid: "ProtectTrailObjects",
          Effect: "Deny",
          Action: ["s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObject", "s3:PutObjectAcl"],
          Resource: [`${bucket}/*`],
          Condition: sparePlatformRole,
        },
        ...protectKeys,
      );
    }
    case "protect-observability":
      return doc(
        {
          // The central alarm topics and their subscriptions (arn:...:lz-alarms-critical:<id>).
          Sid: "ProtectAlarmTopics",
          Effect: "Deny",
          Action: [
            "sns:AddPermission",
            "sns:DeleteTopic",
            "sns:PutDataProtectionPolicy",
            "sns:RemovePermission",
            "sns:SetSubscriptionAttributes",
            "sns:SetTopicAttributes",
            "sns:Unsubscribe",
          ],
          Resource: [arn("sns", "*", "*", `${LZ_PREFIX}*`)],
          Condition: sparePlatformRole,
        },
        ...protectKeys,
      );
    case "protect-security-tooling":
      return doc(
        {
          // The delegated administrator's side: what reaches every member and what aggregates.
          Sid: "ProtectSecurityAdministration",
          Effect: "Deny",
          Action: [
            "config:DeleteConfigurationAggregator",
            "config:PutConfigurationAggregator",
            "guardduty:DeleteMembers",
            "guardduty:DisassociateMembers",
            "guardduty:StopMonitoringMembers",
            "guardduty:UpdateMemberDetectors",
            "guardduty:UpdateOrganizationConfiguration",
            "inspector2:DisassociateMember",
            "inspector2:UpdateOrganizationConfiguration",
            "securityhub:BatchDisableStandards",
            "securityhub:DeleteConfigurationPolicy",
            "securityhub:DeleteFindingAggregator",
            "securityhub:DeleteMembers",
            "securityhub:DisassociateMembers",
            "securityhub:StartConfigurationPolicyAssociation",
            "securityhub:StartConfigurationPolicyDisassociation",
            "securityhub:UpdateConfigurationPolicy",
            "securityhub:UpdateFindingAggregator",
            "securityhub:UpdateOrganizationConfiguration",
          ],
          Resource: "*",
          Condition: sparePlatformRole,
        },
        {
          Sid: "ProtectAccessAnalyzers",
          Effect: "Deny",
          Action: ["access-analyzer:DeleteAnalyzer", "access-analyzer:UpdateAnalyzer"],
          Resource: [arn("access-analyzer", "*", "*", `analyzer/${LZ_PREFIX}*`)],
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

/** AWS Organizations limits on a policy document, minified, by policy type. */
export const SCP_MAX_CHARS = 5120;
export const RCP_MAX_CHARS = 5120;
export const DECLARATIVE_POLICY_MAX_CHARS = 10_000;
export const AI_OPT_OUT_POLICY_MAX_CHARS = 2500;

export interface GrammarProblem {
  path: string;
  message: string;
  got?: unknown;
}

const STATEMENT_KEYS: Record<PolicyKind, Set<string>> = {
  scp: new Set(["Sid", "Effect", "Action", "NotAction", "Resource", "NotResource", "Condition"]),
  identity: new Set([
    "Sid",
    "Effect",
    "Action",
    "NotAction",
    "Resource",
    "NotResource",
    "Condition",
  ]),
  // RCP syntax (AWS Organizations User Guide): Principal is required, NotAction and NotPrincipal
  // are not supported.
  rcp: new Set(["Sid", "Effect", "Principal", "Action", "Resource", "NotResource", "Condition"]),
};
const ACTION = /^(\*|[a-z0-9-]+:[A-Za-z0-9*?]+)$/;

/** An SCP, an identity policy (a permission set's inline policy) or an RCP. */
export type PolicyKind = "scp" | "identity" | "rcp";

const NOT_ALLOWED: Record<PolicyKind, string> = {
  scp: "not allowed in an SCP statement (Principal is not supported)",
  identity: "not allowed in an identity policy statement (Principal is not supported)",
  rcp: "not allowed in an RCP statement (RCPs support Principal, Action, Resource/NotResource and Condition; no NotAction or NotPrincipal)",
};

/** Checks a policy against the IAM policy grammar as AWS accepts it for its kind. */
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
      if (!STATEMENT_KEYS[kind].has(key)) {
        out.push({ path: `${at}.${key}`, message: NOT_ALLOWED[kind] });
      }
    }
    if (kind === "rcp") out.push(...checkRcpStatement(st, at));
    else if (st.Effect !== "Allow" && st.Effect !== "Deny") {
      out.push({ path: `${at}.Effect`, message: "must be Allow or Deny", got: st.Effect });
    }
    if (kind === "rcp") {
      if (st.Action === undefined) out.push({ path: at, message: "needs Action" });
    } else if ((st.Action === undefined) === (st.NotAction === undefined)) {
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
        } else if (kind === "rcp" && a !== "*" && !RCP_SERVICES.includes(a.split(":")[0])) {
          out.push({
            path: `${at}.${key}[${j}]`,
            message: `RCPs apply only to the resources of ${RCP_SERVICES.join(", ")}`,
            got: a,
          });
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

/** An RCP only denies, and to everyone: AWS reserves Allow for its own RCPFullAWSAccess. */
function checkRcpStatement(st: Record<string, unknown>, at: string): GrammarProblem[] {
  const out: GrammarProblem[] = [];
  if (st.Effect !== "Deny") {
    out.push({
      path: `${at}.Effect`,
      message:
        "must be Deny: an RCP only denies (Allow is reserved for the AWS-managed RCPFullAWSAccess)",
      got: st.Effect,
    });
  }
  if (st.Principal !== "*") {
    out.push({
      path: `${at}.Principal`,
      message:
        'must be "*" in an RCP; narrow who is denied with conditions (aws:PrincipalOrgID, aws:PrincipalAccount)',
      got: st.Principal,
    });
  }
  return out;
}

/** A management policy: settings AWS enforces in every account it reaches, not permissions. */
export interface ManagementPolicy {
  type: "DECLARATIVE_POLICY_EC2" | "AISERVICES_OPT_OUT_POLICY";
  name: string;
  description: string;
  /** Minified JSON, exactly as sent to AWS. */
  content: string;
  targets: string[];
  /** AWS Organizations' limit on the document's size. */
  maxChars: number;
}

const assign = <T>(value: T) => ({ "@@assign": value });

/** The EC2 declarative policy and the AI-services opt-out policy, where the organization file enables them. */
export function renderManagementPolicies(
  org: Pick<OrganizationFile, "ec2DeclarativePolicy" | "aiServicesOptOut">,
): ManagementPolicy[] {
  const out: ManagementPolicy[] = [];
  const ec2 = org.ec2DeclarativePolicy;
  if (ec2.enabled) {
    out.push({
      type: "DECLARATIVE_POLICY_EC2",
      name: "ec2-baseline",
      description: "IMDSv2, no public AMIs or snapshots, no serial console, in every account",
      content: JSON.stringify({
        ec2_attributes: {
          ...(ec2.exceptionMessage ? { exception_message: assign(ec2.exceptionMessage) } : {}),
          instance_metadata_defaults: {
            http_tokens: assign(ec2.httpTokens),
            http_put_response_hop_limit: assign(String(ec2.httpPutResponseHopLimit)),
            http_endpoint: assign("no_preference"),
            instance_metadata_tags: assign("no_preference"),
          },
          image_block_public_access: { state: assign(ec2.imageBlockPublicAccess) },
          snapshot_block_public_access: { state: assign(ec2.snapshotBlockPublicAccess) },
          serial_console_access: { status: assign(ec2.serialConsoleAccess) },
        },
      }),
      targets: ec2.targets,
      maxChars: DECLARATIVE_POLICY_MAX_CHARS,
    });
  }
  if (org.aiServicesOptOut.enabled) {
    out.push({
      type: "AISERVICES_OPT_OUT_POLICY",
      name: "ai-services-opt-out",
      description: "AWS AI services neither store nor use the organization's content",
      content: JSON.stringify({
        // AWS's example "opt out of all AI services": no account or OU below may opt back in.
        services: {
          "@@operators_allowed_for_child_policies": ["@@none"],
          default: {
            "@@operators_allowed_for_child_policies": ["@@none"],
            opt_out_policy: {
              "@@operators_allowed_for_child_policies": ["@@none"],
              "@@assign": "optOut",
            },
          },
        },
      }),
      targets: org.aiServicesOptOut.targets,
      maxChars: AI_OPT_OUT_POLICY_MAX_CHARS,
    });
  }
  return out;
}

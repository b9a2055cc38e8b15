// The organization's perimeter beyond SCPs: resource control policies (the data perimeter),
// centralized root access, the EC2 declarative policy and the AI-services opt-out policy. Each is on
// by default; the organization stack enables a policy type only where a policy of it exists.
import { z } from "zod";
import { lowerName, positiveInt } from "./common";

/**
 * Where an organization policy attaches: `Root`, an OU path (`Workloads/Prod`) or one account by its
 * stack id (`account:log-archive`), for a policy that protects what only that account holds.
 */
export const policyTarget = z
  .string()
  .regex(
    /^(Root|account:[a-z][a-z0-9]*(-[a-z0-9]+)*|[A-Za-z][A-Za-z0-9]*(\/[A-Za-z][A-Za-z0-9]*)*)$/,
    "must be Root, an OU path like Workloads/Prod, or account:<stack id> like account:log-archive",
  );

export const policyFile = z
  .string()
  .regex(/^[A-Za-z0-9._/-]+\.json$/, "must be a relative path to a .json file");

const resourceControlPolicy = z
  .strictObject({
    name: lowerName("an RCP name", 128).describe("Policy name in AWS Organizations"),
    description: z
      .string()
      .max(512)
      .default("")
      .describe("Policy description in AWS Organizations"),
    file: policyFile.describe("The RCP document in a JSON file, relative to accounts/"),
    targets: z
      .array(policyTarget)
      .min(1)
      .describe("Where the policy attaches: Root, OU paths or account:<stack id>"),
  })
  .describe("One RCP, read from its file");

export const resourceControlPolicies = z
  .strictObject({
    maxPerTarget: positiveInt(10)
      .default(5)
      .describe(
        "RCPs allowed per target, counting the AWS-managed RCPFullAWSAccess (AWS quota: 5)",
      ),
    policies: z
      .array(resourceControlPolicy)
      .default([])
      .describe(
        "The RCPs and where they attach; RESOURCE_CONTROL_POLICY is enabled only when there is one",
      ),
  })
  .prefault({})
  .describe(
    "Resource control policies: the data perimeter around the organization's S3, STS, KMS, SQS and Secrets Manager resources (docs/security.md)",
  );

export const centralizedRootAccess = z
  .strictObject({
    rootCredentialsManagement: z
      .boolean()
      .default(true)
      .describe(
        "The management account may delete, audit and recover member accounts' root credentials (RootCredentialsManagement)",
      ),
    rootSessions: z
      .boolean()
      .default(true)
      .describe(
        "The management account may open a short, task-scoped privileged root session in a member account (RootSessions, sts:AssumeRoot)",
      ),
  })
  .prefault({})
  .describe(
    "Centralized root access for member accounts: trusted access for iam.amazonaws.com and aws_iam_organizations_features, when either feature is on",
  );

export const ec2DeclarativePolicy = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Attach the EC2 declarative policy (DECLARATIVE_POLICY_EC2)"),
    targets: z
      .array(policyTarget)
      .min(1)
      .default(["Root"])
      .describe("Where the policy attaches: Root, OU paths or account:<stack id>"),
    httpTokens: z
      .enum(["required", "optional", "no_preference"])
      .default("required")
      .describe("Instance metadata default: required means IMDSv2 only"),
    httpPutResponseHopLimit: z
      .number()
      .int()
      .min(-1)
      .max(64)
      .default(2)
      .describe(
        "Instance metadata default hop limit (-1 for no preference; 2 lets containers reach IMDSv2)",
      ),
    imageBlockPublicAccess: z
      .enum(["block_new_sharing", "unblocked"])
      .default("block_new_sharing")
      .describe("Whether AMIs may be shared publicly"),
    snapshotBlockPublicAccess: z
      .enum(["block_all_sharing", "block_new_sharing", "unblocked"])
      .default("block_all_sharing")
      .describe("Whether EBS snapshots may be shared publicly"),
    serialConsoleAccess: z
      .enum(["disabled", "enabled"])
      .default("disabled")
      .describe("Whether the EC2 serial console may be used"),
    exceptionMessage: z
      .string()
      .trim()
      .min(1)
      .max(1024)
      .optional()
      .describe(
        "The message people see when the policy refuses a change, e.g. a link to your docs",
      ),
  })
  .prefault({})
  .describe(
    "The EC2 declarative policy: account-level EC2 settings every account keeps, whatever its administrators do",
  );

export const aiServicesOptOut = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe(
        "Attach an AI-services opt-out policy (AISERVICES_OPT_OUT_POLICY): AWS AI services do not store or use content for service improvement",
      ),
    targets: z
      .array(policyTarget)
      .min(1)
      .default(["Root"])
      .describe("Where the policy attaches: Root, OU paths or account:<stack id>"),
  })
  .prefault({})
  .describe("Opting the organization out of AI services' use of its content");

export const securityServices = z
  .strictObject({
    inspector: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "Amazon Inspector, administered by the security account: Lambda standard and Lambda code scanning in every account and allowed region",
          ),
      })
      .prefault({})
      .describe("Amazon Inspector"),
    unusedAccessAnalyzer: z
      .strictObject({
        enabled: z
          .boolean()
          .default(true)
          .describe(
            "An ORGANIZATION_UNUSED_ACCESS analyzer in the home region of the security account",
          ),
        unusedAccessAgeDays: z
          .number()
          .int()
          .min(1)
          .max(365)
          .default(90)
          .describe(
            "Access unused for this many days is a finding (IAM Access Analyzer allows 1 to 365)",
          ),
      })
      .prefault({})
      .describe("IAM Access Analyzer's unused-access analyzer for the whole organization"),
  })
  .prefault({})
  .describe("Security services beyond GuardDuty, Security Hub and Config (docs/security.md)");

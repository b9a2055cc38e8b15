// The landing zone's own cross-account requests, as an organization policy sees them: who calls which
// action on which resource, with the condition keys AWS puts in the request. Validation holds every
// RCP to them (config/validators/rcps.ts) and the tests hold the synthesized policies to them, so a
// data perimeter that would cut CloudTrail, Config, the alarms or Terraform itself off fails at
// validate, not in production.
import { arn, bucketArn, roleArn } from "./partition";
import {
  ALARM_SEVERITIES,
  alarmTopicName,
  CONFIG_DELIVERY_PREFIX,
  SECURITY_FINDINGS_ROLE_NAME,
  trailArn,
} from "./names";
import { LZ_PREFIX } from "./prefix";
import { allAccounts, policyTargetsOf, ROOT_TARGET, type Account, type LandingZone } from "./model";
import type { ContextValue, PolicyRequest } from "./validators/scp-safety";

/**
 * The organization id requests carry when config does not know it (a new organization gets its id
 * when it is created). A policy that names the organization as `${aws:ResourceOrgID}` reads the same
 * either way; one that hard-codes an id is held to `existingOrganization.organizationId`.
 */
export const SYMBOLIC_ORGANIZATION_ID = "o-thisorganization";

export interface Flow {
  /** What the landing zone does, the same for every account it is done for. */
  kind: string;
  /** Whom for, e.g. the account whose Config delivers. */
  detail: string;
  /**
   * The policy targets that reach the resource's account (config/model.ts policyTargetsOf); none for
   * the management account, which organization policies do not restrict.
   */
  resourceTargets: string[];
  /** The stack id of the account that holds the resource; none for the management account. */
  resourceAccount?: string;
  request: PolicyRequest;
}

/** Account ids for the flows: recorded ids, else stable placeholders (12 digits, unique). */
function accountIds(lz: LandingZone): (a: Account | undefined) => string {
  const ids = new Map(
    allAccounts(lz).map((a, i) => [a.stackId, a.accountId ?? String(100_000_000_000 + i + 1)]),
  );
  return (a) => (a ? ids.get(a.stackId)! : lz.org.managementAccountId);
}

export function landingZoneFlows(lz: LandingZone): Flow[] {
  const org = lz.org.existingOrganization?.organizationId ?? SYMBOLIC_ORGANIZATION_ID;
  const idOf = accountIds(lz);
  const { logArchive, security, observability } = lz.coreAccounts;
  const home = lz.org.homeRegion;
  const bucket = bucketArn(lz.trailBucketName);
  const flows: Flow[] = [];

  const resourceKeys = (account: Account | undefined): Record<string, ContextValue> => ({
    "aws:ResourceOrgID": org,
    "aws:ResourceAccount": idOf(account),
    "aws:SecureTransport": true,
  });
  /** A request by an IAM principal of the organization. */
  const byPrincipal = (
    principalArn: string,
    principalAccount: string,
    account: Account | undefined,
  ): Record<string, ContextValue> => ({
    ...resourceKeys(account),
    "aws:PrincipalArn": principalArn,
    "aws:PrincipalAccount": principalAccount,
    "aws:PrincipalOrgID": org,
    "aws:PrincipalIsAWSService": false,
  });
  /** A request by an AWS service acting for a resource of `sourceAccount`. */
  const byService = (
    service: string,
    sourceAccount: string,
    sourceArn: string,
    account: Account | undefined,
  ): Record<string, ContextValue> => ({
    ...resourceKeys(account),
    "aws:PrincipalIsAWSService": true,
    "aws:PrincipalServiceName": service,
    "aws:SourceAccount": sourceAccount,
    "aws:SourceArn": sourceArn,
    "aws:SourceOrgID": org,
  });
  const add = (
    kind: string,
    detail: string,
    account: Account | undefined,
    req: PolicyRequest,
    targets = account ? policyTargetsOf(account) : [],
  ) =>
    flows.push({
      kind,
      detail,
      resourceTargets: targets,
      resourceAccount: account?.stackId,
      request: req,
    });

  // CloudTrail: the organization trail of the management account writes to the log archive.
  const trail = trailArn(lz);
  const fromTrail = byService(
    "cloudtrail.amazonaws.com",
    lz.org.managementAccountId,
    trail,
    logArchive,
  );
  const trailObject = `${bucket}/AWSLogs/${org}/${lz.org.managementAccountId}/CloudTrail/${home}/log.json.gz`;
  const trailKey = arn("kms", home, idOf(logArchive), "key/trail");
  add("CloudTrail checks the log archive bucket's ACL", "organization trail", logArchive, {
    action: "s3:GetBucketAcl",
    resource: bucket,
    context: fromTrail,
  });
  add("CloudTrail writes the trail to the log archive bucket", "organization trail", logArchive, {
    action: "s3:PutObject",
    resource: trailObject,
    context: fromTrail,
  });
  add("CloudTrail encrypts the trail with the log archive key", "organization trail", logArchive, {
    action: "kms:GenerateDataKey",
    resource: trailKey,
    context: fromTrail,
  });

  // AWS Config of every account delivers to the log archive, under its prefix.
  const recorded: (Account | undefined)[] = [
    ...(lz.org.existingOrganization?.managementConfigRecorder === "existing" ? [] : [undefined]),
    ...allAccounts(lz).filter((a) => a.status === "active" && a.configRecorder === "landing-zone"),
  ];
  for (const account of recorded) {
    const id = idOf(account);
    const who = account?.stackId ?? "organization-trail (management account)";
    const fromConfig = byService(
      "config.amazonaws.com",
      id,
      arn("config", home, id, "config-recorder/default"),
      logArchive,
    );
    const object = `${bucket}/${CONFIG_DELIVERY_PREFIX}/AWSLogs/${id}/Config/${home}/snapshot.json.gz`;
    for (const [action, resource] of [
      ["s3:GetBucketAcl", bucket],
      ["s3:ListBucket", bucket],
      ["s3:PutObject", object],
      ["kms:GenerateDataKey", trailKey],
    ]) {
      add("AWS Config delivers to the log archive bucket", who, logArchive, {
        action,
        resource,
        context: fromConfig,
      });
    }
  }

  // Alarms of every active account notify the central topics, which the topic key encrypts.
  const topicKey = (region: string) => arn("kms", region, idOf(observability), "key/topics");
  // A map, not a search per account: at 1,000 teams a search made validation quadratic (~0.5 s).
  const regionOf = new Map(
    lz.teams.flatMap((t) => t.environments).map((e) => [e.account, e.region]),
  );
  for (const account of allAccounts(lz).filter((a) => a.status === "active")) {
    const region = regionOf.get(account) ?? home;
    const id = idOf(account);
    const fromAlarm = byService(
      "cloudwatch.amazonaws.com",
      id,
      arn("cloudwatch", region, id, `alarm:${LZ_PREFIX}${account.stackId}-quota`),
      observability,
    );
    for (const severity of ALARM_SEVERITIES) {
      add("CloudWatch alarms publish to the central topics", account.stackId, observability, {
        action: "sns:Publish",
        resource: arn("sns", region, idOf(observability), alarmTopicName(severity)),
        context: fromAlarm,
      });
    }
    add("CloudWatch alarms encrypt with the topics' key", account.stackId, observability, {
      action: "kms:GenerateDataKey",
      resource: topicKey(region),
      context: fromAlarm,
    });
    if (account.kind === "team") {
      add("Team accounts link to the observability sink", account.stackId, observability, {
        action: "oam:CreateLink",
        resource: arn("oam", region, idOf(observability), "sink/observability"),
        context: byPrincipal(roleArn(id, lz.org.platformRoleName), id, observability),
      });
      add("Team budgets are kept in the team account", account.stackId, account, {
        action: "budgets:ModifyBudget",
        resource: arn("budgets", "", id, `budget/${LZ_PREFIX}${account.stackId}-monthly`),
        context: byPrincipal(roleArn(id, lz.org.platformRoleName), id, account),
      });
    }
  }

  // The security account's findings role encrypts for, and publishes to, the critical topics.
  const findingsRole = roleArn(idOf(security), SECURITY_FINDINGS_ROLE_NAME);
  for (const region of lz.org.allowedRegions) {
    add("Security findings encrypt with the topics' key", region, observability, {
      action: "kms:GenerateDataKey",
      resource: topicKey(region),
      context: byPrincipal(findingsRole, idOf(security), observability),
    });
  }
  add("EventBridge assumes the findings role", security.stackId, security, {
    action: "sts:AssumeRole",
    resource: findingsRole,
    context: byService(
      "events.amazonaws.com",
      idOf(security),
      arn("events", home, idOf(security), `rule/${LZ_PREFIX}guardduty-high-severity`),
      security,
    ),
  });
  add("AWS Config assumes the aggregator role", security.stackId, security, {
    action: "sts:AssumeRole",
    resource: roleArn(idOf(security), `${LZ_PREFIX}config-aggregator`),
    context: byService(
      "config.amazonaws.com",
      idOf(security),
      arn("config", home, idOf(security), "config-aggregator/organization"),
      security,
    ),
  });

  // Terraform, from the management account, assumes the platform role into every member account
  // and manages what it finds there.
  const deployer = roleArn(lz.org.managementAccountId, "landing-zone-deployer");
  for (const account of allAccounts(lz).filter((a) => a.status === "active")) {
    const platformRole = roleArn(idOf(account), lz.org.platformRoleName);
    add("Terraform assumes the platform role", account.stackId, account, {
      action: "sts:AssumeRole",
      resource: platformRole,
      context: byPrincipal(deployer, lz.org.managementAccountId, account),
    });
  }
  add("The platform role manages the log archive bucket", logArchive.stackId, logArchive, {
    action: "s3:PutBucketPolicy",
    resource: bucket,
    context: byPrincipal(
      roleArn(idOf(logArchive), lz.org.platformRoleName),
      idOf(logArchive),
      logArchive,
    ),
  });

  // The Terraform state bucket: in the management account (which RCPs do not reach) unless the
  // backend assumes a role into another account.
  const backend = lz.org.stateBackend;
  if (backend.type === "s3") {
    const roleAccount = backend.roleArn?.split(":")[4];
    const account = allAccounts(lz).find((a) => roleAccount && idOf(a) === roleAccount);
    // An account the landing zone does not manage is still in the organization, under the root.
    const targets = account
      ? policyTargetsOf(account)
      : roleAccount && roleAccount !== lz.org.managementAccountId
        ? [ROOT_TARGET]
        : [];
    const principal = backend.roleArn ?? deployer;
    const principalAccount = roleAccount ?? lz.org.managementAccountId;
    const stateBucket = bucketArn(backend.bucket);
    for (const [action, resource] of [
      ["s3:ListBucket", stateBucket],
      ["s3:GetObject", `${stateBucket}/${backend.keyPrefix}/organization/terraform.tfstate`],
      ["s3:PutObject", `${stateBucket}/${backend.keyPrefix}/organization/terraform.tfstate`],
      [
        "s3:DeleteObject",
        `${stateBucket}/${backend.keyPrefix}/organization/terraform.tfstate.tflock`,
      ],
    ]) {
      add(
        "Terraform reads and writes the state bucket",
        backend.bucket,
        account,
        { action, resource, context: byPrincipal(principal, principalAccount, account) },
        targets,
      );
    }
  }
  return flows;
}

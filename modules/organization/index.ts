// The organization itself, its OU tree, every account and the SCPs, in the management account.
// Accounts are never destroyed by accident: prevent_destroy, close_on_deletion off, and the attributes
// AWS does not read back are ignored so plans stay quiet.
import { Construct } from "constructs";
import { Token } from "cdktf";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { OrganizationsOrganization } from "@cdktf/provider-aws/lib/organizations-organization";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { OrganizationsAccount } from "@cdktf/provider-aws/lib/organizations-account";
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import type { Account, OrganizationalUnit, ServiceControlPolicy } from "../../config/model";
import { distinctIds } from "../construct-ids";

export const POLICY_TYPES = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"];

export const SERVICE_ACCESS_PRINCIPALS = [
  "access-analyzer.amazonaws.com",
  "cloudtrail.amazonaws.com",
  "config-multiaccountsetup.amazonaws.com",
  "config.amazonaws.com",
  "guardduty.amazonaws.com",
  "member.org.stacksets.cloudformation.amazonaws.com",
  "securityhub.amazonaws.com",
  "servicequotas.amazonaws.com",
  "sso.amazonaws.com",
  "tagpolicies.tag.amazonaws.com",
];

/** Construct ids from OU paths and names: `Workloads/Prod` → `ou-workloads-prod`. */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** An account as the organization manages it. */
export type OrganizationAccount = Pick<
  Account,
  "stackId" | "name" | "email" | "ou" | "accountId" | "status"
>;

export interface OrganizationProps {
  /** An organization that already exists: adopted with import blocks instead of created. */
  existing?: { organizationId: string; organizationalUnitIds: Record<string, string> };
  /** Parents before children (a child's `parent` is the path of an OU earlier in the list). */
  organizationalUnits: OrganizationalUnit[];
  /** Core accounts first, then team accounts; each `ou` is a path of `organizationalUnits`. */
  accounts: OrganizationAccount[];
  /** The role Organizations creates in each new account, which every stack assumes. */
  platformRoleName: string;
  /** Targets are `Root` or OU paths. */
  serviceControlPolicies: Pick<
    ServiceControlPolicy,
    "name" | "description" | "content" | "targets"
  >[];
  /** Tag keys whose capitalisation the tag policy fixes. */
  mandatoryTagKeys: string[];
}

export class Organization extends Construct {
  readonly organization: OrganizationsOrganization;
  /** The root's id (a Terraform reference): the target of organization-wide policies. */
  readonly rootId: string;
  /** OU id by path, `Workloads/Prod`. */
  readonly ouIds = new Map<string, string>();
  /** Account resource by stack id, `team-payments-prod`. */
  readonly accounts = new Map<string, OrganizationsAccount>();
  /** SCP resource by policy name. */
  readonly serviceControlPolicies = new Map<string, OrganizationsPolicy>();
  readonly tagPolicy: OrganizationsPolicy;

  constructor(scope: Construct, id: string, props: OrganizationProps) {
    super(scope, id);
    const existing = props.existing;

    this.organization = new OrganizationsOrganization(this, "organization", {
      featureSet: "ALL",
      ...(existing
        ? this.mergedWithExisting()
        : {
            awsServiceAccessPrincipals: SERVICE_ACCESS_PRINCIPALS,
            enabledPolicyTypes: POLICY_TYPES,
          }),
      lifecycle: { preventDestroy: true },
    });
    if (existing) this.organization.importFrom(existing.organizationId);
    this.rootId = this.organization.roots.get(0).id;

    // Workloads/Prod and WorkloadsProd read alike once lowercased; `~` is in no OU name.
    const ouIds = distinctIds(
      props.organizationalUnits.map((ou) => ou.path),
      (path) => `ou-${slug(path)}`,
      (path) => `ou~${path.replaceAll("/", "~")}`,
    );
    for (const ou of props.organizationalUnits) {
      const resource = new OrganizationsOrganizationalUnit(this, ouIds.get(ou.path)!, {
        name: ou.name,
        parentId: ou.parent ? this.ouIds.get(ou.parent)! : this.rootId,
        lifecycle: { preventDestroy: true },
      });
      const importId = existing?.organizationalUnitIds[ou.path];
      if (importId) resource.importFrom(importId);
      this.ouIds.set(ou.path, resource.id);
    }

    for (const account of props.accounts) this.account(account, props.platformRoleName);

    // Policy x-to-b on Root and policy x on B/To/Root read alike; `~` is in no name or OU path.
    // Items are `<policy> <target>`: neither a policy name nor a target has a space.
    const attachmentIds = distinctIds(
      props.serviceControlPolicies.flatMap((p) => p.targets.map((t) => `${p.name} ${t}`)),
      (item) => `scp-${item.split(" ")[0]}-to-${slug(item.split(" ")[1])}`,
      (item) => `scp~${item.split(" ")[0]}~${item.split(" ")[1].replaceAll("/", "~")}`,
    );
    for (const policy of props.serviceControlPolicies) {
      const resource = new OrganizationsPolicy(this, `scp-${policy.name}`, {
        name: policy.name,
        description: policy.description,
        type: "SERVICE_CONTROL_POLICY",
        content: policy.content,
        // Policies cannot exist before the organization (AWSOrganizationsNotInUseException).
        dependsOn: [this.organization],
      });
      this.serviceControlPolicies.set(policy.name, resource);
      for (const target of [...policy.targets].sort()) {
        new OrganizationsPolicyAttachment(this, attachmentIds.get(`${policy.name} ${target}`)!, {
          policyId: resource.id,
          targetId: target === "Root" ? this.rootId : this.ouIds.get(target)!,
        });
      }
    }

    // Tag keys spelled one way everywhere: the tag policy fixes their capitalisation.
    this.tagPolicy = new OrganizationsPolicy(this, "tag-policy-mandatory-keys", {
      name: "mandatory-tag-keys",
      description: "Mandatory tag keys of the landing zone, with their exact capitalisation",
      type: "TAG_POLICY",
      content: JSON.stringify({
        tags: Object.fromEntries(
          [...props.mandatoryTagKeys].sort().map((k) => [k, { tag_key: { "@@assign": k } }]),
        ),
      }),
      dependsOn: [this.organization],
    });
    new OrganizationsPolicyAttachment(this, "tag-policy-mandatory-keys-to-root", {
      policyId: this.tagPolicy.id,
      targetId: this.rootId,
    });
  }

  /**
   * Both lists are authoritative in the provider: on an adopted organization the landing zone's own
   * lists would disable the trusted access and policy types it already uses. Read what is enabled at
   * plan time and add ours, so adopting never turns anything off (and nothing is ever removed).
   */
  private mergedWithExisting() {
    const current = new DataAwsOrganizationsOrganization(this, "existing");
    const ref = `data.${current.terraformResourceType}.${current.friendlyUniqueId}`;
    return {
      awsServiceAccessPrincipals: Token.asList(
        `\${sort(setunion(${ref}.aws_service_access_principals, ${JSON.stringify(SERVICE_ACCESS_PRINCIPALS)}))}`,
      ),
      enabledPolicyTypes: Token.asList(
        `\${sort(setunion([for t in ${ref}.roots[0].policy_types : t.type if t.status == "ENABLED"], ${JSON.stringify(POLICY_TYPES)}))}`,
      ),
    };
  }

  private account(account: OrganizationAccount, platformRoleName: string): void {
    const resource = new OrganizationsAccount(this, `account-${account.stackId}`, {
      name: account.name,
      email: account.email,
      parentId: this.ouIds.get(account.ou)!,
      roleName: platformRoleName,
      iamUserAccessToBilling: "ALLOW",
      // Closing is an explicit lifecycle step (status: closed), never a side effect of a plan.
      closeOnDeletion: account.status === "closed",
      lifecycle: {
        preventDestroy: account.status !== "closed",
        // AWS does not return these after creation; without this every plan shows a change.
        ignoreChanges: ["role_name", "iam_user_access_to_billing"],
      },
    });
    if (account.accountId) resource.importFrom(account.accountId);
    this.accounts.set(account.stackId, resource);
  }
}

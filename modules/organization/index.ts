// The organization itself, its OU tree, every account and the SCPs, in the management account.
// Accounts are never destroyed by accident: prevent_destroy, close_on_deletion off, and the attributes
// AWS does not read back are ignored so plans stay quiet.
import { Construct } from "constructs";
import { TerraformElement, Token } from "cdktf";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import { OrganizationsOrganization } from "@cdktf/provider-aws/lib/organizations-organization";
import { OrganizationsOrganizationalUnit } from "@cdktf/provider-aws/lib/organizations-organizational-unit";
import { OrganizationsAccount } from "@cdktf/provider-aws/lib/organizations-account";
import { OrganizationsPolicy } from "@cdktf/provider-aws/lib/organizations-policy";
import { OrganizationsPolicyAttachment } from "@cdktf/provider-aws/lib/organizations-policy-attachment";
import { IamOrganizationsFeatures } from "@cdktf/provider-aws/lib/iam-organizations-features";
import { AccountRegion } from "@cdktf/provider-aws/lib/account-region";
import {
  ACCOUNT_TARGET_PREFIX,
  ROOT_TARGET,
  type Account,
  type OrganizationalUnit,
  type OrganizationPolicy,
} from "../../config/model";
import type { ManagementPolicy } from "../../config/policies";
import { distinctIds } from "../construct-ids";

/** Policy types the organization always uses: its SCPs and the tag policy. */
export const POLICY_TYPES = ["SERVICE_CONTROL_POLICY", "TAG_POLICY"];

/** Trusted access every organization of the landing zone needs. */
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

/** Construct id prefixes of the management policies, like `scp-` and `rcp-`. */
const MANAGEMENT_POLICY_IDS: Record<ManagementPolicy["type"], string> = {
  DECLARATIVE_POLICY_EC2: "declarative",
  AISERVICES_OPT_OUT_POLICY: "ai-opt-out",
};

/** Trusted access for centralized root access (IAM) and for Amazon Inspector's administrator. */
export const IAM_SERVICE_PRINCIPAL = "iam.amazonaws.com";
export const INSPECTOR_SERVICE_PRINCIPAL = "inspector2.amazonaws.com";
/** Trusted access for AWS Account Management: the management account enables member regions. */
export const ACCOUNT_SERVICE_PRINCIPAL = "account.amazonaws.com";

/**
 * A policy document as Terraform must receive it: `${...}` and `%{...}` would be read as Terraform
 * interpolation and template directives, while in a policy they are IAM policy variables
 * (`${aws:ResourceOrgID}`), so they are escaped and reach AWS as written.
 */
export const terraformLiteral = (text: string) =>
  // A replacer function: in a replacement string, `$$` would itself stand for one `$`.
  text.replaceAll("${", () => "$${").replaceAll("%{", () => "%%{");

/** Construct ids from OU paths and names: `Workloads/Prod` → `ou-workloads-prod`. */
export const slug = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");

/** An account as the organization manages it, with the opt-in regions enabled for it. */
export type OrganizationAccount = Pick<
  Account,
  "stackId" | "name" | "email" | "ou" | "accountId" | "status"
> & { settings?: Pick<Account["settings"], "optInRegions"> };

export interface OrganizationProps {
  /** An organization that already exists: adopted with import blocks instead of created. */
  existing?: { organizationId: string; organizationalUnitIds: Record<string, string> };
  /** Parents before children (a child's `parent` is the path of an OU earlier in the list). */
  organizationalUnits: OrganizationalUnit[];
  /** Core accounts first, then team accounts; each `ou` is a path of `organizationalUnits`. */
  accounts: OrganizationAccount[];
  /** The role Organizations creates in each new account, which every stack assumes. */
  platformRoleName: string;
  /** Targets are `Root`, OU paths or `account:<stack id>`. */
  serviceControlPolicies: Pick<
    OrganizationPolicy,
    "name" | "description" | "content" | "targets"
  >[];
  /** Resource control policies; RESOURCE_CONTROL_POLICY is enabled only when there is one. */
  resourceControlPolicies?: Pick<
    OrganizationPolicy,
    "name" | "description" | "content" | "targets"
  >[];
  /** The EC2 declarative and AI-services opt-out policies; each type enabled only when used. */
  managementPolicies?: Pick<
    ManagementPolicy,
    "type" | "name" | "description" | "content" | "targets"
  >[];
  /** Centralized root access features (RootCredentialsManagement, RootSessions); none: off. */
  rootAccessFeatures?: string[];
  /** Trusted access beyond SERVICE_ACCESS_PRINCIPALS (Inspector's, when it runs). */
  extraServicePrincipals?: string[];
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
  /** RCP resource by policy name. */
  readonly resourceControlPolicies = new Map<string, OrganizationsPolicy>();
  readonly tagPolicy: OrganizationsPolicy;
  /** Centralized root access, when any feature is on. */
  readonly rootAccess?: IamOrganizationsFeatures;
  /** The organization as it is at plan time, when it exists before the plan (adopted). */
  private current?: DataAwsOrganizationsOrganization;

  constructor(scope: Construct, id: string, props: OrganizationProps) {
    super(scope, id);
    const existing = props.existing;
    const rcps = props.resourceControlPolicies ?? [];
    const managementPolicies = props.managementPolicies ?? [];
    const rootAccessFeatures = props.rootAccessFeatures ?? [];
    // Each policy type and trusted access only where something uses it.
    const policyTypes = [
      ...POLICY_TYPES,
      ...(rcps.length > 0 ? ["RESOURCE_CONTROL_POLICY"] : []),
      ...new Set(managementPolicies.map((p) => p.type)),
    ].sort();
    const principals = [
      ...SERVICE_ACCESS_PRINCIPALS,
      ...(rootAccessFeatures.length > 0 ? [IAM_SERVICE_PRINCIPAL] : []),
      ...(props.accounts.some((a) => (a.settings?.optInRegions ?? []).length > 0)
        ? [ACCOUNT_SERVICE_PRINCIPAL]
        : []),
      ...(props.extraServicePrincipals ?? []),
    ].sort();

    this.organization = new OrganizationsOrganization(this, "organization", {
      featureSet: "ALL",
      ...(existing
        ? this.mergedWithExisting(principals, policyTypes)
        : {
            awsServiceAccessPrincipals: principals,
            enabledPolicyTypes: policyTypes,
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
    // An organization that exists before the plan (adopted, or holding an account the configuration
    // records) can be read at plan time; one this stack creates cannot, so only then.
    if (existing || props.accounts.some((a) => a.accountId)) this.adoptByEmail(props.accounts);

    const policies = [
      ...props.serviceControlPolicies.map((p) => ({
        kind: "scp",
        type: "SERVICE_CONTROL_POLICY",
        policy: p,
      })),
      ...rcps.map((p) => ({ kind: "rcp", type: "RESOURCE_CONTROL_POLICY", policy: p })),
      ...managementPolicies.map((p) => ({
        kind: MANAGEMENT_POLICY_IDS[p.type],
        type: p.type,
        policy: p,
      })),
    ];
    // Policy x-to-b on Root and policy x on B/To/Root read alike, and so do account:team-a-b and
    // an OU Account/Team/A/B; `~` is in no name, OU path or stack id. Items are
    // `<kind>~<policy> <target>`: neither a policy name nor a target has a space.
    const attachmentIds = distinctIds(
      policies.flatMap(({ kind, policy }) =>
        policy.targets.map((t) => `${kind}~${policy.name} ${t}`),
      ),
      (item) => `${item.split(" ")[0].replace("~", "-")}-to-${slug(item.split(" ")[1])}`,
      (item) => `${item.split(" ")[0]}~${item.split(" ")[1].replaceAll("/", "~")}`,
    );
    for (const { kind, type, policy } of policies) {
      const resource = this.policy(`${kind}-${policy.name}`, type, policy, (target) =>
        attachmentIds.get(`${kind}~${policy.name} ${target}`)!,
      );
      if (kind === "scp") this.serviceControlPolicies.set(policy.name, resource);
      if (kind === "rcp") this.resourceControlPolicies.set(policy.name, resource);
    }

    // Member accounts' root credentials are managed centrally; needs IAM's trusted access (above).
    if (rootAccessFeatures.length > 0) {
      this.rootAccess = new IamOrganizationsFeatures(this, "root-access", {
        enabledFeatures: [...rootAccessFeatures].sort(),
        dependsOn: [this.organization],
      });
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

  /** One organization policy and its attachments, the root's first, then OUs and accounts. */
  private policy(
    id: string,
    type: string,
    policy: Pick<OrganizationPolicy, "name" | "description" | "content" | "targets">,
    attachmentId: (target: string) => string,
  ): OrganizationsPolicy {
    const resource = new OrganizationsPolicy(this, id, {
      name: policy.name,
      description: policy.description,
      type,
      content: terraformLiteral(policy.content),
      // Policies cannot exist before the organization (AWSOrganizationsNotInUseException).
      dependsOn: [this.organization],
    });
    for (const target of [...policy.targets].sort()) {
      new OrganizationsPolicyAttachment(this, attachmentId(target), {
        policyId: resource.id,
        targetId: this.targetId(target),
      });
    }
    return resource;
  }

  private targetId(target: string): string {
    if (target === ROOT_TARGET) return this.rootId;
    if (target.startsWith(ACCOUNT_TARGET_PREFIX)) {
      return this.accounts.get(target.slice(ACCOUNT_TARGET_PREFIX.length))!.id;
    }
    return this.ouIds.get(target)!;
  }

  /**
   * Both lists are authoritative in the provider: on an adopted organization the landing zone's own
   * lists would disable the trusted access and policy types it already uses. Read what is enabled at
   * plan time and add ours, so adopting never turns anything off (and nothing is ever removed).
   */
  private mergedWithExisting(principals: string[], policyTypes: string[]) {
    const current = new DataAwsOrganizationsOrganization(this, "existing");
    this.current = current;
    const ref = `data.${current.terraformResourceType}.${current.friendlyUniqueId}`;
    return {
      awsServiceAccessPrincipals: Token.asList(
        `\${sort(setunion(${ref}.aws_service_access_principals, ${JSON.stringify(principals)}))}`,
      ),
      enabledPolicyTypes: Token.asList(
        `\${sort(setunion([for t in ${ref}.roots[0].policy_types : t.type if t.status == "ENABLED"], ${JSON.stringify(policyTypes)}))}`,
      ),
    };
  }

  /**
   * An apply killed after CreateAccount succeeded but before Terraform wrote state leaves an account
   * the next apply would create again, and AWS refuses a second account with the same email. Each
   * account without a recorded id gets an import block whose id is looked up by email in the
   * organization's account list at plan time: it imports exactly when an account with that email
   * exists (an import block for an address already in state with the same id is a no-op, and an
   * email not in the list makes zero imports). `for_each` on import blocks needs Terraform 1.7, and
   * cdktf 0.21 models neither it nor a data-derived id, so the blocks are raw JSON.
   */
  private adoptByEmail(accounts: OrganizationAccount[]): void {
    const toAdopt = accounts.filter((a) => !a.accountId);
    if (toAdopt.length === 0) return;
    // An adopted organization is read once, for its lists and its accounts.
    const list = this.current ?? new DataAwsOrganizationsOrganization(this, "accounts-by-email");
    const ref = `data.${list.terraformResourceType}.${list.friendlyUniqueId}.accounts`;
    for (const account of toAdopt) {
      const resource = this.accounts.get(account.stackId)!;
      new ImportBlock(this, `adopt-${account.stackId}`, {
        for_each: `\${{ for a in ${ref} : a.email => a.id if lower(a.email) == ${JSON.stringify(account.email.toLowerCase())} }}`,
        to: `${resource.terraformResourceType}.${resource.friendlyUniqueId}`,
        id: "${each.value}",
      });
    }
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
    // From here, not from the account's own stack: its provider and every regional one need the
    // region enabled before they can do anything there. EnableRegion with an AccountId needs trusted
    // access for Account Management (above); the provider waits until the region is ENABLED, and
    // destroying the resource only forgets it (the region stays enabled).
    for (const region of account.settings?.optInRegions ?? []) {
      new AccountRegion(this, `region-${account.stackId}-${region}`, {
        accountId: resource.id,
        regionName: region,
        enabled: true,
        dependsOn: [this.organization],
      });
    }
  }
}

/**
 * A raw `import` block: the stack concatenates every element's `import` list, so these land beside
 * the ones `importFrom` writes, in construction order.
 */
class ImportBlock extends TerraformElement {
  constructor(
    scope: Construct,
    id: string,
    private readonly block: { for_each: string; to: string; id: string },
  ) {
    super(scope, id);
  }

  override toTerraform(): Record<string, unknown> {
    return { import: [this.block] };
  }
}

// What every stack shares: one AWS account, reached through the platform role (or, for a plan, the
// read-only plan role), tagged by default, with its own state. This and stacks/synth.ts are the only places that know cdktf's backend and
// provider plumbing.
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformLocal, TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider, type AwsProviderConfig } from "@cdktf/provider-aws/lib/provider";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import type { Account, LandingZone } from "../config/model";
import { addGuardrails, recordSynthesized } from "../modules/guardrails";
import { roleArn } from "../config/partition";
import { PlanRole } from "../modules/plan-role";

export interface AccountStackProps {
  lz: LandingZone;
  region: string;
  tags: Record<string, string>;
  /** The member account to assume into; undefined for the management account itself. */
  account?: Account;
}

export const SESSION_NAME = "landing-zone";

/**
 * The Terraform variable naming the role every provider assumes into a member account: the platform
 * role by default (apply), the plan role for `npm run plan -- --role plan` (`-var`). A variable, so
 * the synthesized JSON is the same for both; its validation admits only those two names.
 */
export const ROLE_VARIABLE = "landing_zone_role_name";

/** The management account's pull-request plan role: the one principal the plan roles trust. */
export function planRoleTrustedArn(lz: LandingZone): string {
  return lz.org.planRoleTrustedArn ?? roleArn(lz.org.managementAccountId, "landing-zone-plan");
}

export class AccountStack extends TerraformStack {
  readonly provider: AwsProvider;
  /** This stack's account id: a literal when recorded, else a plan-time expression. */
  readonly accountIdExpression: string;
  private readonly lz: LandingZone;
  private organizationLookup?: DataAwsOrganizationsOrganization;
  private readonly managementProviders = new Map<string, AwsProvider>();
  private readonly regionalProviders = new Map<string, AwsProvider>();
  /** The region of the stack's default provider. */
  readonly region: string;
  private readonly providerConfig: Omit<AwsProviderConfig, "region" | "alias">;
  private readonly accountIdLocals = new Map<string, TerraformLocal>();
  private roleVariable?: TerraformVariable;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    configureBackend(this, id, props.lz);
    const { account, lz } = props;
    this.lz = lz;
    this.accountIdExpression = account ? this.accountIdOf(account) : lz.org.managementAccountId;
    const memberRole = account ? this.memberRoleArn(this.accountIdExpression) : undefined;
    this.region = props.region;
    this.providerConfig = {
      // A recorded id also guards against applying to the wrong account.
      allowedAccountIds: account
        ? account.accountId
          ? [account.accountId]
          : undefined
        : [lz.org.managementAccountId],
      assumeRole: memberRole ? [{ roleArn: memberRole, sessionName: SESSION_NAME }] : undefined,
      defaultTags: [{ tags: props.tags }],
    };
    this.provider = new AwsProvider(this, "aws", { region: props.region, ...this.providerConfig });
    // Every member account gets the plan role from its own stack. A new account's first plan cannot
    // use it yet: the first deployment plans and applies with the platform role (--role apply).
    if (account) {
      new PlanRole(this, "plan-role", {
        name: lz.org.planRoleName,
        trustedArn: planRoleTrustedArn(lz),
      });
    }
    // Every stack is judged by the guardrails during synth (stacks/synth.ts fails on violations).
    addGuardrails(this, {
      mandatoryTags: lz.org.tags.mandatory,
      waivers: lz.org.guardrails.waivers,
    });
  }

  /**
   * cdktf's preparing pass resolves every element of the stack once more before synthesis, only to
   * find references to another stack's resources (which it turns into outputs and remote state).
   * Stacks here never reference each other (they meet through names and plan-time lookups, so each
   * plans on its own), and the pass was a fifth of synth CPU; test/synth-speed.test.ts runs
   * cdktf's own pass over every stack of the example and proves it would add nothing.
   */
  prepareStack(): void {
    this.ensureBackendExists();
  }

  /** What synth writes to cdk.tf.json, handed to the guardrails as well (modules/guardrails). */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  toTerraform(): any {
    const tf = super.toTerraform();
    recordSynthesized(this, tf);
    return tf;
  }

  /**
   * The role a provider assumes into the member account `accountId`: the platform role, or the plan
   * role when the plan passes `-var landing_zone_role_name=<planRoleName>` (cli/plan.ts).
   */
  memberRoleArn(accountId: string): string {
    if (!this.roleVariable) {
      const { platformRoleName, planRoleName } = this.lz.org;
      this.roleVariable = new TerraformVariable(this, ROLE_VARIABLE, {
        type: "string",
        default: platformRoleName,
        description: `The role assumed into member accounts: ${platformRoleName} (the platform role, applies) or ${planRoleName} (read-only, plans)`,
        nullable: false,
        validation: [
          {
            condition: `\${contains(${JSON.stringify([platformRoleName, planRoleName])}, var.${ROLE_VARIABLE})}`,
            errorMessage: `${ROLE_VARIABLE} must be ${platformRoleName} (apply) or ${planRoleName} (plan).`,
          },
        ],
      });
    }
    return roleArn(accountId, `\${var.${ROLE_VARIABLE}}`);
  }

  /**
   * Any account's id without coupling state: the recorded id, or else a lookup by email through the
   * management account at plan time (no remote state, so this stack still plans on its own). The
   * lookup sits in a Terraform local, so the value is quote-free and safe inside JSON policy strings.
   */
  accountIdOf(account: Account): string {
    if (account.accountId) return account.accountId;
    let local = this.accountIdLocals.get(account.stackId);
    if (!local) {
      const org = this.lookupOrganization();
      const ref = `data.${org.terraformResourceType}.${org.friendlyUniqueId}`;
      const email = account.email.toLowerCase();
      local = new TerraformLocal(
        this,
        `account_id_${account.stackId.replace(/-/g, "_")}`,
        `\${one([for a in ${ref}.accounts : a.id if lower(a.email) == "${email}"])}`,
      );
      this.accountIdLocals.set(account.stackId, local);
    }
    return local.asString;
  }

  /**
   * The organization id: from config when adopting an existing organization, else read through the
   * management account at plan time. Quote-free, so it can sit inside a JSON policy string.
   */
  organizationIdExpression(): string {
    const existing = this.lz.org.existingOrganization?.organizationId;
    if (existing) return existing;
    const org = this.lookupOrganization();
    return `\${data.${org.terraformResourceType}.${org.friendlyUniqueId}.id}`;
  }

  /** The organization root's id, read through the management account at plan time. Quote-free. */
  organizationRootIdExpression(): string {
    const org = this.lookupOrganization();
    return `\${data.${org.terraformResourceType}.${org.friendlyUniqueId}.roots[0].id}`;
  }

  private lookupOrganization(): DataAwsOrganizationsOrganization {
    if (!this.organizationLookup) {
      this.organizationLookup = new DataAwsOrganizationsOrganization(this, "organization", {
        provider: this.managementProvider(this.lz.org.homeRegion),
      });
    }
    return this.organizationLookup;
  }

  /**
   * This stack's account in another region, with the same credentials and tags; undefined for the
   * stack's own region, whose provider is the default one.
   */
  providerIn(region: string): AwsProvider | undefined {
    if (region === this.region) return undefined;
    let provider = this.regionalProviders.get(region);
    if (!provider) {
      provider = new AwsProvider(this, `aws-${region}`, {
        alias: region.replaceAll("-", "_"),
        region,
        ...this.providerConfig,
      });
      this.regionalProviders.set(region, provider);
    }
    return provider;
  }

  /**
   * The management account's own credentials in `region` (no role assumed), for what only the
   * management account may do from a member's stack: look up the organization, designate a service's
   * delegated administrator.
   */
  managementProvider(region: string): AwsProvider {
    let provider = this.managementProviders.get(region);
    if (!provider) {
      const home = region === this.lz.org.homeRegion;
      provider = new AwsProvider(this, home ? "management" : `management-${region}`, {
        alias: home ? "management" : `management_${region.replaceAll("-", "_")}`,
        region,
        allowedAccountIds: [this.lz.org.managementAccountId],
      });
      this.managementProviders.set(region, provider);
    }
    return provider;
  }
}

function configureBackend(stack: TerraformStack, id: string, lz: LandingZone): void {
  const backend = lz.org.stateBackend;
  if (backend.type === "local") {
    // Relative to cdktf.out/stacks/<id>, where terraform runs; an absolute path would differ per machine.
    new LocalBackend(stack, { path: `../../../${backend.directory}/${id}.tfstate` });
    return;
  }
  new S3Backend(stack, {
    bucket: backend.bucket,
    key: `${backend.keyPrefix}/${id}/terraform.tfstate`,
    region: backend.region,
    encrypt: true,
    kmsKeyId: backend.kmsKeyId,
    assumeRole: backend.roleArn ? { roleArn: backend.roleArn } : undefined,
  });
  // cdktf 0.21 has no useLockfile option; S3-native locking replaces the DynamoDB lock table.
  stack.addOverride("terraform.backend.s3.use_lockfile", true);
}

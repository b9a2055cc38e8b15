// What every stack shares: one AWS account, reached through the platform role, tagged by default,
// with its own state. This and stacks/synth.ts are the only places that know cdktf's backend and
// provider plumbing.
import { Construct } from "constructs";
import { LocalBackend, S3Backend, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { DataAwsOrganizationsOrganization } from "@cdktf/provider-aws/lib/data-aws-organizations-organization";
import type { Account, LandingZone } from "../config/model";

export interface AccountStackProps {
  lz: LandingZone;
  region: string;
  tags: Record<string, string>;
  /** The member account to assume into; undefined for the management account itself. */
  account?: Account;
}

export const SESSION_NAME = "landing-zone";

export class AccountStack extends TerraformStack {
  readonly provider: AwsProvider;
  /** The account id as a literal when known, else a plan-time expression. */
  readonly accountIdExpression: string;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    configureBackend(this, id, props.lz);
    const { account, lz } = props;
    let roleArn: string | undefined;
    if (!account) {
      this.accountIdExpression = lz.org.managementAccountId;
    } else if (account.accountId) {
      this.accountIdExpression = account.accountId;
      roleArn = `arn:aws:iam::${account.accountId}:role/${lz.org.platformRoleName}`;
    } else {
      // The account id is not recorded yet: look it up by email through the management account at
      // plan time. No remote state, so this stack still plans on its own.
      const management = new AwsProvider(this, "management", {
        alias: "management",
        region: lz.org.homeRegion,
        allowedAccountIds: [lz.org.managementAccountId],
      });
      const org = new DataAwsOrganizationsOrganization(this, "organization", {
        provider: management,
      });
      const ref = `data.${org.terraformResourceType}.${org.friendlyUniqueId}`;
      const email = account.email.toLowerCase();
      this.accountIdExpression = `\${one([for a in ${ref}.accounts : a.id if lower(a.email) == "${email}"])}`;
      roleArn = `arn:aws:iam::${this.accountIdExpression}:role/${lz.org.platformRoleName}`;
    }
    this.provider = new AwsProvider(this, "aws", {
      region: props.region,
      allowedAccountIds: account?.accountId
        ? [account.accountId]
        : account
          ? undefined
          : [lz.org.managementAccountId],
      assumeRole: roleArn ? [{ roleArn, sessionName: SESSION_NAME }] : undefined,
      defaultTags: [{ tags: props.tags }],
    });
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

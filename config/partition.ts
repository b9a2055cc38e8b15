// The AWS partition: the one place an ARN's partition comes from. An organization lives in the
// partition of its home region, every region it uses must be in it, and every ARN the landing zone
// writes or a user writes names it. Only the commercial partition, `aws`, is supported: GovCloud
// and China are separate worlds (GovCloud accounts are created from a commercial organization with
// CreateGovCloudAccount, China accounts need their own organization; Identity Center, cross-account
// observability, Budgets and the price tables differ or are missing), so validation refuses a home
// region there with a message instead of synthesizing SCPs and policies that would not work.

export const PARTITIONS = {
  aws: { name: "AWS commercial", regionPattern: /^(?!us-gov-|cn-)[a-z]{2}-[a-z]+-\d$/ },
  "aws-us-gov": { name: "AWS GovCloud (US)", regionPattern: /^us-gov-[a-z]+-\d$/ },
  "aws-cn": { name: "AWS China", regionPattern: /^cn-[a-z]+-\d$/ },
} as const;
export type Partition = keyof typeof PARTITIONS;
export const PARTITION_IDS = Object.keys(PARTITIONS) as Partition[];

/** The partition the landing zone writes ARNs in; validation refuses an organization elsewhere. */
export const SUPPORTED_PARTITION: Partition = "aws";

/** The partition a region belongs to; undefined for a name no partition has. */
export function partitionOf(region: string): Partition | undefined {
  return PARTITION_IDS.find((p) => PARTITIONS[p].regionPattern.test(region));
}

/** `arn:<partition>:` for a schema pattern: any partition AWS has, none made up. */
export const ARN_PARTITION = `arn:(?:${PARTITION_IDS.join("|")}):`;

/** The partition an ARN a user wrote names (the schema already held it to ARN_PARTITION). */
export function partitionOfArn(arn: string): string {
  return arn.split(":")[1] ?? "";
}

/**
 * Every ARN the landing zone writes: `arn:aws:<service>:<region>:<account>:<resource>`, with the
 * partition filled in here and nowhere else. `region` and `account` are "" where the ARN has none
 * (IAM, AWS managed policies use `aws` as the account) and may be `*` in policy patterns.
 */
export function arn(service: string, region: string, account: string, resource: string): string {
  return `arn:${SUPPORTED_PARTITION}:${service}:${region}:${account}:${resource}`;
}

/** An AWS managed policy: `arn:aws:iam::aws:policy/<path and name>`. */
export const awsManagedPolicyArn = (name: string) => arn("iam", "", "aws", `policy/${name}`);

/** An IAM role in one account (or `*` for every account). */
export const roleArn = (account: string, name: string) => arn("iam", "", account, `role/${name}`);

/** An account's root principal, `arn:aws:iam::<account>:root`. */
export const accountRootArn = (account: string) => arn("iam", "", account, "root");

/** An S3 bucket: `arn:aws:s3:::<bucket>` (S3 ARNs carry neither region nor account). */
export const bucketArn = (bucket: string) => arn("s3", "", "", bucket);

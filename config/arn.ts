// Every ARN the landing zone writes goes through `arn()`, so the partition (`aws`, `aws-us-gov`,
// `aws-cn`) is decided in one place. One organization lives in one partition, the home region's.
export type Partition = "aws" | "aws-us-gov" | "aws-cn";

/** The partition a region belongs to: GovCloud and China are partitions of their own. */
export function partitionOf(region: string): Partition {
  if (region.startsWith("us-gov-")) return "aws-us-gov";
  if (region.startsWith("cn-")) return "aws-cn";
  return "aws";
}

/**
 * `arn:<partition>:<service>:<region>:<account>:<resource>`. Region and account may be empty (IAM
 * and S3 have neither region nor, for S3, account) or `*` in a policy pattern.
 */
export function arn(
  partition: Partition,
  service: string,
  region: string,
  account: string,
  resource: string,
): string {
  return `arn:${partition}:${service}:${region}:${account}:${resource}`;
}

/** An IAM role in any account (`*`) or one account. */
export const roleArn = (partition: Partition, account: string, name: string) =>
  arn(partition, "iam", "", account, `role/${name}`);

/** An account's root principal, `arn:<partition>:iam::<account>:root`. */
export const accountRootArn = (partition: Partition, account: string) =>
  arn(partition, "iam", "", account, "root");

/** An S3 bucket (S3 ARNs carry neither region nor account). */
export const bucketArn = (partition: Partition, bucket: string) =>
  arn(partition, "s3", "", "", bucket);

/** An AWS managed IAM policy, `arn:<partition>:iam::aws:policy/<path>`. */
export const managedPolicyArn = (partition: Partition, path: string) =>
  arn(partition, "iam", "", "aws", `policy/${path}`);

// The hardening every bucket the landing zone owns shares: never destroyed by a plan, versioned,
// encrypted by default, private, owner-enforced and TLS-only. Resources are created on the caller's
// scope with fixed ids, so a caller's construct paths stay `<scope>/bucket`, `<scope>/policy`, ...
import type { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { denyInsecureTransport, policyDocument } from "./policy-statements";

export interface PrivateBucketProps {
  bucketName: string;
  provider?: TerraformProvider;
  /** Default encryption with this KMS key (and an S3 bucket key); SSE-S3 when absent. */
  kmsKeyId?: string;
  /** Bucket-policy statements after the TLS-only deny, given the bucket's ARN. */
  statements?: (bucketArn: string) => object[];
}

export function privateBucket(scope: Construct, props: PrivateBucketProps): S3Bucket {
  const { provider } = props;
  const s3 = new S3Bucket(scope, "bucket", {
    bucket: props.bucketName,
    forceDestroy: false,
    provider,
    lifecycle: { preventDestroy: true },
  });
  const bucket = s3.id;
  new S3BucketVersioningA(scope, "versioning", {
    bucket,
    provider,
    versioningConfiguration: { status: "Enabled" },
  });
  new S3BucketServerSideEncryptionConfigurationA(scope, "encryption", {
    bucket,
    provider,
    rule: [
      {
        applyServerSideEncryptionByDefault: props.kmsKeyId
          ? { sseAlgorithm: "aws:kms", kmsMasterKeyId: props.kmsKeyId }
          : { sseAlgorithm: "AES256" },
        bucketKeyEnabled: props.kmsKeyId ? true : undefined,
      },
    ],
  });
  new S3BucketPublicAccessBlock(scope, "public-access-block", {
    bucket,
    provider,
    blockPublicAcls: true,
    blockPublicPolicy: true,
    ignorePublicAcls: true,
    restrictPublicBuckets: true,
  });
  new S3BucketOwnershipControls(scope, "ownership", {
    bucket,
    provider,
    rule: { objectOwnership: "BucketOwnerEnforced" },
  });
  const arn = s3.arn;
  new S3BucketPolicy(scope, "policy", {
    bucket,
    provider,
    policy: policyDocument([
      denyInsecureTransport("s3:*", [arn, `${arn}/*`]),
      ...(props.statements?.(arn) ?? []),
    ]),
  });
  return s3;
}

// The Terraform state bucket named by `stateBackend: {type: s3}`. It must exist before any stack can
// init, so it is created once by hand (README, "Guardrails"); the organization stack then adopts it
// with an import block and keeps it versioned, encrypted, private, TLS-only and never destroyed:
// losing it loses every account's state.
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { S3BucketServerSideEncryptionConfigurationA } from "@cdktf/provider-aws/lib/s3-bucket-server-side-encryption-configuration";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPolicy } from "@cdktf/provider-aws/lib/s3-bucket-policy";
import { denyInsecureTransport } from "../policy-statements";

export interface StateBucketProps {
  bucketName: string;
  /** KMS key for state encryption; SSE-S3 when absent (the backend's own setting). */
  kmsKeyId?: string;
  provider?: TerraformProvider;
}

export class StateBucket extends Construct {
  readonly bucket: S3Bucket;

  constructor(scope: Construct, id: string, props: StateBucketProps) {
    super(scope, id);
    const provider = props.provider;
    this.bucket = new S3Bucket(this, "bucket", {
      bucket: props.bucketName,
      forceDestroy: false,
      provider,
      lifecycle: { preventDestroy: true },
    });
    this.bucket.importFrom(props.bucketName, provider);
    const bucket = this.bucket.id;
    new S3BucketVersioningA(this, "versioning", {
      bucket,
      provider,
      versioningConfiguration: { status: "Enabled" },
    });
    new S3BucketServerSideEncryptionConfigurationA(this, "encryption", {
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
    new S3BucketPublicAccessBlock(this, "public-access-block", {
      bucket,
      provider,
      blockPublicAcls: true,
      blockPublicPolicy: true,
      ignorePublicAcls: true,
      restrictPublicBuckets: true,
    });
    new S3BucketOwnershipControls(this, "ownership", {
      bucket,
      provider,
      rule: { objectOwnership: "BucketOwnerEnforced" },
    });
    const arn = this.bucket.arn;
    new S3BucketPolicy(this, "policy", {
      bucket,
      provider,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [denyInsecureTransport("s3:*", [arn, `${arn}/*`])],
      }),
    });
  }
}

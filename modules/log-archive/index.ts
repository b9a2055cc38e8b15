// The organization trail's bucket in the log archive account: KMS-encrypted, versioned, TLS-only,
// private, kept for the configured retention and never destroyed by a plan.
import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { privateBucket } from "../private-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { LZ_PREFIX } from "../../config/policies";

export interface TrailBucketProps {
  bucketName: string;
  /** ARN of the organization trail, the only writer. */
  trailArn: string;
  /** Account id (or plan-time expression) of the log archive account. */
  accountId: string;
  glacierAfterDays: number;
  expireAfterDays: number;
}

export class TrailBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: TrailBucketProps) {
    super(scope, id);
    const fromTrail = { StringEquals: { "aws:SourceArn": props.trailArn } };
    this.key = new KmsKey(this, "key", {
      description: "Encrypts the organization CloudTrail logs",
      enableKeyRotation: true,
      deletionWindowInDays: 30,
      policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [
          {
            Sid: "AccountAdministers",
            Effect: "Allow",
            Principal: { AWS: `arn:aws:iam::${props.accountId}:root` },
            Action: "kms:*",
            Resource: "*",
          },
          {
            Sid: "TrailEncrypts",
            Effect: "Allow",
            Principal: { Service: "cloudtrail.amazonaws.com" },
            Action: ["kms:GenerateDataKey*", "kms:DescribeKey"],
            Resource: "*",
            Condition: fromTrail,
          },
        ],
      }),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "key-alias", {
      name: `alias/${LZ_PREFIX}cloudtrail`,
      targetKeyId: this.key.keyId,
    });

    this.bucket = privateBucket(this, {
      bucketName: props.bucketName,
      kmsKeyId: this.key.arn,
      statements: (arn) => [
        {
          Sid: "TrailChecksAcl",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: arn,
          Condition: fromTrail,
        },
        {
          Sid: "TrailWrites",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/AWSLogs/*`,
          Condition: fromTrail,
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      rule: [
        {
          id: "archive-then-expire",
          status: "Enabled",
          filter: [{ prefix: "" }],
          transition: [{ days: props.glacierAfterDays, storageClass: "GLACIER" }],
          expiration: [{ days: props.expireAfterDays }],
          noncurrentVersionExpiration: [{ noncurrentDays: 90 }],
          abortIncompleteMultipartUpload: [{ daysAfterInitiation: 7 }],
        },
      ],
    });
  }
}

// The organization trail's bucket in the log archive account, which AWS Config of every account
// also delivers to (under config/): KMS-encrypted, versioned, TLS-only,
// private, kept for the configured retention and never destroyed by a plan.
import { Construct } from "constructs";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { privateBucket } from "../private-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { arn } from "../../config/partition";
import { CONFIG_DELIVERY_PREFIX, TRAIL_KEY_ALIAS } from "../../config/names";
import { KMS_KEY_DEFAULTS } from "../kms-defaults";
import { accountRootAllows, policyDocument } from "../policy-statements";

export { TRAIL_KEY_ALIAS } from "../../config/names";

export interface TrailBucketProps {
  bucketName: string;
  /** ARN of the organization trail, the only writer. */
  trailArn: string;
  /** The management account, which owns the organization trail. */
  managementAccountId: string;
  /** Account id (or plan-time expression) of the log archive account. */
  accountId: string;
  glacierAfterDays: number;
  expireAfterDays: number;
  /** AWS Config of every account in this organization delivers here (quote-free id). */
  organizationId: string;
}

export class TrailBucket extends Construct {
  readonly bucket: S3Bucket;
  readonly key: KmsKey;

  constructor(scope: Construct, id: string, props: TrailBucketProps) {
    super(scope, id);
    const fromTrail = { StringEquals: { "aws:SourceArn": props.trailArn } };
    // AWS's documented statements for a Config delivery channel, narrowed from one account
    // (aws:SourceAccount) to every account of the organization.
    const fromOrganization = { StringEquals: { "aws:SourceOrgID": props.organizationId } };
    this.key = new KmsKey(this, "key", {
      description: "Encrypts the organization CloudTrail logs",
      ...KMS_KEY_DEFAULTS,
      policy: policyDocument([
        accountRootAllows("AccountAdministers", props.accountId, "kms:*"),
        // AWS's documented key policy for a trail: only this trail may encrypt, and only log files
        // whose encryption context names a trail of the management account.
        {
          Sid: "TrailEncrypts",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:GenerateDataKey*",
          Resource: "*",
          Condition: {
            ...fromTrail,
            StringLike: {
              "kms:EncryptionContext:aws:cloudtrail:arn": arn(
                "cloudtrail",
                "*",
                props.managementAccountId,
                "trail/*",
              ),
            },
          },
        },
        {
          Sid: "TrailDescribesKey",
          Effect: "Allow",
          Principal: { Service: "cloudtrail.amazonaws.com" },
          Action: "kms:DescribeKey",
          Resource: "*",
          Condition: fromTrail,
        },
        {
          // Config's objects take the bucket's default encryption, this key.
          Sid: "ConfigEncrypts",
          Effect: "Allow",
          Principal: { Service: "config.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: fromOrganization,
        },
      ]),
      lifecycle: { preventDestroy: true },
    });
    new KmsAlias(this, "key-alias", {
      name: TRAIL_KEY_ALIAS,
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
        {
          Sid: "AWSConfigBucketPermissionsCheck",
          Effect: "Allow",
          Principal: { Service: "config.amazonaws.com" },
          Action: "s3:GetBucketAcl",
          Resource: arn,
          Condition: fromOrganization,
        },
        {
          Sid: "AWSConfigBucketExistenceCheck",
          Effect: "Allow",
          Principal: { Service: "config.amazonaws.com" },
          Action: "s3:ListBucket",
          Resource: arn,
          Condition: fromOrganization,
        },
        {
          Sid: "AWSConfigBucketDelivery",
          Effect: "Allow",
          Principal: { Service: "config.amazonaws.com" },
          Action: "s3:PutObject",
          Resource: `${arn}/${CONFIG_DELIVERY_PREFIX}/AWSLogs/*`,
          Condition: {
            StringEquals: {
              ...fromOrganization.StringEquals,
              "s3:x-amz-acl": "bucket-owner-full-control",
            },
          },
        },
      ],
    });
    new S3BucketLifecycleConfiguration(this, "lifecycle", {
      bucket: this.bucket.id,
      // Since 2024 S3 skips objects under 128 KB by default, which is most CloudTrail files: they
      // would stay in S3 Standard for the whole retention. Glacier takes objects of any size.
      transitionDefaultMinimumObjectSize: "varies_by_storage_class",
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

// The trail bucket alone: a rotating KMS key only the organization trail may encrypt with, a
// hardened bucket only that trail may write to, and retention from the given day counts.
import { TRAIL_KEY_ALIAS, TrailBucket } from "../../modules/log-archive";
import { statementsOf, synthModule, type ModuleJson } from "../helpers";

const TRAIL = "arn:aws:cloudtrail:eu-west-1:111111111111:trail/organization-trail";
const props = {
  bucketName: "acme-cloudtrail-111111111111",
  trailArn: TRAIL,
  managementAccountId: "111111111111",
  accountId: "222222222222",
  glacierAfterDays: 90,
  expireAfterDays: 2557,
  organizationId: "o-exampleorg1",
  partition: "aws" as const,
};
const fromTrail = { StringEquals: { "aws:SourceArn": TRAIL } };
const fromOrganization = { StringEquals: { "aws:SourceOrgID": "o-exampleorg1" } };

let m: ModuleJson;
beforeAll(() => {
  m = synthModule((s) => new TrailBucket(s, "trail", props));
});
const ref = (type: string, attr: string) =>
  `\${${type}.${Object.keys(m.resources(type))[0]}.${attr}}`;

test("the key rotates, waits 30 days before deletion, is never destroyed and has the alias the trail stack finds", () => {
  expect(m.resource("aws_kms_key")).toMatchObject({
    enable_key_rotation: true,
    deletion_window_in_days: 30,
    lifecycle: { prevent_destroy: true },
  });
  expect(m.resource("aws_kms_alias")).toEqual({
    name: TRAIL_KEY_ALIAS,
    target_key_id: ref("aws_kms_key", "key_id"),
  });
  expect(TRAIL_KEY_ALIAS).toBe("alias/lz-cloudtrail");
});

test("key policy: the log archive account administers it; only this trail encrypts, for management-account trails; Config of this organization encrypts its deliveries", () => {
  expect(statementsOf(m.resource("aws_kms_key").policy)).toEqual([
    {
      Sid: "AccountAdministers",
      Effect: "Allow",
      Principal: { AWS: "arn:aws:iam::222222222222:root" },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "TrailEncrypts",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: {
        ...fromTrail,
        StringLike: {
          "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*",
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
      Sid: "ConfigEncrypts",
      Effect: "Allow",
      Principal: { Service: "config.amazonaws.com" },
      Action: ["kms:Decrypt", "kms:GenerateDataKey"],
      Resource: "*",
      Condition: fromOrganization,
    },
  ]);
});

test("the bucket: kept, versioned, encrypted with the key, private, TLS-only, written only by the trail and, under config/, by AWS Config of this organization", () => {
  expect(m.resource("aws_s3_bucket")).toEqual({
    bucket: props.bucketName,
    force_destroy: false,
    lifecycle: { prevent_destroy: true },
  });
  expect(m.resource("aws_s3_bucket_versioning").versioning_configuration).toEqual({
    status: "Enabled",
  });
  expect(m.resource("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
    {
      apply_server_side_encryption_by_default: {
        sse_algorithm: "aws:kms",
        kms_master_key_id: ref("aws_kms_key", "arn"),
      },
      bucket_key_enabled: true,
    },
  ]);
  expect(m.resource("aws_s3_bucket_public_access_block")).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  const arn = ref("aws_s3_bucket", "arn");
  expect(statementsOf(m.resource("aws_s3_bucket_policy").policy)).toEqual([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
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
      Resource: `${arn}/config/AWSLogs/*`,
      Condition: {
        StringEquals: {
          "aws:SourceOrgID": "o-exampleorg1",
          "s3:x-amz-acl": "bucket-owner-full-control",
        },
      },
    },
  ]);
});

test("obeys every synth-time guardrail on its own", () => {
  expect(m.violations()).toEqual([]);
});

test("retention: Glacier, then expiry, from the given days; small objects transition too", () => {
  const lifecycle = m.resource("aws_s3_bucket_lifecycle_configuration");
  expect(lifecycle.transition_default_minimum_object_size).toBe("varies_by_storage_class");
  expect(lifecycle.rule).toEqual([
    {
      id: "archive-then-expire",
      status: "Enabled",
      filter: [{ prefix: "" }],
      transition: [{ days: 90, storage_class: "GLACIER" }],
      expiration: [{ days: 2557 }],
      noncurrent_version_expiration: [{ noncurrent_days: 90 }],
      abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }],
    },
  ]);
});

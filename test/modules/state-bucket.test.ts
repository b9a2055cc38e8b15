// The state bucket alone (and through it the private-bucket hardening every landing-zone bucket
// shares): adopted with an import block, never destroyed, versioned, encrypted, private, TLS-only.
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { StateBucket } from "../../modules/state-bucket";
import { statementsOf, synthModule, type ModuleJson, type TfJson } from "../helpers";

const NAME = "acme-landing-zone-state";

function bucketRef(m: ModuleJson, attr: string): string {
  return `\${aws_s3_bucket.${Object.keys(m.resources("aws_s3_bucket"))[0]}.${attr}}`;
}

test("adopts the existing bucket by name and keeps it: prevent_destroy, no force_destroy", () => {
  const m = synthModule((s) => new StateBucket(s, "state-bucket", { bucketName: NAME }));
  expect(m.resource("aws_s3_bucket")).toEqual({
    bucket: NAME,
    force_destroy: false,
    lifecycle: { prevent_destroy: true },
  });
  expect(m.json.import).toEqual([{ id: NAME, to: expect.stringMatching(/^aws_s3_bucket\./) }]);
});

test("versioned, SSE-S3 by default, private, owner-enforced and TLS-only", () => {
  const m = synthModule((s) => new StateBucket(s, "state-bucket", { bucketName: NAME }));
  const id = bucketRef(m, "id");
  expect(m.resource("aws_s3_bucket_versioning")).toEqual({
    bucket: id,
    versioning_configuration: { status: "Enabled" },
  });
  expect(m.resource("aws_s3_bucket_server_side_encryption_configuration")).toEqual({
    bucket: id,
    rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } }],
  });
  expect(m.resource("aws_s3_bucket_public_access_block")).toEqual({
    bucket: id,
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(m.resource("aws_s3_bucket_ownership_controls")).toEqual({
    bucket: id,
    rule: { object_ownership: "BucketOwnerEnforced" },
  });
  expect(m.violations()).toEqual([]);
  const arn = bucketRef(m, "arn");
  expect(statementsOf(m.resource("aws_s3_bucket_policy").policy)).toEqual([
    {
      Sid: "DenyInsecureTransport",
      Effect: "Deny",
      Principal: "*",
      Action: "s3:*",
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { "aws:SecureTransport": "false" } },
    },
  ]);
});

test("a KMS key encrypts with a bucket key; a provider reaches every resource and the import", () => {
  const m = synthModule((s) => {
    const provider = new AwsProvider(s, "state", { alias: "state", region: "eu-central-1" });
    new StateBucket(s, "state-bucket", { bucketName: NAME, kmsKeyId: "alias/state", provider });
  });
  expect(m.resource("aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
    {
      apply_server_side_encryption_by_default: {
        sse_algorithm: "aws:kms",
        kms_master_key_id: "alias/state",
      },
      bucket_key_enabled: true,
    },
  ]);
  for (const byName of Object.values(m.json.resource as Record<string, TfJson>)) {
    for (const r of Object.values(byName)) expect(r.provider).toBe("aws.state");
  }
  expect(m.json.import[0].provider).toBe("aws.state");
});

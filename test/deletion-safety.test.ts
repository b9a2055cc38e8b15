// Deletion safety: whatever a plan says, Terraform refuses to destroy the organization, its OUs, its
// accounts, the log archive bucket, production tables and the state bucket (prevent_destroy), read
// from the cdk.tf.json a user applies.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { allAccounts } from "../config/model";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  type Synthesized,
  type TfJson,
} from "./helpers";

const preventsDestroy = (r: TfJson) => r.lifecycle?.prevent_destroy === true;

let example: Synthesized;
beforeAll(() => {
  example = synthAccounts(undefined, "organization,log-archive,team-payments-*,team-catalog-prod");
});

test("the organization and every OU", () => {
  expect(preventsDestroy(example.resource("organization", "aws_organizations_organization"))).toBe(
    true,
  );
  const ous = Object.values(
    example.resources("organization", "aws_organizations_organizational_unit"),
  );
  expect(ous.map((o) => o.name).sort()).toEqual(
    ["Infrastructure", "NonProd", "Prod", "Sandbox", "Security", "Suspended", "Workloads"].sort(),
  );
  for (const ou of ous)
    expect({ ou: ou.name, safe: preventsDestroy(ou) }).toEqual({ ou: ou.name, safe: true });
});

test("every account that is not being closed, and close_on_deletion off for them", () => {
  const accounts = Object.values(example.resources("organization", "aws_organizations_account"));
  const expected = allAccounts(example.lz);
  expect(accounts).toHaveLength(expected.length);
  for (const account of expected) {
    const r = accounts.find((a) => a.email === account.email)!;
    const closing = account.status === "closed";
    expect({ email: account.email, safe: preventsDestroy(r), close: r.close_on_deletion }).toEqual({
      email: account.email,
      safe: !closing,
      close: closing,
    });
  }
});

test("the log archive bucket and its key, which no plan may empty or delete", () => {
  const bucket = example.resource("log-archive", "aws_s3_bucket");
  expect(bucket.bucket).toBe(example.lz.trailBucketName);
  expect(preventsDestroy(bucket)).toBe(true);
  expect(bucket.force_destroy).toBe(false);
  expect(preventsDestroy(example.resource("log-archive", "aws_kms_key"))).toBe(true);
});

test("production tables, and only production tables", () => {
  for (const stack of ["team-payments-prod", "team-catalog-prod"]) {
    const table = example.resource(stack, "aws_dynamodb_table");
    expect({
      stack,
      safe: preventsDestroy(table),
      protection: table.deletion_protection_enabled,
    }).toEqual({
      stack,
      safe: true,
      protection: true,
    });
  }
  // Development tables can be torn down with their account.
  expect(preventsDestroy(example.resource("team-payments-dev", "aws_dynamodb_table"))).toBe(false);
});

describe("the state bucket", () => {
  function withS3Backend(backend: string): Synthesized {
    const dir = copyExampleAccounts();
    try {
      const file = join(dir, "organization.yaml");
      const text = readFileSync(file, "utf8").replace(
        "stateBackend:\n  type: local\n  directory: terraform-state\n",
        `stateBackend:\n${backend}`,
      );
      writeFileSync(file, text);
      return synthAccounts(dir, "organization");
    } finally {
      removeDir(dir);
    }
  }

  it("is adopted by the organization stack, kept with prevent_destroy, and passes every guardrail", () => {
    const s = withS3Backend(
      "  type: s3\n  bucket: acme-landing-zone-state\n  region: eu-west-1\n  keyPrefix: landing-zone\n",
    );
    const buckets = s.resources("organization", "aws_s3_bucket");
    const [name, bucket] = Object.entries(buckets)[0];
    expect(Object.keys(buckets)).toHaveLength(1);
    expect(bucket.bucket).toBe("acme-landing-zone-state");
    expect(preventsDestroy(bucket)).toBe(true);
    expect(bucket.force_destroy).toBe(false);
    // It exists before the first init (the backend needs it), so the stack imports it.
    expect(s.stack("organization").import).toContainEqual(
      expect.objectContaining({ id: "acme-landing-zone-state", to: `aws_s3_bucket.${name}` }),
    );
    const versioning = s.resource("organization", "aws_s3_bucket_versioning");
    expect(versioning.versioning_configuration.status).toBe("Enabled");
  });

  it("is managed in the backend's own region, through its role", () => {
    const s = withS3Backend(
      "  type: s3\n  bucket: acme-state-us\n  region: us-east-1\n  roleArn: arn:aws:iam::222222222222:role/state-access\n  kmsKeyId: alias/state\n",
    );
    const bucket = s.resource("organization", "aws_s3_bucket");
    expect(bucket.provider).toBe("aws.state");
    const state = (s.stack("organization").provider.aws as TfJson[]).find(
      (p) => p.alias === "state",
    )!;
    expect(state.region).toBe("us-east-1");
    expect(state.assume_role[0].role_arn).toBe("arn:aws:iam::222222222222:role/state-access");
    const sse = s.resource("organization", "aws_s3_bucket_server_side_encryption_configuration");
    expect(sse.rule[0].apply_server_side_encryption_by_default).toEqual({
      sse_algorithm: "aws:kms",
      kms_master_key_id: "alias/state",
    });
  });

  it("does not exist with a local backend", () => {
    expect(example.resources("organization", "aws_s3_bucket")).toEqual({});
  });
});

// The Terraform state bucket named by `stateBackend: {type: s3}`. It must exist before any stack can
// init, so it is created once by hand (docs/guardrails.md, "Deletion safety"); the organization stack then adopts it
// with an import block and keeps it versioned, encrypted, private, TLS-only and never destroyed:
// losing it loses every account's state.
import { Construct } from "constructs";
import type { TerraformProvider } from "cdktf";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { privateBucket } from "../private-bucket";

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
    this.bucket = privateBucket(this, props);
    this.bucket.importFrom(props.bucketName, props.provider);
  }
}

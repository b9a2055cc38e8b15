// Where a function's code comes from: the bundled reference service, the team's own zip in the
// repository, or the team's own object in S3.
import { AssetType, TerraformAsset } from "cdktf";
import { hashPath } from "cdktf/lib/private/fs";
import { Construct } from "constructs";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { FunctionCode } from "../../config/model";
import { REPO_ROOT, referencePackage, type ReferenceFunction } from "./reference-package";

export interface LambdaCodeProps {
  handler: string;
  filename?: string;
  sourceCodeHash?: string;
  s3Bucket?: string;
  s3Key?: string;
  s3ObjectVersion?: string;
}

const fileHashes = new Map<string, string>();
const assetHashes = new Map<string, string>();

/**
 * cdktf's own hash of an asset (it names the asset's folder), once per file: left to cdktf, it reads
 * and hashes the zip again for every stack, 6,000 times at 1,000 teams.
 */
function assetHash(file: string): string {
  let hash = assetHashes.get(file);
  if (!hash) {
    hash = hashPath(file);
    assetHashes.set(file, hash);
  }
  return hash;
}

function fileSha256(path: string, field: string): string {
  const file = join(REPO_ROOT, path);
  let hash = fileHashes.get(file);
  if (!hash) {
    if (!existsSync(file)) {
      throw new Error(
        `${field}: path ${JSON.stringify(path)} does not exist (relative to the repository root); build the zip before synth`,
      );
    }
    hash = createHash("sha256").update(readFileSync(file)).digest("base64");
    fileHashes.set(file, hash);
  }
  return hash;
}

export function lambdaCode(
  scope: Construct,
  fn: ReferenceFunction,
  code: FunctionCode,
  field: string,
): LambdaCodeProps {
  if (code.kind === "s3") {
    return {
      handler: code.handler,
      s3Bucket: code.bucket,
      s3Key: code.key,
      s3ObjectVersion: code.objectVersion,
    };
  }
  const local =
    code.kind === "reference"
      ? referencePackage(fn)
      : {
          file: join(REPO_ROOT, code.path),
          sha256: fileSha256(code.path, field),
          handler: code.handler,
        };
  // The asset copies the zip next to the stack, so cdktf.out/stacks/<id> deploys on its own.
  const asset = new TerraformAsset(scope, `${fn}-code`, {
    path: local.file,
    type: AssetType.FILE,
    assetHash: assetHash(local.file),
  });
  return { handler: local.handler, filename: asset.path, sourceCodeHash: local.sha256 };
}

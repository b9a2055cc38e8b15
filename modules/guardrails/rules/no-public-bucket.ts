import { policyDocuments } from "../policy-documents";
import { finding, type Finding, type GuardrailRule } from "../rule";
import { isTrue, refersTo, type TfResource } from "../stack-view";

const PUBLIC_ACLS = new Set(["public-read", "public-read-write", "authenticated-read"]);
const BLOCK_SETTINGS = [
  "block_public_acls",
  "block_public_policy",
  "ignore_public_acls",
  "restrict_public_buckets",
];

const rule: GuardrailRule = {
  id: "no-public-bucket",
  description:
    "every bucket has a public access block with all four settings on, no public ACL, no unconditioned `Principal: *` Allow",
  check: (view) => {
    const out: Finding[] = [];
    const blocks = view.ofType("aws_s3_bucket_public_access_block");
    const acls = view.ofType("aws_s3_bucket_acl");
    const docs = policyDocuments(view).filter((d) => d.resource.type === "aws_s3_bucket_policy");
    for (const b of view.ofType("aws_s3_bucket")) {
      const mine = (r: TfResource) => refersTo(r.attrs.bucket, b, [b.attrs.bucket]);
      const block = blocks.find(mine);
      const off = block ? BLOCK_SETTINGS.filter((k) => !isTrue(block.attrs[k])) : BLOCK_SETTINGS;
      if (off.length > 0) {
        out.push(
          finding(
            rule.id,
            b,
            block
              ? `aws_s3_bucket_public_access_block leaves ${off.join(", ")} off`
              : "aws_s3_bucket has no aws_s3_bucket_public_access_block",
          ),
        );
      }
      const acl = [b.attrs.acl, ...acls.filter(mine).map((a) => a.attrs.acl)].find((a) =>
        PUBLIC_ACLS.has(a),
      );
      if (acl) out.push(finding(rule.id, b, `aws_s3_bucket has the public ACL ${acl}`));
      const anonymous = docs
        .filter((d) => mine(d.resource))
        .some((d) =>
          (d.statements ?? []).some(
            (s) =>
              s.effect === "Allow" &&
              s.principals.includes("*") &&
              Object.keys(s.condition).length === 0,
          ),
        );
      if (anonymous) {
        out.push(finding(rule.id, b, "the bucket policy allows Principal * without a condition"));
      }
    }
    return out;
  },
};
export default rule;

import { deniesInsecureTransport, policyDocuments, type PolicyDocument } from "../policy-documents";
import { finding, type Finding, type GuardrailRule } from "../rule";
import { refersTo, type TfResource } from "../stack-view";

const rule: GuardrailRule = {
  id: "tls-only",
  description:
    "every bucket and queue has a policy denying `s3:*` / `sqs:*` when `aws:SecureTransport` is false",
  check: (view) => {
    const docs = policyDocuments(view);
    const out: Finding[] = [];
    const policiesOf = (target: TfResource, type: string, attr: string, literals: unknown[]) =>
      docs.filter(
        (d) =>
          (d.resource === target && d.attribute === "policy") ||
          (d.resource.type === type && refersTo(d.resource.attrs[attr], target, literals)),
      );
    const denies = (list: PolicyDocument[], service: string) =>
      list.some((d) => d.statements && deniesInsecureTransport(d.statements, service));
    for (const b of view.ofType("aws_s3_bucket")) {
      if (!denies(policiesOf(b, "aws_s3_bucket_policy", "bucket", [b.attrs.bucket]), "s3")) {
        out.push(
          finding(
            rule.id,
            b,
            "aws_s3_bucket has no bucket policy denying aws:SecureTransport false on s3:*",
          ),
        );
      }
    }
    for (const q of view.ofType("aws_sqs_queue")) {
      if (!denies(policiesOf(q, "aws_sqs_queue_policy", "queue_url", []), "sqs")) {
        out.push(
          finding(
            rule.id,
            q,
            "aws_sqs_queue has no queue policy denying aws:SecureTransport false on sqs:*",
          ),
        );
      }
    }
    return out;
  },
};
export default rule;

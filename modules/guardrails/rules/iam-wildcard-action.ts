import {
  isWildcardAction,
  policyDocuments,
  type PolicyDocument,
  type Statement,
} from "../policy-documents";
import { ARN_PARTITION } from "../../../config/partition";
import { finding, type Finding, type GuardrailRule } from "../rule";

/** AWS-managed policies that grant every action of a service or more. */
const ADMIN_LIKE_MANAGED_POLICIES = new RegExp(
  `^${ARN_PARTITION}iam::aws:policy/(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]+FullAccess)$`,
);
/** An account's root principal, in any partition. */
const ACCOUNT_ROOT = new RegExp(`^${ARN_PARTITION}iam::.+:root$`);

/** In a key policy, `kms:*` for the account's own root is AWS's default: IAM policies then decide. */
function isDefaultKeyAdministration(doc: PolicyDocument, s: Statement): boolean {
  return (
    doc.kind === "key" &&
    (s.action ?? []).every((a) => a === "kms:*") &&
    s.principals.length > 0 &&
    s.principals.every((p) => ACCOUNT_ROOT.test(p))
  );
}

const rule: GuardrailRule = {
  id: "iam-wildcard-action",
  description:
    "no Allow of `*`, `service:*` or `NotAction`, no admin-like AWS managed policy attached, no policy the rules cannot read (the default key policy, `kms:*` for the account root, is allowed)",
  check: (view) => {
    const out: Finding[] = [];
    for (const doc of policyDocuments(view)) {
      if (!doc.statements) {
        out.push(
          finding(
            rule.id,
            doc.resource,
            `${doc.attribute} is not a JSON policy document the guardrails can read; build it with JSON.stringify or aws_iam_policy_document`,
          ),
        );
        continue;
      }
      doc.statements.forEach((s, i) => {
        if (s.effect !== "Allow" || isDefaultKeyAdministration(doc, s)) return;
        const wild = (s.action ?? []).filter(isWildcardAction);
        if (wild.length > 0 || s.notAction) {
          out.push(
            finding(
              rule.id,
              doc.resource,
              `${doc.attribute} Statement[${i}] allows ${s.notAction ? "NotAction (everything else)" : wild.join(", ")}; name the actions`,
            ),
          );
        }
      });
    }
    for (const type of [
      "aws_iam_role_policy_attachment",
      "aws_iam_policy_attachment",
      "aws_iam_user_policy_attachment",
      "aws_iam_group_policy_attachment",
    ]) {
      for (const a of view.ofType(type)) {
        if (ADMIN_LIKE_MANAGED_POLICIES.test(String(a.attrs.policy_arn))) {
          out.push(
            finding(
              rule.id,
              a,
              `${type} attaches ${a.attrs.policy_arn}, which allows whole services`,
            ),
          );
        }
      }
    }
    return out;
  },
};
export default rule;

// Least privilege: no Allow of every action, no write action on every resource, unless the action is
// on the allow-list below (AWS authorizes it only on Resource "*").
import { policyDocuments, type PolicyDocument, type Statement } from "./policy-documents";
import type { Finding } from "./resource-rules";
import type { StackView } from "./stack-view";

/**
 * Write actions AWS authorizes only on Resource "*" (no resource-level permissions), so a statement
 * naming them on "*" is as narrow as IAM allows. Each one was checked against the service
 * authorization reference; add to this list only with the same check.
 */
export const ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS = [
  "cloudwatch:PutMetricData",
  "ec2:AssignPrivateIpAddresses",
  "ec2:CreateNetworkInterface",
  "ec2:DeleteNetworkInterface",
  "ec2:UnassignPrivateIpAddresses",
  "logs:CreateLogDelivery",
  "logs:DeleteLogDelivery",
  "logs:PutResourcePolicy",
  "logs:UpdateLogDelivery",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];

/** AWS-managed policies that grant every action of a service or more. */
const ADMIN_LIKE_MANAGED_POLICIES =
  /^arn:aws[a-z-]*:iam::aws:policy\/(AdministratorAccess|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]+FullAccess)$/;

const READ_ONLY =
  /^[a-z0-9-]+:(Get|List|Describe|BatchGet|Query|Scan|View|Lookup|Search)[A-Za-z0-9*]*$/;

const isWildcardAction = (a: string) => a === "*" || /^[a-z0-9-]+:\*$/.test(a);

/** In a key policy, `kms:*` for the account's own root is AWS's default: IAM policies then decide. */
function isDefaultKeyAdministration(doc: PolicyDocument, s: Statement): boolean {
  return (
    doc.kind === "key" &&
    (s.action ?? []).every((a) => a === "kms:*") &&
    s.principals.length > 0 &&
    s.principals.every((p) => /^arn:aws[a-z-]*:iam::.+:root$/.test(p))
  );
}

export function iamWildcardAction(view: StackView): Finding[] {
  const out: Finding[] = [];
  for (const doc of policyDocuments(view)) {
    if (!doc.statements) {
      out.push({
        rule: "iam-wildcard-action",
        resource: doc.resource,
        message: `${doc.attribute} is not a JSON policy document the guardrails can read; build it with JSON.stringify or aws_iam_policy_document`,
      });
      continue;
    }
    doc.statements.forEach((s, i) => {
      if (s.effect !== "Allow" || isDefaultKeyAdministration(doc, s)) return;
      const wild = (s.action ?? []).filter(isWildcardAction);
      if (wild.length > 0 || s.notAction) {
        out.push({
          rule: "iam-wildcard-action",
          resource: doc.resource,
          message: `${doc.attribute} Statement[${i}] allows ${s.notAction ? "NotAction (everything else)" : wild.join(", ")}; name the actions`,
        });
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
        out.push({
          rule: "iam-wildcard-action",
          resource: a,
          message: `${type} attaches ${a.attrs.policy_arn}, which allows whole services`,
        });
      }
    }
  }
  return out;
}

export function iamWriteAnyResource(view: StackView): Finding[] {
  const out: Finding[] = [];
  // Resource "*" in a resource or key policy means "this resource"; only identity policies count.
  for (const doc of policyDocuments(view).filter((d) => d.kind === "identity" && d.statements)) {
    doc.statements!.forEach((s, i) => {
      if (s.effect !== "Allow") return;
      const anyResource = s.notResource !== undefined || (s.resource ?? []).includes("*");
      if (!anyResource) return;
      const writes = (s.action ?? []).filter(
        (a) =>
          !isWildcardAction(a) && // reported by iam-wildcard-action
          !READ_ONLY.test(a) &&
          !ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS.some(
            (x) => x.toLowerCase() === a.toLowerCase(),
          ),
      );
      if (writes.length > 0) {
        out.push({
          rule: "iam-write-any-resource",
          resource: doc.resource,
          message: `${doc.attribute} Statement[${i}] allows ${writes.join(", ")} on Resource "*"; name the resources`,
        });
      }
    });
  }
  return out;
}

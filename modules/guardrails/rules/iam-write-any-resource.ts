import { isWildcardAction, policyDocuments } from "../policy-documents";
import { finding, type Finding, type GuardrailRule } from "../rule";

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

const READ_ONLY =
  /^[a-z0-9-]+:(Get|List|Describe|BatchGet|Query|Scan|View|Lookup|Search)[A-Za-z0-9*]*$/;

const rule: GuardrailRule = {
  id: "iam-write-any-resource",
  description:
    'no Allow of a write action on `Resource: "*"` in identity policies, except the allow-list of actions AWS authorizes only on `*` (`ACTIONS_WITHOUT_RESOURCE_LEVEL_PERMISSIONS` in `modules/guardrails/rules/iam-write-any-resource.ts`, e.g. `xray:PutTraceSegments`, `cloudwatch:PutMetricData`)',
  check: (view) => {
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
          out.push(
            finding(
              rule.id,
              doc.resource,
              `${doc.attribute} Statement[${i}] allows ${writes.join(", ")} on Resource "*"; name the resources`,
            ),
          );
        }
      });
    }
    return out;
  },
};
export default rule;

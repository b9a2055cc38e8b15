// The organization policies as the synthesized `organization` stack defines them: each policy's
// document (as AWS receives it) and, for each account, the SCPs and RCPs that reach it through the
// root, its OUs and its own attachments. Read from cdk.tf.json, so the tests judge what is deployed.
import { policyTargetsOf, type PolicyDocument } from "../config/model";
import type { Synthesized, TfJson } from "./helpers";

export interface DeployedPolicy {
  name: string;
  type: string;
  document: PolicyDocument;
  /** The content exactly as AWS receives it (Terraform's `$${` escapes undone). */
  content: string;
  /** `Root`, an OU's name path (`Workloads/Prod`) or `account:<stack id>`. */
  targets: string[];
}

/** `${aws_x.key.attr}` → `key` */
const keyOf = (ref: string) => ref.replace(/^\$\{[^.]+\./, "").split(".")[0];

export function deployedPolicies(out: Synthesized): DeployedPolicy[] {
  const resources = (type: string) => out.resources("organization", type);
  const ous = resources("aws_organizations_organizational_unit");
  const accounts = resources("aws_organizations_account");
  const ouPath = (key: string): string => {
    const ou = ous[key];
    const parent = ou.parent_id as string;
    return parent.includes("roots[0]") ? ou.name : `${ouPath(keyOf(parent))}/${ou.name}`;
  };
  const target = (ref: string): string => {
    if (ref.includes("roots[0]")) return "Root";
    if (ref.startsWith("${aws_organizations_account.")) {
      const path: string = accounts[keyOf(ref)]["//"].metadata.path;
      return `account:${path
        .split("/")
        .pop()!
        .replace(/^account-/, "")}`;
    }
    return ouPath(keyOf(ref));
  };
  const attachments = Object.values(resources("aws_organizations_policy_attachment"));
  return Object.entries(resources("aws_organizations_policy")).map(([key, p]) => {
    const content = (p.content as string).replaceAll("$${", "${").replaceAll("%%{", "%{");
    return {
      name: p.name,
      type: p.type,
      content,
      document: p.type.endsWith("CONTROL_POLICY") ? JSON.parse(content) : undefined,
      targets: attachments
        .filter((a) => keyOf(a.policy_id) === key)
        .map((a) => target(a.target_id)),
    } as DeployedPolicy;
  });
}

/** The OU path of an account as the organization stack places it, from the account's stack id. */
export function accountOu(out: Synthesized, stackId: string): string {
  const accounts = out.resources("organization", "aws_organizations_account");
  const ous = out.resources("organization", "aws_organizations_organizational_unit");
  const [, account] = Object.entries(accounts).find(([, a]) =>
    (a["//"].metadata.path as string).endsWith(`/account-${stackId}`),
  )!;
  const path: string[] = [];
  let parent = account.parent_id as string;
  while (!parent.includes("roots[0]")) {
    const ou: TfJson = ous[keyOf(parent)];
    path.unshift(ou.name);
    parent = ou.parent_id;
  }
  return path.join("/");
}

/** The policies of one type that reach an account: attached to the root, an OU above it, or it. */
export function policiesReaching(
  out: Synthesized,
  policies: DeployedPolicy[],
  type: "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY",
  stackId: string,
): DeployedPolicy[] {
  const targets = new Set(policyTargetsOf({ ou: accountOu(out, stackId), stackId }));
  return policies.filter((p) => p.type === type && p.targets.some((t) => targets.has(t)));
}

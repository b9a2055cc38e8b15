// Lists whose entries AWS (or the construct tree) takes as a set: an entry written twice is refused at
// validate, naming both places. Terraform would otherwise manage one AWS object twice (a policy
// attached twice, a subscription made twice), or synth would stop on a duplicate construct id that
// names no file or field.
import type { Context, Report } from "./context";

function once<T>(
  report: Report,
  file: string,
  at: string,
  list: readonly T[],
  key: (t: T) => string = String,
): void {
  const first = new Map<string, number>();
  list.forEach((item, i) => {
    const k = key(item);
    const j = first.get(k);
    if (j === undefined) first.set(k, i);
    else
      report(
        file,
        `${at}[${i}]`,
        `listed twice (first at ${at}[${j}]); write each entry once`,
        item,
      );
  });
}

export function checkListDuplicates({ lz, report }: Context): void {
  const file = lz.organizationFile;
  // A policy attached twice to one target fails at apply (DuplicatePolicyAttachmentException).
  lz.org.serviceControlPolicies.policies.forEach((p, i) =>
    once(report, file, `serviceControlPolicies.policies[${i}].targets`, p.targets),
  );
  lz.org.resourceControlPolicies.policies.forEach((p, i) =>
    once(report, file, `resourceControlPolicies.policies[${i}].targets`, p.targets),
  );
  once(report, file, "ec2DeclarativePolicy.targets", lz.org.ec2DeclarativePolicy.targets);
  once(report, file, "aiServicesOptOut.targets", lz.org.aiServicesOptOut.targets);
  once(report, file, "tags.mandatory", lz.org.tags.mandatory);
  for (const severity of ["critical", "warning"] as const) {
    once(
      report,
      file,
      `observability.alarmTopics.${severity}`,
      lz.org.observability.alarmTopics[severity],
      // SNS compares email addresses without regard to case.
      (s) => `${s.protocol} ${s.protocol === "email" ? s.endpoint.toLowerCase() : s.endpoint}`,
    );
  }
  for (const [name, set] of Object.entries(lz.org.access?.permissionSets ?? {})) {
    once(report, file, `access.permissionSets.${name}.managedPolicies`, set.managedPolicies);
  }
  for (const [key, group] of Object.entries(lz.org.access?.groups ?? {})) {
    once(report, file, `access.groups.${key}.permissionSets`, group.permissionSets);
  }
}

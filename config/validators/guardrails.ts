// Guardrail waivers (organization.yaml guardrails.waivers): each names a stack synth produces, and
// waives one rule on one resource once. That the resource exists is known only at synth, which
// reports a waiver that matched nothing (modules/guardrails).
import { CORE_STACK_IDS, MANAGEMENT_STACK_IDS } from "../model";
import type { Context } from "./context";

export function checkWaivers({ lz, report }: Context): void {
  const orgFile = lz.organizationFile;
  const teamEnvs = lz.teams.flatMap((t) => t.environments);
  const stacks = new Set([
    ...MANAGEMENT_STACK_IDS,
    ...Object.values(CORE_STACK_IDS),
    ...teamEnvs.filter((e) => e.account.status === "active").map((e) => e.account.stackId),
  ]);
  const inactive = new Set(
    teamEnvs.filter((e) => e.account.status !== "active").map((e) => e.account.stackId),
  );
  const waived = new Set<string>();
  lz.org.guardrails.waivers.forEach((w, i) => {
    const at = `guardrails.waivers[${i}]`;
    const stack = w.resource.split("/")[0];
    if (!stacks.has(stack)) {
      report(
        orgFile,
        `${at}.resource`,
        inactive.has(stack)
          ? `names stack ${stack}, whose account is suspended or closed and has no stack; remove the waiver`
          : `names stack ${stack}, which this configuration does not have (stacks are ${[...MANAGEMENT_STACK_IDS, ...Object.values(CORE_STACK_IDS)].join(", ")} and team-<team>-<env> of active team accounts)`,
        w.resource,
      );
    }
    const key = `${w.rule} ${w.resource}`;
    if (waived.has(key)) report(orgFile, at, `waives ${w.rule} on ${w.resource} a second time`);
    waived.add(key);
  });
}

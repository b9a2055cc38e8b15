// The access picture of docs/access.md (npm run docs): which group reaches which accounts with which
// permission set. Accounts are drawn per kind (core, each environment), so it is the same size for 3
// teams or 250; team groups are drawn by their naming template.
import { selects } from "../config/access";
import { allTeamEnvironments, type LandingZone } from "../config/model";

const id = (s: string) => s.replace(/[^A-Za-z0-9]/g, "_");
const label = (s: string) => s.replace(/"/g, "#quot;");

export function renderAccessDiagram(lz: LandingZone): string {
  const access = lz.access;
  const org = lz.org.access;
  if (!access || !org) return 'flowchart LR\n  none["access is not configured"]\n';
  const lines = ["flowchart LR"];
  const roles = [...new Set(org.assignments.map((r) => r.role))].sort();
  lines.push('  subgraph groups["Identity Center groups"]');
  for (const g of access.platformGroups) lines.push(`    grp_${id(g.key)}["${label(g.label)}"]`);
  for (const role of roles)
    lines.push(
      `    role_${id(role)}["${label(org.teamGroups.displayName.replaceAll("{role}", role))}<br/>one per team"]`,
    );
  lines.push("  end");
  const envs = allTeamEnvironments(lz);
  lines.push('  subgraph accounts["accounts"]');
  lines.push(
    `    core["core accounts<br/>${Object.values(lz.coreAccounts)
      .map((a) => a.stackId)
      .join(", ")}"]`,
  );
  for (const env of Object.keys(lz.org.environments)) {
    const active = envs.filter((e) => e.env === env && e.account.status === "active").length;
    lines.push(`    env_${id(env)}["${label(env)} accounts<br/>${active} active"]`);
  }
  const inactive = envs.filter((e) => e.account.status !== "active").length;
  lines.push(`    suspended["suspended or closed<br/>${inactive} account(s), no access"]`);
  lines.push(`    management["management account<br/>never assigned"]`);
  lines.push("  end");
  for (const g of access.platformGroups) {
    const sets = g.permissionSets.join(" + ");
    lines.push(`  grp_${id(g.key)} -- "${sets}" --> core`);
    for (const env of Object.keys(lz.org.environments))
      lines.push(`  grp_${id(g.key)} -- "${sets}" --> env_${id(env)}`);
  }
  for (const role of roles) {
    for (const [env, def] of Object.entries(lz.org.environments)) {
      const sets = org.assignments
        .filter((r) => r.role === role && selects(r.environments, env, def.production))
        .map((r) => r.permissionSet);
      if (sets.length > 0)
        lines.push(`  role_${id(role)} -- "${sets.join(" + ")}" --> env_${id(env)}`);
    }
  }
  return `${lines.join("\n")}\n`;
}

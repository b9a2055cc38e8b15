// Team files: each names itself after its file, once, and declares environments the organization
// defines, in OUs and regions the organization has.
import { basename } from "node:path";
import type { TeamEnvironment } from "../model";
import { tagValueProblem } from "../schema/aws-names";
import { envPath, type Context, type EnvironmentCheck } from "./context";
import { checkOuKnown } from "./organization";

/** A team's name is its file's name, and no two files name the same team. */
export function checkTeamNames({ input, report }: Context): void {
  const teamNames = new Map<string, string>();
  for (const { file, data } of input.teams) {
    if (data.name !== basename(file, ".yaml")) {
      report(
        file,
        "name",
        `must match the file name (accounts/teams/${data.name}.yaml)`,
        data.name,
      );
    }
    const seen = teamNames.get(data.name);
    if (seen) report(file, "name", `team name already used by ${seen}`, data.name);
    teamNames.set(data.name, file);
  }
}

/**
 * Runs `checks` on every environment of every team file, in file and environment order; an
 * environment the organization does not define is reported instead (the model has none for it).
 */
export function checkEnvironments(ctx: Context, checks: EnvironmentCheck[]): void {
  const { input, lz, report } = ctx;
  const byFile = new Map(lz.teams.map((t) => [t.file, t]));
  for (const { file, data } of input.teams) {
    const built = byFile.get(file);
    for (const envName of Object.keys(data.environments).sort((a, b) => a.localeCompare(b))) {
      // The model has an environment exactly when the organization defines it.
      const e = built?.environments.find((x) => x.env === envName);
      if (!e) {
        report(
          file,
          `environments.${envName}`,
          `unknown environment; the organization defines: ${Object.keys(lz.org.environments).join(", ")}`,
          envName,
        );
        continue;
      }
      for (const check of checks) check(e, ctx);
    }
  }
}

const declared = (e: TeamEnvironment) => e.team.raw.environments[e.env];

export function checkEnvironmentOu(e: TeamEnvironment, ctx: Context): void {
  const ou = declared(e).ou;
  if (ou) checkOuKnown(ctx, e.team.file, `${envPath(e)}.ou`, ou);
}

/** An environment's own region must be allowed; an inherited home region is reported once, on organization.yaml. */
export function checkEnvironmentRegionAllowed(e: TeamEnvironment, { lz, report }: Context): void {
  if (declared(e).region && !lz.org.allowedRegions.includes(e.region)) {
    report(
      e.team.file,
      `${envPath(e)}.region`,
      `must be one of the organization's allowedRegions (${lz.org.allowedRegions.join(", ")})`,
      e.region,
    );
  }
}

/** The first owner's email tags every resource of the team, so it must be a tag value AWS accepts. */
export function checkOwnerTags({ lz, report }: Context): void {
  for (const team of lz.teams) {
    const email = team.owners[0].email;
    const problem = tagValueProblem(email);
    if (problem)
      report(
        team.file,
        "owners[0].email",
        `tags every resource of the team as its owner; ${problem}`,
        email,
      );
  }
}

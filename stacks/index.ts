// Which stacks the configuration produces, by id, each with the function that builds it. Building one
// stack never needs another, so any subset can be synthesized (LZ_STACKS).
import type { Construct } from "constructs";
import {
  CORE_STACK_IDS,
  MANAGEMENT_STACK_IDS,
  allTeamEnvironments,
  type LandingZone,
} from "../config/model";
import { OrganizationStack } from "./organization-stack";
import { LogArchiveStack } from "./log-archive-stack";
import { ORGANIZATION_TRAIL_STACK_ID, OrganizationTrailStack } from "./organization-trail-stack";
import { SecurityStack } from "./security-stack";
import { ObservabilityStack } from "./observability-stack";
import { TeamStack } from "./team-stack";
import { ACCESS_STACK_ID } from "../config/access";
import { AccessStack, TeamAccessStack } from "./access-stack";
import { parseSelection } from "../config/selection";

export const ORGANIZATION_STACK_ID = MANAGEMENT_STACK_IDS[0];

export interface StackPlan {
  id: string;
  build: (scope: Construct) => void;
}

export function planStacks(lz: LandingZone): StackPlan[] {
  const plans: StackPlan[] = [
    {
      id: ORGANIZATION_STACK_ID,
      build: (s) => new OrganizationStack(s, ORGANIZATION_STACK_ID, lz),
    },
    {
      id: CORE_STACK_IDS.logArchive,
      build: (s) => new LogArchiveStack(s, CORE_STACK_IDS.logArchive, lz),
    },
    {
      id: ORGANIZATION_TRAIL_STACK_ID,
      build: (s) => new OrganizationTrailStack(s, ORGANIZATION_TRAIL_STACK_ID, lz),
    },
    {
      id: CORE_STACK_IDS.security,
      build: (s) => new SecurityStack(s, CORE_STACK_IDS.security, lz),
    },
    {
      id: CORE_STACK_IDS.observability,
      build: (s) => new ObservabilityStack(s, CORE_STACK_IDS.observability, lz),
    },
  ];
  const access = lz.access;
  // After the accounts exist; before any access-<team>, which reads its permission sets by name.
  if (access) {
    plans.push({
      id: ACCESS_STACK_ID,
      build: (s) => new AccessStack(s, ACCESS_STACK_ID, lz, access),
    });
  }
  for (const env of allTeamEnvironments(lz)) {
    // A suspended or closed account sits under the deny-all SCP, where even the platform role cannot
    // read its resources, so its stack could not plan. It synthesizes nothing until reactivated; its
    // state and resources stay as they were (the organization stack still manages the account).
    if (env.account.status !== "active") continue;
    const id = env.account.stackId;
    plans.push({ id, build: (s) => new TeamStack(s, id, lz, env) });
  }
  if (access) {
    // Whatever the accounts' status: a suspended account's assignments are destroyed by its team's
    // access stack in the same change that moves the account to the Suspended OU.
    for (const team of access.teams) {
      plans.push({
        id: team.stackId,
        build: (s) => new TeamAccessStack(s, team.stackId, lz, team),
      });
    }
  }
  return plans;
}

/**
 * `LZ_STACKS=organization,team-payments-*`: ids or `*` globs, comma-separated. `source` names where
 * the selector came from (the variable, or a command's flag) in the error.
 */
export function selectStacks(
  plans: StackPlan[],
  selector: string | undefined,
  source = "LZ_STACKS",
): StackPlan[] {
  // Unset selects every stack; a selection of nothing (",", " ") is a mistake, never "all".
  if (selector === undefined) return plans;
  const parsed = parseSelection(selector);
  if ("problem" in parsed) throw new Error(`${source}: ${parsed.problem}`);
  const patterns = parsed.entries;
  const regexes = patterns.map(
    (p) => new RegExp(`^${p.replace(/[.+?^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*")}$`),
  );
  const unmatched = patterns.filter((_, i) => !plans.some((p) => regexes[i].test(p.id)));
  if (unmatched.length > 0) {
    throw new Error(
      `${source}: no stack matches ${unmatched.join(", ")}; stacks are: ${plans.map((p) => p.id).join(", ")}`,
    );
  }
  return plans.filter((p) => regexes.some((r) => r.test(p.id)));
}

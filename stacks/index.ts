// Which stacks the configuration produces, by id, each with the function that builds it and the
// stacks it needs applied first (the deploy order, as data: stacks/graph.ts). Building one stack
// never needs another, so any subset can be synthesized (LZ_STACKS); applying one needs its needs.
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
import type { GraphNode, Need } from "./graph";

export const ORGANIZATION_STACK_ID = MANAGEMENT_STACK_IDS[0];

export interface StackPlan extends GraphNode {
  build: (scope: Construct) => void;
}

export function planStacks(lz: LandingZone): StackPlan[] {
  // What a stack reads or writes in another stack's resources, as the reason it must apply after it.
  const organization = (what: string): Need => ({ stack: ORGANIZATION_STACK_ID, why: what });
  const accounts = organization("creates the accounts and the organization it looks up");
  // AWS Config refuses a delivery channel whose bucket does not exist yet.
  const configBucket = (recorder: "landing-zone" | "existing"): Need[] =>
    recorder === "landing-zone"
      ? [{ stack: CORE_STACK_IDS.logArchive, why: "AWS Config delivers to its bucket" }]
      : [];
  const { coreAccounts } = lz;
  const plans: StackPlan[] = [
    {
      id: ORGANIZATION_STACK_ID,
      kind: ORGANIZATION_STACK_ID,
      needs: [],
      build: (s) => new OrganizationStack(s, ORGANIZATION_STACK_ID, lz),
    },
    {
      id: CORE_STACK_IDS.logArchive,
      kind: CORE_STACK_IDS.logArchive,
      needs: [accounts],
      build: (s) => new LogArchiveStack(s, CORE_STACK_IDS.logArchive, lz),
    },
    {
      id: ORGANIZATION_TRAIL_STACK_ID,
      kind: ORGANIZATION_TRAIL_STACK_ID,
      needs: [
        organization("enables CloudTrail's trusted access for an organization trail"),
        {
          stack: CORE_STACK_IDS.logArchive,
          why: "CloudTrail refuses a trail whose bucket does not exist; its key is read at plan time",
        },
      ],
      build: (s) => new OrganizationTrailStack(s, ORGANIZATION_TRAIL_STACK_ID, lz),
    },
    {
      id: CORE_STACK_IDS.security,
      kind: CORE_STACK_IDS.security,
      needs: [
        organization("creates the account and registers it as delegated administrator"),
        ...configBucket(coreAccounts.security.configRecorder),
      ],
      build: (s) => new SecurityStack(s, CORE_STACK_IDS.security, lz),
    },
    {
      id: CORE_STACK_IDS.observability,
      kind: CORE_STACK_IDS.observability,
      needs: [accounts, ...configBucket(coreAccounts.observability.configRecorder)],
      build: (s) => new ObservabilityStack(s, CORE_STACK_IDS.observability, lz),
    },
  ];
  const access = lz.access;
  if (access) {
    plans.push({
      id: ACCESS_STACK_ID,
      kind: ACCESS_STACK_ID,
      needs: [organization("creates the accounts its assignments name")],
      build: (s) => new AccessStack(s, ACCESS_STACK_ID, lz, access),
    });
  }
  const observability: Need = {
    stack: CORE_STACK_IDS.observability,
    why: "its OAM sink is read at plan time and its topics receive the alarms",
  };
  for (const env of allTeamEnvironments(lz)) {
    // A suspended or closed account sits under the deny-all SCP, where even the platform role cannot
    // read its resources, so its stack could not plan. It synthesizes nothing until reactivated; its
    // state and resources stay as they were (the organization stack still manages the account).
    if (env.account.status !== "active") continue;
    const id = env.account.stackId;
    plans.push({
      id,
      kind: "team-<team>-<env>",
      needs: [accounts, ...configBucket(env.account.configRecorder), observability],
      build: (s) => new TeamStack(s, id, lz, env),
    });
  }
  if (access) {
    const teamNeeds: Need[] = [
      organization("creates the accounts its assignments name"),
      { stack: ACCESS_STACK_ID, why: "its permission sets and platform groups are read by name" },
    ];
    // Whatever the accounts' status: a suspended account's assignments are destroyed by its team's
    // access stack in the same change that moves the account to the Suspended OU.
    for (const team of access.teams) {
      plans.push({
        id: team.stackId,
        kind: "access-<team>",
        needs: teamNeeds,
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

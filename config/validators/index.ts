// Step 3 of loading: every check, one named function each, grouped by concern in this folder, all
// reporting into one problem list so a pull request is fixed in one round. The order below is the
// order of the messages within each file (the loader groups them by file), so keep it when adding a
// check: append within the group whose file and subject it shares.
import type { ConfigProblem } from "../errors";
import { allAccounts, type LandingZone } from "../model";
import type { ConfigInput } from "../read";
import {
  checkAccountIds,
  checkExistingConfigRecorders,
  checkAccountName,
  checkOrganizationAccounts,
  checkTemplatedEmail,
  checkUniqueAccounts,
  type AccountCheck,
} from "./accounts";
import { checkAccess } from "./access";
import { checkAccountAlias, checkOptInRegions, checkUniqueAliases } from "./account-settings";
import { checkQuotaAlarmOrder } from "./alarms";
import {
  checkApiProvisionedConcurrency,
  checkApiTimeoutCoversP99,
  checkApiTimeoutWithinApiGateway,
  checkBatchingWindow,
  checkCodePaths,
  checkQueueVisibilityTimeout,
  checkTableKey,
  checkWorkerProvisionedConcurrency,
  checkWorkerTimeoutCoversAsync,
} from "./blueprint";
import {
  checkBlueprintCollisions,
  checkBlueprintNames,
  checkBlueprintSettings,
  checkTrafficUsed,
} from "./blueprints";
import { checkBudgetPriced, checkBudgetSubscribers } from "./budget";
import { checkApiGatewayRate, checkLambdaConcurrency } from "./capacity";
import { reporter, type Check, type Context, type EnvironmentCheck } from "./context";
import { checkWaivers } from "./guardrails";
import { checkDeclaredStatuses, checkLedgerHistories, checkRemovedAccounts } from "./lifecycle";
import { checkAgainstBaseRevision } from "./lifecycle-base";
import {
  checkAdoptedOus,
  checkCoreAccountOus,
  checkEnvironmentOus,
  checkHomeRegionAllowed,
  checkPlanRoleDistinct,
  checkMandatoryTags,
  checkOuTree,
  checkRegionsKnown,
  checkStateKeyRegion,
  checkSuspendedOu,
} from "./organization";
import { checkListDuplicates } from "./lists";
import { checkLockoutPlacement } from "./lockout";
import { checkPartition } from "./partition";
import {
  checkManagementPolicies,
  checkRcpsKeepLandingZoneFlows,
  checkResourceControlPolicies,
} from "./rcps";
import { checkScpsPerTarget, checkServiceControlPolicies } from "./scps";
import {
  checkEnvironmentOu,
  checkEnvironmentRegionAllowed,
  checkEnvironments,
  checkOwnerTags,
  checkTeamNames,
} from "./teams";

/** organization.yaml on its own. */
const ORGANIZATION: Check[] = [
  checkOuTree,
  checkSuspendedOu,
  checkHomeRegionAllowed,
  checkPlanRoleDistinct,
  checkEnvironmentOus,
  checkMandatoryTags,
  checkCoreAccountOus,
  checkStateKeyRegion,
  checkListDuplicates,
];

/** Each environment of each team file, all checks of one environment together. */
const ENVIRONMENT: EnvironmentCheck[] = [
  checkEnvironmentOu,
  checkEnvironmentRegionAllowed,
  checkBlueprintNames,
  checkBlueprintSettings,
  checkTrafficUsed,
  checkBlueprintCollisions,
  checkApiTimeoutWithinApiGateway,
  checkApiTimeoutCoversP99,
  checkWorkerTimeoutCoversAsync,
  checkQueueVisibilityTimeout,
  checkBatchingWindow,
  checkApiProvisionedConcurrency,
  checkWorkerProvisionedConcurrency,
  checkQuotaAlarmOrder,
  checkLambdaConcurrency,
  checkApiGatewayRate,
  checkTableKey,
  checkBudgetPriced,
];

/** Each account, core and team. */
const ACCOUNT: AccountCheck[] = [checkTemplatedEmail, checkAccountName, checkAccountAlias];

/** Across files, after the accounts. */
const ACROSS: Check[] = [
  checkAccountIds,
  checkExistingConfigRecorders,
  checkRegionsKnown,
  checkPartition,
  checkAdoptedOus,
  checkWaivers,
  checkCodePaths,
  checkOrganizationAccounts,
  checkLedgerHistories,
  checkDeclaredStatuses,
  checkRemovedAccounts,
  checkLockoutPlacement,
  checkAgainstBaseRevision,
  checkAccess,
  checkBudgetSubscribers,
  checkOwnerTags,
  checkUniqueAliases,
  checkOptInRegions,
];

export function validateLandingZone(
  input: ConfigInput,
  lz: LandingZone,
  problems: ConfigProblem[],
): void {
  const ctx: Context = { input, lz, report: reporter(problems) };
  for (const check of ORGANIZATION) check(ctx);
  checkTeamNames(ctx);
  checkEnvironments(ctx, ENVIRONMENT);
  checkUniqueAccounts(ctx);
  checkServiceControlPolicies(ctx);
  checkScpsPerTarget(ctx);
  checkResourceControlPolicies(ctx);
  checkRcpsKeepLandingZoneFlows(ctx);
  checkManagementPolicies(ctx);
  for (const account of allAccounts(lz)) for (const check of ACCOUNT) check(account, ctx);
  for (const check of ACROSS) check(ctx);
}

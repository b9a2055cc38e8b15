// Account settings across accounts: aliases AWS accepts and no two accounts share, and opt-in regions
// a new account can use on its first apply.
import { allAccounts, type Account } from "../model";
import { isOptInRegion } from "../regions";
import { ACCOUNT_ALIAS, ACCOUNT_ALIAS_RULE } from "../schema/account-settings";
import type { AccountCheck } from "./accounts";
import type { Context } from "./context";

/** An alias made by a template is one IAM accepts (typed ones are held to it by the schema). */
export const checkAccountAlias: AccountCheck = (a, { lz, report }) => {
  const alias = a.settings.alias;
  if (!alias?.templated) return;
  const template =
    a.kind === "team" ? "accountAliases.teamTemplate" : "accountAliases.coreTemplate";
  const problem = !ACCOUNT_ALIAS.test(alias.value)
    ? ACCOUNT_ALIAS_RULE
    : /^\d+$/.test(alias.value)
      ? "an account alias that is all digits would read as an account id"
      : undefined;
  if (problem) {
    report(
      alias.file,
      alias.path,
      `the alias made by ${template} (${lz.organizationFile}) is not one IAM accepts: ${problem}; set ${alias.path} or change the template`,
      alias.value,
    );
  }
};

/**
 * Each alias once in the organization. IAM aliases are unique across all of AWS: one another
 * organization holds already fails the account's first apply (EntityAlreadyExists), which no check
 * here can see.
 */
export function checkUniqueAliases({ lz, report }: Context): void {
  const byAlias = new Map<string, Account>();
  for (const a of allAccounts(lz)) {
    const alias = a.settings.alias;
    if (!alias) continue;
    const other = byAlias.get(alias.value);
    if (!other) {
      byAlias.set(alias.value, a);
      continue;
    }
    // Two files making one stack id make one templated alias too: checkUniqueAccounts reports that.
    if (other.stackId === a.stackId) continue;
    report(
      alias.file,
      alias.path,
      `account alias already used by ${other.stackId} (${other.settings.alias!.file}: ${other.settings.alias!.path}); an alias names one account in all of AWS`,
      alias.value,
    );
  }
}

/**
 * `optInRegions: existing` leaves opt-in regions to the platform team, which works only for accounts
 * that exist already: a new account starts with every opt-in region disabled, and its Config
 * recorders and observability links there (one per allowed region) fail on its first apply.
 */
export function checkOptInRegions({ lz, report }: Context): void {
  if (lz.org.optInRegions !== "existing") return;
  const created = allAccounts(lz).filter((a) => a.status === "active" && !a.accountId);
  if (created.length === 0) return;
  lz.org.allowedRegions.forEach((region, i) => {
    if (!isOptInRegion(region)) return;
    const names = created.map((a) => a.stackId);
    const shown = names.length > 3 ? [...names.slice(0, 3), `${names.length - 3} more`] : names;
    report(
      lz.organizationFile,
      "optInRegions",
      `allowedRegions[${i}] (${region}) is an opt-in region, and accounts the landing zone creates (${shown.join(", ")}) start with it disabled; set optInRegions: landing-zone so the management account enables it, or remove the region`,
      lz.org.optInRegions,
    );
  });
}

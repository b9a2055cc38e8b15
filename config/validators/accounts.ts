// Accounts across every file: one stack, one email and one id each; names and emails that a template
// made held to the rules AWS applies to typed ones (AWS refuses them halfway through an apply); and
// no more accounts than the organization may hold.
import { allAccounts, type Account } from "../model";
import { accountEmail } from "../schema";
import type { Context } from "./context";

/** AWS Organizations: an account root email is at most 64 characters. */
const EMAIL_MAX = 64;
/** AWS Organizations: an account name is 1 to 50 printable ASCII characters. */
const ACCOUNT_NAME_MAX = 50;
const ACCOUNT_NAME = /^[\x20-\x7E]+$/;

/** Each stack id once; each email once, compared case-insensitively. */
export function checkUniqueAccounts({ lz, report }: Context): void {
  const byStack = new Map<string, Account>();
  const byEmail = new Map<string, Account>();
  for (const a of allAccounts(lz)) {
    const other = byStack.get(a.stackId);
    if (other) {
      const at = a.source.path.replace(/\.email$/, "");
      report(
        a.source.file,
        at,
        `stack id ${a.stackId} is already produced by ${other.source.file}`,
        a.stackId,
      );
      continue; // the same root cause would also collide on the templated email
    }
    byStack.set(a.stackId, a);
    const key = a.email.toLowerCase();
    const dup = byEmail.get(key);
    if (dup) {
      const what = a.source.templated ? "the email made by teamAccounts.emailTemplate" : "email";
      report(
        a.source.file,
        a.source.path,
        `${what} is already used by ${dup.source.file}: ${dup.source.path} (emails are compared case-insensitively)`,
        a.email,
      );
    } else byEmail.set(key, a);
  }
}

/** A check of one account. */
export type AccountCheck = (a: Account, ctx: Context) => void;

/** An email made by teamAccounts.emailTemplate is one AWS accepts. */
export const checkTemplatedEmail: AccountCheck = (a, { report }) => {
  if (!a.source.templated) return;
  const parsed = accountEmail.safeParse(a.email);
  if (a.email.length > EMAIL_MAX) {
    report(
      a.source.file,
      a.source.path,
      `the email made by teamAccounts.emailTemplate is ${a.email.length} characters; AWS allows ${EMAIL_MAX}: set ${a.source.path} or shorten the template`,
      a.email,
    );
  } else if (!parsed.success) {
    report(
      a.source.file,
      a.source.path,
      `the email made by teamAccounts.emailTemplate is not a valid AWS account email: ${parsed.error.issues[0].message}; set ${a.source.path} or change the template`,
      a.email,
    );
  }
};

/** Account names, typed or made by teamAccounts.nameTemplate, are names AWS accepts. */
export const checkAccountName: AccountCheck = (a, { lz, report }) => {
  const envAt = a.source.path.replace(/\.email$/, "");
  const orgFile = lz.organizationFile;
  if (a.kind !== "team") {
    if (!ACCOUNT_NAME.test(a.name)) {
      report(a.source.file, `${envAt}.name`, "an AWS account name is printable ASCII", a.name);
    }
  } else if (a.name.length === 0 || a.name.length > ACCOUNT_NAME_MAX) {
    report(
      a.source.file,
      envAt,
      `the account name made by teamAccounts.nameTemplate is ${a.name.length} characters; AWS allows 1 to ${ACCOUNT_NAME_MAX}: shorten the template in ${orgFile}`,
      a.name,
    );
  } else if (!ACCOUNT_NAME.test(a.name)) {
    report(
      a.source.file,
      envAt,
      `the account name made by teamAccounts.nameTemplate must be printable ASCII (AWS Organizations); change the template in ${orgFile}`,
      a.name,
    );
  }
};

/** Recorded account ids: each once, never the management account's. */
export function checkAccountIds({ lz, report }: Context): void {
  const byId = new Map<string, Account>();
  const idPath = (a: Account) => a.source.path.replace(/\.email$/, ".accountId");
  for (const a of allAccounts(lz)) {
    if (a.accountId === undefined) continue;
    if (a.accountId === lz.org.managementAccountId) {
      report(
        a.source.file,
        idPath(a),
        `is the management account's id (${lz.organizationFile}: managementAccountId); a member account has its own id`,
        a.accountId,
      );
      continue;
    }
    const other = byId.get(a.accountId);
    if (other) {
      report(
        a.source.file,
        idPath(a),
        `account id already used by ${other.source.file}: ${idPath(other)}; every account has its own id`,
        a.accountId,
      );
    } else byId.set(a.accountId, a);
  }
}

/**
 * AWS Organizations holds at most `quotas.organizationAccounts` accounts, the management account and
 * suspended or closed ones included (a closed account counts until AWS removes it, about 90 days).
 * Going over fails the organization stack half-way through creating accounts.
 */
export function checkOrganizationAccounts({ lz, report }: Context): void {
  const count = 1 + allAccounts(lz).length;
  const quota = lz.org.quotas.organizationAccounts;
  if (count <= quota) return;
  report(
    lz.organizationFile,
    "quotas.organizationAccounts",
    `the configuration has ${count} accounts (management, core and team accounts, suspended and closed included) but the organization may hold ${quota}; request an increase of the AWS Organizations quota "Default maximum number of accounts" to at least ${count}, then declare it here`,
    quota,
  );
}

/** Only an account that exists already can have a recorder of its own: a new one records nothing. */
export function checkExistingConfigRecorders({ lz, report }: Context): void {
  for (const a of allAccounts(lz)) {
    if (a.configRecorder !== "existing" || a.accountId !== undefined) continue;
    report(
      a.source.file,
      a.source.path.replace(/\.email$/, ".configRecorder"),
      "existing is for an account that already records with AWS Config, which needs its accountId; a new account has no recorder, so leave landing-zone (the default)",
      a.configRecorder,
    );
  }
}

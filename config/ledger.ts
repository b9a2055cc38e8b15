// The lifecycle ledger, accounts/ledger.yaml: every status each team account has had, oldest first.
// A team file says what an account should be now; the ledger remembers what it was, so validation can
// refuse the two moves that lose accounts: closing an account that was never suspended, and removing
// a team file or environment whose account is not closed. The ledger only ever grows, so a reviewer
// reads each lifecycle step as one appended word in the pull request. The rules are here; the checks
// that apply them are config/validators/lifecycle.ts and lifecycle-base.ts.
import type { AccountStatus } from "./model";

export const LEDGER_FILE = "ledger.yaml";

/** The moves a status may make; `closed` is final. */
export const NEXT: Record<AccountStatus, AccountStatus[]> = {
  active: ["suspended"],
  suspended: ["active", "closed"],
  closed: [],
};

export const SAFE_REMOVAL =
  "set status: suspended and apply, then status: closed and apply, and only then remove it";

export function refusal(from: AccountStatus, to: AccountStatus): string {
  if (from === "closed") return "a closed account cannot change status again; onboard a new one";
  if (to === "closed") {
    return "an account is closed only from suspended: set status: suspended first (the account moves to the Suspended OU), apply, then set status: closed";
  }
  return `an account cannot go from ${from} to ${to}`;
}

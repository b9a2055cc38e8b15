// The lifecycle ledger, accounts/ledger.yaml: every status each team account has had, oldest first.
// A team file says what an account should be now; the ledger remembers what it was, so validation can
// refuse the two moves that lose accounts: closing an account that was never suspended, and removing
// a team file or environment whose account is not closed. The ledger only ever grows, so a reviewer
// reads each lifecycle step as one appended word in the pull request.
import type { ConfigProblem } from "./errors";
import type { AccountStatus, Team } from "./model";
import type { LedgerFile } from "./schema";
import { own } from "./keys";

export const LEDGER_FILE = "ledger.yaml";

/** The moves a status may make; `closed` is final. */
export const NEXT: Record<AccountStatus, AccountStatus[]> = {
  active: ["suspended"],
  suspended: ["active", "closed"],
  closed: [],
};

export const SAFE_REMOVAL =
  "set status: suspended and apply, then status: closed and apply, and only then remove it";

function refusal(from: AccountStatus, to: AccountStatus): string {
  if (from === "closed") return "a closed account cannot change status again; onboard a new one";
  if (to === "closed") {
    return "an account is closed only from suspended: set status: suspended first (the account moves to the Suspended OU), apply, then set status: closed";
  }
  return `an account cannot go from ${from} to ${to}`;
}

export function checkLifecycle(
  ledger: LedgerFile,
  ledgerFile: string,
  teams: Team[],
  teamFileOf: (team: string) => string,
  /** Teams with a file on disk, parsed or not: a file that failed to parse is not a removal. */
  teamsOnDisk: Set<string>,
  problems: ConfigProblem[],
): void {
  const push = (file: string, path: string, message: string, got?: unknown) =>
    problems.push(got === undefined ? { file, path, message } : { file, path, message, got });

  // The recorded history itself must be a sequence of allowed moves, starting active.
  for (const [team, envs] of Object.entries(ledger.teams)) {
    for (const [env, history] of Object.entries(envs)) {
      if (history[0] !== "active") {
        push(ledgerFile, `teams.${team}.${env}[0]`, "an account starts active", history[0]);
      }
      for (let i = 1; i < history.length; i++) {
        if (!NEXT[history[i - 1]].includes(history[i])) {
          push(
            ledgerFile,
            `teams.${team}.${env}[${i}]`,
            refusal(history[i - 1], history[i]),
            history[i],
          );
        }
      }
    }
  }

  // Each declared environment against its record.
  const declared = new Set<string>();
  for (const team of teams) {
    for (const env of Object.keys(team.raw.environments)) declared.add(`${team.name}/${env}`);
    for (const e of team.environments) {
      const history = own(own(ledger.teams, team.name), e.env);
      const status = e.account.status;
      const at = `environments.${e.env}.status`;
      if (!history) {
        if (status !== "active") {
          push(
            team.file,
            at,
            `a new account starts active; record it in ${ledgerFile} as teams.${team.name}.${e.env}: [active] (npm run onboard does this)`,
            status,
          );
        }
        continue;
      }
      const last = history[history.length - 1];
      if (status === last) continue;
      if (NEXT[last].includes(status)) {
        push(
          team.file,
          at,
          `changes the account from ${last} to ${status}; record the step by appending ${status} to teams.${team.name}.${e.env} in ${ledgerFile}`,
          status,
        );
      } else {
        push(team.file, at, `${refusal(last, status)} (${ledgerFile} records ${last})`, status);
      }
    }
  }

  // Recorded accounts that no team file declares any more: only closed ones may go.
  for (const [team, envs] of Object.entries(ledger.teams)) {
    for (const [env, history] of Object.entries(envs)) {
      const last = history[history.length - 1];
      if (last === "closed" || declared.has(`${team}/${env}`)) continue;
      if (teamsOnDisk.has(team) && !teams.some((t) => t.name === team)) continue;
      push(
        ledgerFile,
        `teams.${team}.${env}`,
        `the account is ${last} but ${teamFileOf(team)} no longer declares environment ${env}; an account is never removed before it is closed: restore the environment, ${SAFE_REMOVAL}`,
      );
    }
  }
}

// The account lifecycle against accounts/ledger.yaml (config/ledger.ts has the rules): the recorded
// histories are allowed moves, each declared status is the recorded one or the next step, and an
// account leaves the configuration only once it is closed. Skipped when the ledger did not parse.
import { own } from "../keys";
import { NEXT, SAFE_REMOVAL, refusal } from "../ledger";
import type { Context } from "./context";

/** The recorded history itself is a sequence of allowed moves, starting active. */
export function checkLedgerHistories({ input, report }: Context): void {
  if (!input.ledger) return;
  const { file, data } = input.ledger;
  for (const [team, envs] of Object.entries(data.teams)) {
    for (const [env, history] of Object.entries(envs)) {
      if (history[0] !== "active") {
        report(file, `teams.${team}.${env}[0]`, "an account starts active", history[0]);
      }
      for (let i = 1; i < history.length; i++) {
        if (!NEXT[history[i - 1]].includes(history[i])) {
          report(
            file,
            `teams.${team}.${env}[${i}]`,
            refusal(history[i - 1], history[i]),
            history[i],
          );
        }
      }
    }
  }
}

/** Each declared environment's status is its recorded one, or one allowed step that is recorded. */
export function checkDeclaredStatuses({ input, lz, report }: Context): void {
  if (!input.ledger) return;
  const { file: ledgerFile, data: ledger } = input.ledger;
  for (const team of lz.teams) {
    for (const e of team.environments) {
      const history = own(own(ledger.teams, team.name), e.env);
      const status = e.account.status;
      const at = `environments.${e.env}.status`;
      if (!history) {
        if (status !== "active") {
          report(
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
        report(
          team.file,
          at,
          `changes the account from ${last} to ${status}; record the step by appending ${status} to teams.${team.name}.${e.env} in ${ledgerFile}`,
          status,
        );
      } else {
        report(team.file, at, `${refusal(last, status)} (${ledgerFile} records ${last})`, status);
      }
    }
  }
}

/** Recorded accounts that no team file declares any more: only closed ones may go. */
export function checkRemovedAccounts({ input, lz, report }: Context): void {
  if (!input.ledger) return;
  const declared = new Set(
    lz.teams.flatMap((t) => Object.keys(t.raw.environments).map((env) => `${t.name}/${env}`)),
  );
  for (const [team, envs] of Object.entries(input.ledger.data.teams)) {
    for (const [env, history] of Object.entries(envs)) {
      const last = history[history.length - 1];
      if (last === "closed" || declared.has(`${team}/${env}`)) continue;
      // A team file that failed to parse is not a removal.
      if (input.teamsOnDisk.has(team) && !lz.teams.some((t) => t.name === team)) continue;
      report(
        input.ledger.file,
        `teams.${team}.${env}`,
        `the account is ${last} but ${input.teamFileOf(team)} no longer declares environment ${env}; an account is never removed before it is closed: restore the environment, ${SAFE_REMOVAL}`,
      );
    }
  }
}

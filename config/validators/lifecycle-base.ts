// The lifecycle guard against a base revision. lifecycle.ts checks that the team files agree with
// the ledger; alone it can be edited away, because one change can rewrite both. Compared with
// the base (the merge base of a pull request), a change may only append to the ledger, one step per
// account, and may not drop an account the base records as not closed.
import type { BaseRevision } from "../git-base";
import { own } from "../keys";
import { NEXT, SAFE_REMOVAL } from "../ledger";
import type { AccountStatus, Team } from "../model";
import { readYamlText } from "../read-yaml";
import type { Context, Report } from "./context";

type History = Record<string, Record<string, string[]>>;

const STATUSES = new Set(["active", "suspended", "closed"]);

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The ledger's histories, read loosely: a base may predate today's schema. */
function histories(data: unknown): History {
  const out: History = {};
  const teams = isObject(data) ? data.teams : undefined;
  if (!isObject(teams)) return out;
  for (const [team, envs] of Object.entries(teams)) {
    if (!isObject(envs)) continue;
    out[team] = {};
    for (const [env, list] of Object.entries(envs)) {
      if (Array.isArray(list)) out[team][env] = list.map(String);
    }
  }
  return out;
}

/** Environment -> status of a team file at the base (status defaults to active). */
function statuses(text: string, file: string): Record<string, string> | undefined {
  const read = readYamlText(text, file);
  if (!read.ok || !isObject(read.data.environments)) return undefined;
  const out: Record<string, string> = {};
  for (const [env, def] of Object.entries(read.data.environments)) {
    const status = isObject(def) && typeof def.status === "string" ? def.status : "active";
    out[env] = status;
  }
  return out;
}

/** When a base revision is given (LZ_BASE_REF, --base): the change holds against it. */
export function checkAgainstBaseRevision({ input, lz, report }: Context): void {
  if (!input.ledger || !input.base) return;
  const { ref, read } = input.base;
  if (!read.ok) {
    report(
      input.ledger.file,
      "",
      `cannot hold the ledger against the base revision ${ref}: ${read.reason}`,
    );
    return;
  }
  checkAgainstBase(
    read.base,
    {
      ledgerFile: input.ledger.file,
      ledger: input.ledger.present ? input.ledger.data.teams : undefined,
      teams: lz.teams,
      teamFileOf: input.teamFileOf,
      teamsOnDisk: input.teamsOnDisk,
    },
    report,
  );
}

interface CurrentLifecycle {
  ledgerFile: string;
  /** The ledger as parsed now; undefined when the file is gone. */
  ledger?: History;
  teams: Team[];
  teamFileOf: (team: string) => string;
  /** Teams with a file on disk, parsed or not: a file that failed to parse is not a removal. */
  teamsOnDisk: Set<string>;
}

function checkAgainstBase(base: BaseRevision, now: CurrentLifecycle, push: Report): void {
  const at = `${base.ref} (${base.commit.slice(0, 12)})`;
  const baseRead =
    base.ledger === undefined ? undefined : readYamlText(base.ledger, now.ledgerFile);
  const before = baseRead?.ok ? histories(baseRead.data) : {};

  if (base.ledger !== undefined && now.ledger === undefined) {
    push(
      now.ledgerFile,
      "",
      `this change deletes the ledger, which ${at} has; the ledger only grows: restore it`,
    );
  }
  const after = now.ledger ?? {};

  // Recorded history is kept as it was, and grows by at most one step per account.
  for (const [team, envs] of Object.entries(before)) {
    for (const [env, old] of Object.entries(envs)) {
      if (now.ledger === undefined) break;
      const path = `teams.${team}.${env}`;
      const cur = own(own(after, team), env);
      if (!cur) {
        push(
          now.ledgerFile,
          path,
          `removes recorded history: ${at} records [${old.join(", ")}]; the ledger only grows`,
        );
        continue;
      }
      if (cur.length < old.length || old.some((s, i) => cur[i] !== s)) {
        push(
          now.ledgerFile,
          path,
          `rewrites recorded history: ${at} records [${old.join(", ")}]; append to it, never edit it`,
          cur,
        );
        continue;
      }
      if (cur.length > old.length + 1) {
        push(
          now.ledgerFile,
          path,
          `records ${cur.length - old.length} lifecycle steps in one change (after ${at}: ${old[old.length - 1]}); one step per change, applied before the next`,
          cur,
        );
      }
    }
  }

  // What the base declared or recorded as not closed is still there, one step further at most.
  const declared = new Map<string, { team: Team; status: string }>();
  for (const team of now.teams) {
    for (const [env, def] of Object.entries(team.raw.environments)) {
      declared.set(`${team.name}/${env}`, { team, status: def.status });
    }
  }
  const baseStatus = new Map<string, string>();
  for (const [team, text] of base.teams) {
    const envs = statuses(text, now.teamFileOf(team));
    for (const [env, status] of Object.entries(envs ?? {}))
      baseStatus.set(`${team}/${env}`, status);
  }
  for (const [team, envs] of Object.entries(before)) {
    for (const [env, list] of Object.entries(envs)) {
      const key = `${team}/${env}`;
      if (!baseStatus.has(key) && list.length > 0) baseStatus.set(key, list[list.length - 1]);
    }
  }
  for (const [key, was] of [...baseStatus].sort(([a], [b]) => a.localeCompare(b))) {
    const [team, env] = key.split("/");
    const cur = declared.get(key);
    if (!cur) {
      if (was === "closed") continue;
      if (now.teamsOnDisk.has(team) && !now.teams.some((t) => t.name === team)) continue;
      const file = now.teamFileOf(team);
      push(
        file,
        now.teamsOnDisk.has(team) ? `environments.${env}` : "",
        `drops the account of ${team} ${env}, which ${at} has as ${was}; an account is never removed before it is closed: ${SAFE_REMOVAL}`,
      );
      continue;
    }
    if (cur.status === was || !STATUSES.has(was)) continue;
    if (!NEXT[was as AccountStatus].includes(cur.status as AccountStatus)) {
      push(
        cur.team.file,
        `environments.${env}.status`,
        `jumps from ${was} (at ${at}) to ${cur.status} in one change; an account moves one step per change (active -> suspended -> closed), each applied before the next`,
        cur.status,
      );
    }
  }
}

// `npm run onboard -- --team <name> --owner-email <email> --cost-center <code> [...]`: writes the new
// team's file, accounts/teams/<team>.yaml, and records its accounts in accounts/ledger.yaml, after
// validating the whole resulting configuration in a temporary copy. Nothing is written unless every
// rule of the loader and of capacity planning passes; --dry-run prints instead of writing.
import { formerLayoutBlueprint } from "../config/layout";
import {
  cpSync,
  existsSync,
  mkdtempSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join, relative, resolve, sep } from "node:path";
import { isMap, isSeq, parseDocument, stringify, type YAMLMap } from "yaml";
import type { z } from "zod";
import { own } from "../config/keys";
import { readYamlText } from "../config/read-yaml";
import { ConfigError, type ConfigProblem } from "../config/errors";
import { defaultAccountsDir, loadLandingZone } from "../config/load";
import { LEDGER_FILE } from "../config/ledger";
import type { LandingZone } from "../config/model";
import { accountEmail, lowerName } from "../config/schema";
import type { GroupReference } from "../config/schema/access";
import { asyncTraffic, syncTraffic } from "../config/schema/settings";
import { blueprintNamed, DEFAULT_BLUEPRINTS, registeredBlueprints } from "../blueprints";
import {
  decimalNumber,
  EXIT_OK,
  failureOf,
  keyValues,
  oneOf,
  parseFlags,
  selection,
  UsageError,
  type Failure,
} from "./args";

export const USAGE = `Usage: npm run onboard -- --team <name> --owner-email <email> --cost-center <code>
         [--owner-name <name>] [--description <text>] [--envs dev,prod]
         [--blueprint <name>]... [--monthly-limit <amount>]
         [--rps <n>] [--nonprod-rps <n>] [--duration-ms <ms>] [--p99-ms <ms>]
         [--async-mps <n>] [--async-duration-ms <ms>] [--authorization iam|api-key|none]
         [--account-email <env>=<email>]... [--group <role>=<display name>]...
         [--group-id <role>=<group id>]... [--create-groups] [--dry-run]
  Writes accounts/teams/<team>.yaml and the team's lines in accounts/ledger.yaml, after validating the
  whole configuration with the team added; --dry-run prints them instead (docs/operations.md).
  --blueprint  a registered blueprint for every environment (repeat for several; default
               ${DEFAULT_BLUEPRINTS.join(", ")}); the traffic flags apply where a blueprint reads traffic
  --monthly-limit  each environment's declared monthly budget (needed where no estimate exists)`;

export interface OnboardRequest {
  team: string;
  ownerEmail: string;
  ownerName: string;
  costCenter: string;
  description?: string;
  envs?: string[];
  /** Registered blueprint names; the default when unset. */
  blueprints?: string[];
  monthlyLimit?: number;
  rps: number;
  nonprodRps?: number;
  durationMs: number;
  p99Ms?: number;
  asyncMps?: number;
  asyncDurationMs?: number;
  authorization?: "iam" | "api-key" | "none";
  accountEmails: Record<string, string>;
  /** Existing identity store groups by role (from an identity provider), by display name or id. */
  groups: Record<string, { displayName: string } | { id: string }>;
  /** Create the team's groups (template names) even where organization.yaml looks them up. */
  createGroups: boolean;
}

export function parseRequest(argv: string[]): { request: OnboardRequest; dryRun: boolean } {
  const { values } = parseFlags(
    {
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        team: { type: "string" },
        "owner-email": { type: "string" },
        "owner-name": { type: "string" },
        "cost-center": { type: "string" },
        description: { type: "string" },
        envs: { type: "string" },
        blueprint: { type: "string", multiple: true },
        "monthly-limit": { type: "string" },
        rps: { type: "string" },
        "nonprod-rps": { type: "string" },
        "duration-ms": { type: "string" },
        "p99-ms": { type: "string" },
        "async-mps": { type: "string" },
        "async-duration-ms": { type: "string" },
        authorization: { type: "string" },
        "account-email": { type: "string", multiple: true },
        group: { type: "string", multiple: true },
        "group-id": { type: "string", multiple: true },
        "create-groups": { type: "boolean", default: false },
        "dry-run": { type: "boolean", default: false },
      },
    },
    USAGE,
  );
  const missing = ["team", "owner-email", "cost-center"].filter(
    (f) => values[f as keyof typeof values] === undefined,
  );
  if (missing.length > 0) {
    throw new UsageError(`missing ${missing.map((f) => `--${f}`).join(", ")}\n\n${USAGE}`);
  }
  const errors: string[] = [];
  const check = (
    flag: string,
    result: { success: boolean; error?: { issues: { message: string }[] } },
    got: string,
  ) => {
    if (!result.success)
      errors.push(`--${flag}: ${result.error!.issues[0].message} (got ${JSON.stringify(got)})`);
  };
  const team = values.team!;
  const ownerEmail = values["owner-email"]!;
  check("team", lowerName("a team name", 24).safeParse(team), team);
  check("owner-email", accountEmail.safeParse(ownerEmail), ownerEmail);
  const attempt = <T>(parse: () => T): T | undefined => {
    try {
      return parse();
    } catch (e) {
      if (!(e instanceof UsageError)) throw e;
      errors.push(e.message);
      return undefined;
    }
  };
  // No prototype: an environment named __proto__ or constructor is an ordinary (unknown) key.
  const accountEmails: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [env, email] of attempt(() =>
    keyValues("account-email", values["account-email"], "<env>=<email>"),
  ) ?? []) {
    check("account-email", accountEmail.safeParse(email), email);
    accountEmails[env] = email;
  }
  const groups: OnboardRequest["groups"] = Object.create(null) as OnboardRequest["groups"];
  for (const [flag, key] of [
    ["group", "displayName"],
    ["group-id", "id"],
  ] as const) {
    for (const pair of values[flag] ?? []) {
      const m = /^([^=]+)=(.+)$/.exec(pair);
      if (!m) {
        errors.push(
          `--${flag}: must be <role>=<${key === "id" ? "group id" : "display name"}> (got ${JSON.stringify(pair)})`,
        );
        continue;
      }
      if (m[1] in groups)
        errors.push(`--${flag}: role ${m[1]} is given a group twice (got ${JSON.stringify(pair)})`);
      groups[m[1]] = key === "id" ? { id: m[2] } : { displayName: m[2] };
    }
  }
  const createGroups = values["create-groups"] ?? false;
  if (createGroups && Object.keys(groups).length > 0)
    errors.push(
      "--create-groups: creates every group of the team; give it without --group or --group-id",
    );
  // A traffic flag's domain is its field's in the team file: above 0, up to the schema's maximum.
  const num = (flag: string, field: z.ZodNumber, unit: string) =>
    attempt(() =>
      decimalNumber(flag, values[flag as keyof typeof values] as string | undefined, {
        unit,
        above: 0,
        max: field.maxValue!,
        integer: field.isInt,
      }),
    );
  const sync = syncTraffic.shape;
  const rps = num("rps", sync.requestsPerSecond, "requests per second") ?? 10;
  const nonprodRps = num("nonprod-rps", sync.requestsPerSecond, "requests per second");
  const durationMs = num("duration-ms", sync.averageDurationMs, "milliseconds") ?? 100;
  const p99Ms = num("p99-ms", sync.p99DurationMs, "milliseconds");
  const asyncMps = num("async-mps", asyncTraffic.shape.messagesPerSecond, "messages per second");
  const asyncDurationMs = num(
    "async-duration-ms",
    asyncTraffic.shape.averageDurationMs,
    "milliseconds",
  );
  if ((asyncMps === undefined) !== (asyncDurationMs === undefined)) {
    errors.push("--async-mps and --async-duration-ms: give both or neither");
  }
  let authorization: OnboardRequest["authorization"];
  try {
    if (values.authorization !== undefined) {
      authorization = oneOf(
        "authorization",
        values.authorization,
        ["iam", "api-key", "none"] as const,
        "iam",
      );
    }
  } catch (e) {
    errors.push((e as Error).message);
  }
  const envs =
    values.envs === undefined ? undefined : attempt(() => selection("--envs", values.envs!));
  const blueprints = values.blueprint;
  for (const name of blueprints ?? [])
    if (!blueprintNamed(name))
      errors.push(
        `--blueprint: unknown blueprint; registered: ${registeredBlueprints()
          .map((b) => b.name)
          .join(", ")} (got ${JSON.stringify(name)})`,
      );
  if (blueprints && new Set(blueprints).size !== blueprints.length)
    errors.push(`--blueprint: a blueprint is given twice (got ${blueprints.join(", ")})`);
  const monthlyLimit = attempt(() =>
    decimalNumber("monthly-limit", values["monthly-limit"], {
      unit: "currency units",
      above: 0,
      max: 1_000_000_000,
    }),
  );
  if (errors.length > 0) throw new UsageError(errors.join("\n"));
  return {
    dryRun: values["dry-run"] ?? false,
    request: {
      team,
      ownerEmail,
      ownerName: values["owner-name"] ?? ownerEmail.split("@")[0],
      costCenter: values["cost-center"]!,
      description: values.description,
      envs,
      blueprints,
      monthlyLimit,
      rps,
      nonprodRps,
      durationMs,
      p99Ms,
      asyncMps,
      asyncDurationMs,
      authorization,
      accountEmails,
      groups,
      createGroups,
    },
  };
}

/**
 * A string as one line of YAML that the loader (config/read-yaml.ts) reads back as the same string:
 * plain where that reads back unchanged, else double-quoted. No folding of long text and no block
 * scalars for newlines (those would need indentation this line-by-line writer does not give). The
 * check is the loader itself, so a word YAML 1.1 would read as a number (`1_000`) is quoted too.
 */
export function yamlString(value: string, inFlow = false): string {
  const plain = stringify(value, { lineWidth: 0, blockQuote: false }).replace(/\n$/, "");
  if (readsBackAs(plain, value, inFlow)) return plain;
  // JSON's escapes are YAML's; C1 controls, DEL and the non-characters are escaped as well, since a
  // YAML file may not contain them raw.
  const quoted = JSON.stringify(value).replace(
    /[\u007f-\u009f\u2028\u2029\ufffe\uffff]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  if (!readsBackAs(quoted, value, inFlow))
    throw new Error(
      `onboard: cannot write ${JSON.stringify(value)} as YAML that reads back unchanged`,
    );
  return quoted;
}

/** Whether `scalar` reads back as `value`, as a block value or inside a flow mapping `{ k: ... }`. */
function readsBackAs(scalar: string, value: string, inFlow: boolean): boolean {
  const read = readYamlText(inFlow ? `v: { k: ${scalar} }\n` : `v: ${scalar}\n`, "(value)");
  const v = read.ok ? read.data.v : undefined;
  return inFlow
    ? typeof v === "object" && v !== null && (v as { k?: unknown }).k === value
    : v === value;
}

const scalar = yamlString;

/** The team file, formatted like the examples in accounts/teams/. */
export function renderTeamFile(
  r: OnboardRequest,
  envs: string[],
  production: (env: string) => boolean,
  groups: [role: string, ref: GroupReference][] = [],
): string {
  const title = r.team.charAt(0).toUpperCase() + r.team.slice(1);
  const lines = [
    "# yaml-language-server: $schema=../../schemas/team.schema.json",
    "#",
    `# ${title}: onboarded with npm run onboard; traffic figures are the team's own estimates.`,
    `name: ${r.team}`,
  ];
  if (r.description) lines.push(`description: ${scalar(r.description)}`);
  lines.push("owners:", `  - name: ${scalar(r.ownerName)}`, `    email: ${scalar(r.ownerEmail)}`);
  lines.push(`costCenter: ${scalar(r.costCenter)}`);
  const blueprints = r.blueprints ?? DEFAULT_BLUEPRINTS;
  if (blueprints.join() !== DEFAULT_BLUEPRINTS.join())
    lines.push(`blueprints: [${blueprints.join(", ")}]`);
  // Traffic and the API's settings go under the key of the blueprint sized from traffic (or, for
  // the authorization of a team that lists none yet, the one the former layout's settings are).
  const sized = blueprints.find((name) => blueprintNamed(name)?.usesTraffic);
  const apiKey = sized ?? formerLayoutBlueprint();
  if (r.authorization && apiKey)
    lines.push(`${apiKey}:`, "  api:", `    authorization: ${r.authorization}`);
  lines.push("environments:");
  for (const env of envs) {
    const rps = production(env) ? r.rps : (r.nonprodRps ?? Math.max(1, Math.ceil(r.rps / 10)));
    const p99 = r.p99Ms ?? Math.min(Math.max(r.durationMs * 4, r.durationMs), 10_000);
    lines.push(`  ${env}:`);
    if (r.accountEmails[env]) lines.push(`    email: ${scalar(r.accountEmails[env])}`);
    if (r.monthlyLimit !== undefined) lines.push(`    budget: { monthlyLimit: ${r.monthlyLimit} }`);
    if (!sized) {
      if (r.accountEmails[env] === undefined && r.monthlyLimit === undefined)
        lines[lines.length - 1] += " {}";
      continue;
    }
    lines.push(`    ${sized}:`, "      traffic:");
    lines.push(
      `        sync: { requestsPerSecond: ${rps}, averageDurationMs: ${r.durationMs}, p99DurationMs: ${p99} }`,
    );
    if (r.asyncMps !== undefined && r.asyncDurationMs !== undefined) {
      const mps = production(env) ? r.asyncMps : Math.max(1, Math.ceil(r.asyncMps / 10));
      lines.push(
        `        async: { messagesPerSecond: ${mps}, averageDurationMs: ${r.asyncDurationMs} }`,
      );
    }
  }
  if (groups.length > 0) {
    lines.push("access:", "  groups:");
    for (const [role, ref] of groups) {
      const inner = ref.create
        ? `create: { displayName: ${scalar(ref.create.displayName, true)} }`
        : ref.id !== undefined
          ? `id: ${scalar(ref.id, true)}`
          : `displayName: ${scalar(ref.displayName!, true)}`;
      lines.push(`    ${role}: { ${inner} }`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The ledger with the new team's accounts recorded as active, teams kept in name order. */
export function renderLedger(current: string | undefined, team: string, envs: string[]): string {
  const doc = parseDocument(current ?? "teams: {}\n");
  const entry = doc.createNode(Object.fromEntries(envs.map((e) => [e, ["active"]]))) as YAMLMap;
  for (const item of entry.items) if (isSeq(item.value)) item.value.flow = true;
  doc.setIn(["teams", team], entry);
  const teams = doc.get("teams");
  if (isMap(teams)) {
    teams.flow = false;
    teams.items.sort((a, b) => String(a.key).localeCompare(String(b.key)));
  }
  return doc.toString({ flowCollectionPadding: false });
}

/** Which flag a problem in the new team file comes from, so the message can name it. */
function flagFor(path: string): string | undefined {
  if (/^name\b/.test(path)) return "--team";
  if (/^owners/.test(path)) return "--owner-email / --owner-name";
  if (/^costCenter/.test(path)) return "--cost-center";
  if (/^description/.test(path)) return "--description";
  if (/^[a-z-]+\.api\.authorization/.test(path)) return "--authorization";
  if (/(^|\.)blueprints\b/.test(path)) return "--blueprint";
  if (/monthlyLimit/.test(path)) return "--monthly-limit";
  if (/\.email\b/.test(path))
    return "--account-email (or --team: account emails come from the template)";
  if (/requestsPerSecond|\.traffic$/.test(path)) return "--rps / --nonprod-rps";
  if (/p99DurationMs/.test(path)) return "--p99-ms";
  if (/async/.test(path)) return "--async-mps / --async-duration-ms";
  if (/averageDurationMs|timeoutSeconds/.test(path)) return "--duration-ms / --p99-ms";
  if (/^environments\.[^.]+$/.test(path)) return "--envs";
  if (/^access\.groups\.[^.]+\.id\b/.test(path)) return "--group-id";
  if (/^access\.groups\.[^.]+\.create\b/.test(path)) return "--create-groups";
  if (/^access\.groups/.test(path)) return "--group";
  return undefined;
}

export interface OnboardResult {
  teamFile: string;
  teamText: string;
  ledgerFile: string;
  ledgerText: string;
  lz: LandingZone;
}

/** Validates the configuration with the new team added, in a temporary copy; throws on any problem. */
export function prepareOnboarding(
  request: OnboardRequest,
  accountsDir: string,
  cwd: string,
): OnboardResult {
  const display = (abs: string) => relative(cwd, abs).split(sep).join("/") || ".";
  let current: LandingZone;
  try {
    current = loadLandingZone({ accountsDir, cwd });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    throw new ConfigError(
      e.problems.map((p) => ({
        ...p,
        message: `${p.message} [fix the current configuration first]`,
      })),
    );
  }
  const teamPath = join(accountsDir, "teams", `${request.team}.yaml`);
  const ledgerPath = join(accountsDir, LEDGER_FILE);
  if (existsSync(teamPath)) {
    throw new UsageError(
      `--team: team ${request.team} already exists (${display(teamPath)}); change that file in a pull request instead`,
    );
  }
  const ledgerText = existsSync(ledgerPath) ? readFileSync(ledgerPath, "utf8") : undefined;
  const ledger =
    ledgerText === undefined ? undefined : readYamlText(ledgerText, display(ledgerPath));
  const recorded = ledger?.ok ? ledger.data.teams : undefined;
  if (
    typeof recorded === "object" &&
    recorded !== null &&
    own(recorded as Record<string, unknown>, request.team) !== undefined
  ) {
    throw new UsageError(
      `--team: ${display(ledgerPath)} already records accounts of a team named ${request.team} (closed accounts keep their record); choose another name`,
    );
  }
  const known = Object.keys(current.org.environments);
  const envs = request.envs ?? known;
  const unknown = envs.filter((e) => !known.includes(e));
  if (unknown.length > 0) {
    throw new UsageError(
      `--envs: unknown environment ${unknown.join(", ")}; the organization defines: ${known.join(", ")}`,
    );
  }
  const strayEmails = Object.keys(request.accountEmails).filter((e) => !envs.includes(e));
  if (strayEmails.length > 0) {
    throw new UsageError(
      `--account-email: ${strayEmails.join(", ")} is not one of --envs (${envs.join(", ")})`,
    );
  }
  const ordered = known.filter((e) => envs.includes(e));
  const teamText = renderTeamFile(
    request,
    ordered,
    (e) => current.org.environments[e].production,
    teamGroups(request, current),
  );
  const newLedger = renderLedger(ledgerText, request.team, ordered);

  // Validate exactly what would be written, next to everything already there.
  const scratch = mkdtempSync(join(tmpdir(), "lz-onboard-"));
  try {
    const copy = join(scratch, basename(accountsDir));
    cpSync(accountsDir, copy, { recursive: true });
    writeFileSync(join(copy, "teams", `${request.team}.yaml`), teamText);
    writeFileSync(join(copy, LEDGER_FILE), newLedger);
    let lz: LandingZone;
    try {
      // The copy is no git checkout; the real folder was held against the base above.
      lz = loadLandingZone({ accountsDir: copy, cwd: scratch, base: "" });
    } catch (e) {
      if (!(e instanceof ConfigError)) throw e;
      const real = (file: string) => display(join(dirname(accountsDir), file));
      throw new ConfigError(
        e.problems.map((p): ConfigProblem => {
          // A clash may be reported on the other file; the message then names the new one.
          const mentioned = new RegExp(`teams/${request.team}\\.yaml: (\\S+)`).exec(p.message);
          const flag = p.file.endsWith(`teams/${request.team}.yaml`)
            ? flagFor(p.path)
            : mentioned
              ? flagFor(mentioned[1])
              : undefined;
          return {
            ...p,
            file: real(p.file),
            message: flag ? `${p.message} [set by ${flag}]` : p.message,
          };
        }),
      );
    }
    return {
      teamFile: display(teamPath),
      teamText,
      ledgerFile: display(ledgerPath),
      ledgerText: newLedger,
      lz,
    };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

/** The group flags as team-file entries, roles checked against the organization's rule table. */
function teamGroups(request: OnboardRequest, lz: LandingZone): [string, GroupReference][] {
  const given = Object.keys(request.groups);
  if (given.length === 0 && !request.createGroups) return [];
  const access = lz.org.access;
  if (!access)
    throw new UsageError(
      `--${given.length > 0 ? "group" : "create-groups"}: ${lz.organizationFile} has no access section, so teams have no groups`,
    );
  const roles = [...new Set(access.assignments.map((r) => r.role))].sort();
  const unknown = given.filter((r) => !roles.includes(r));
  if (unknown.length > 0)
    throw new UsageError(
      `--group: unknown role ${unknown.join(", ")}; the rule table (access.assignments) has roles: ${roles.join(", ") || "none"}`,
    );
  if (request.createGroups)
    return roles.map((role) => [
      role,
      {
        create: {
          displayName: access.teamGroups.displayName
            .replaceAll("{team}", request.team)
            .replaceAll("{role}", role),
        },
      },
    ]);
  return given.sort().map((role) => [role, request.groups[role]]);
}

function writeAtomically(path: string, text: string): void {
  const staging = `${path}.onboard-${process.pid}`;
  writeFileSync(staging, text);
  renameSync(staging, path);
}

/**
 * The command against `accountsDir`: validates, writes the team file and the ledger (unless
 * --dry-run) and returns what it prints. Throws what main() maps to an exit code.
 */
export function onboard(argv: string[], accountsDir: string, cwd: string): string {
  const { request, dryRun } = parseRequest(argv);
  const result = prepareOnboarding(request, accountsDir, cwd);
  const team = result.lz.teams.find((t) => t.name === request.team)!;
  const stacks = team.environments.map((e) => e.account.stackId);
  const out: string[] = [];
  if (dryRun) {
    out.push(`# --dry-run: would write ${result.teamFile}`);
    out.push(result.teamText.trimEnd());
    out.push(`# and record in ${result.ledgerFile}:`);
    out.push(
      `#   teams.${request.team}: ${team.environments.map((e) => `${e.env}: [active]`).join(", ")}`,
    );
    out.push("# The configuration with this team is valid; nothing was written.");
    return `${out.join("\n")}\n`;
  }
  // The team file first: a team file without its ledger line is still valid (a new account), the
  // reverse is not.
  writeAtomically(join(accountsDir, "teams", `${request.team}.yaml`), result.teamText);
  writeAtomically(join(accountsDir, LEDGER_FILE), result.ledgerText);
  out.push(`Wrote ${result.teamFile} and recorded its accounts in ${result.ledgerFile}.`);
  out.push("");
  const access = result.lz.access?.teams.find((t) => t.team === request.team);
  const width = Math.max(...[...stacks, access?.stackId ?? ""].map((s) => s.length));
  out.push("Stacks that will appear:");
  // An account holding the default blueprints reads as it always has; any other names its own.
  const blueprintsNote = (e: (typeof team.environments)[number]) => {
    const names = e.blueprints.map((u) => u.name);
    return names.join() === DEFAULT_BLUEPRINTS.join() ? "" : `${names.join(" + ")}, `;
  };
  for (const e of team.environments) {
    out.push(
      `  ${e.account.stackId.padEnd(width)}  account ${e.account.name} <${e.account.email}> in ${e.account.ou}; ${blueprintsNote(e)}${e.capacity.apiRequestsPerSecond} rps, ${e.capacity.reservedConcurrency} reserved concurrency`,
    );
  }
  if (access) {
    out.push(
      `  ${access.stackId.padEnd(width)}  Identity Center (management account): groups ${access.groups.map((g) => g.label).join(", ")}; ${access.assignments.length} assignment(s)`,
    );
  }
  out.push("");
  out.push("Next:");
  out.push("  npm run validate");
  out.push("  npm run plan -- organization        # creates the accounts; apply it first");
  for (const id of stacks) out.push(`  npm run plan -- ${id}`);
  if (access) out.push(`  npm run plan -- ${access.stackId}`);
  out.push(`  git add ${result.teamFile} ${result.ledgerFile}`);
  return `${out.join("\n")}\n`;
}

/** What the command prints and its exit code, run against `accountsDir` (npm run docs shows it). */
export function runOnboard(argv: string[], accountsDir: string, cwd: string): Failure {
  try {
    return { code: EXIT_OK, stdout: onboard(argv, accountsDir, cwd), stderr: "" };
  } catch (e) {
    // Every message of a failed onboarding ends by saying nothing was written.
    return failureOf(
      e instanceof UsageError ? new UsageError(`${e.message}\nNothing was written.`) : e,
      { invalidConfiguration: "The configuration with this team would be invalid" },
    );
  }
}

export function main(argv: string[]): number {
  const cwd = process.cwd();
  const r = runOnboard(argv, resolve(cwd, defaultAccountsDir()), cwd);
  process.stdout.write(r.stdout);
  process.stderr.write(r.stderr);
  return r.code;
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

// Step 1 of loading: read and parse every file the configuration consists of. Each YAML file is
// parsed with its schema (which applies the defaults); SCP documents named by `file:` are read and
// held to the IAM grammar. Nothing is checked across files here (config/validators/ does that), and
// nothing is written anywhere.
import { existsSync, lstatSync, readdirSync } from "node:fs";
import { basename, join, relative, resolve, sep } from "node:path";
import type { z } from "zod";
import { fieldPath, valueAt, type ConfigProblem } from "./errors";
import { readYamlFile } from "./read-yaml";
import { readPolicyFile } from "./policy-file";
import { checkPolicyDocument, type GrammarProblem, type PolicyKind } from "./policies";
import { readBase, type BaseRead } from "./git-base";
import { LEDGER_FILE } from "./ledger";
import { layoutProblems } from "./layout";
import type { PolicyDocument } from "./model";
import {
  ledgerFile,
  organizationFile,
  teamFileSchema,
  type LedgerFile,
  type OrganizationFile,
  type TeamFile,
} from "./schema";

/** A policy document named by `file:`, read and grammatical, or the problems that say why not. */
export type PolicySource =
  { ok: true; file: string; document: PolicyDocument } | { ok: false; problems: ConfigProblem[] };

export interface ConfigInput {
  organization: { file: string; data: OrganizationFile };
  /** Team files that parsed, in file name order. */
  teams: { file: string; data: TeamFile }[];
  /** Teams with a file on disk, parsed or not: a file that failed to parse is not a removal. */
  teamsOnDisk: Set<string>;
  /** The display path of a team's file, whether or not it exists. */
  teamFileOf: (team: string) => string;
  /** accounts/ledger.yaml; undefined when it failed to parse (an absent ledger records nothing). */
  ledger?: { file: string; data: LedgerFile; present: boolean };
  /** The base revision the lifecycle is held against, when one is given and the ledger parsed. */
  base?: { ref: string; read: BaseRead };
  /** By index of serviceControlPolicies.policies; undefined for a builtin policy. */
  policySources: (PolicySource | undefined)[];
  /** By index of resourceControlPolicies.policies. */
  rcpSources: PolicySource[];
  /** Inline policies of permission sets (access.permissionSets.<name>.inlinePolicy), by set name. */
  accessPolicySources: Map<string, PolicySource>;
}

export interface ReadOptions {
  accountsDir: string;
  /** Paths in messages are relative to this. */
  cwd: string;
  /** Git revision to hold the ledger against; "" for none. */
  baseRef: string;
}

/** Everything read, or undefined when organization.yaml itself could not be parsed. */
export function readConfiguration(
  { accountsDir, cwd, baseRef }: ReadOptions,
  problems: ConfigProblem[],
): ConfigInput | undefined {
  const display = (abs: string) => relative(cwd, abs).split(sep).join("/");

  const orgPath = join(accountsDir, "organization.yaml");
  const org = parseWith(organizationFile, orgPath, display(orgPath), accountsDir, problems);

  const teamsDir = join(accountsDir, "teams");
  const teams: ConfigInput["teams"] = [];
  for (const abs of teamFilePaths(teamsDir, display, problems)) {
    const file = display(abs);
    const data = parseWith(teamFileSchema(), abs, file, accountsDir, problems);
    const conflicts = data ? layoutProblems(file, data) : [];
    problems.push(...conflicts);
    if (data && conflicts.length === 0) teams.push({ file, data });
  }
  if (!org) return undefined;

  const teamsOnDisk = new Set(
    existsSync(teamsDir)
      ? readdirSync(teamsDir)
          .filter((f) => f.endsWith(".yaml"))
          .map((f) => basename(f, ".yaml"))
      : [],
  );
  const ledgerPath = join(accountsDir, LEDGER_FILE);
  // lstat, not exists: a dangling symlink is a broken ledger, not an absent one.
  const present = lexists(ledgerPath);
  const ledgerData = present
    ? parseWith(ledgerFile, ledgerPath, display(ledgerPath), accountsDir, problems)
    : { teams: {} };
  return {
    organization: { file: display(orgPath), data: org },
    teams,
    teamsOnDisk,
    teamFileOf: (team) => display(join(teamsDir, `${team}.yaml`)),
    ledger: ledgerData && { file: display(ledgerPath), data: ledgerData, present },
    base:
      ledgerData && baseRef !== ""
        ? { ref: baseRef, read: readBase(accountsDir, baseRef) }
        : undefined,
    policySources: org.serviceControlPolicies.policies.map((pol, i) =>
      pol.file === undefined
        ? undefined
        : readPolicySource(pol.file, `serviceControlPolicies.policies[${i}].file`, {
            accountsDir,
            orgFile: display(orgPath),
            display,
          }),
    ),
    rcpSources: org.resourceControlPolicies.policies.map((pol, i) =>
      readPolicySource(
        pol.file,
        `resourceControlPolicies.policies[${i}].file`,
        { accountsDir, orgFile: display(orgPath), display },
        "rcp",
      ),
    ),
    accessPolicySources: new Map(
      Object.entries(org.access?.permissionSets ?? {}).flatMap(([name, set]) =>
        set.inlinePolicy === undefined
          ? []
          : [
              [
                name,
                readPolicySource(
                  set.inlinePolicy,
                  `access.permissionSets.${name}.inlinePolicy`,
                  { accountsDir, orgFile: display(orgPath), display },
                  "identity",
                ),
              ],
            ],
      ),
    ),
  };
}

function readPolicySource(
  file: string,
  at: string,
  where: { accountsDir: string; orgFile: string; display: (abs: string) => string },
  kind: PolicyKind = "scp",
): PolicySource {
  const abs = resolve(where.accountsDir, file);
  if (!abs.startsWith(where.accountsDir + sep)) {
    return {
      ok: false,
      problems: [
        {
          file: where.orgFile,
          path: at,
          message: "must stay inside the accounts folder",
          got: file,
        },
      ],
    };
  }
  const shown = where.display(abs);
  const read = readPolicyFile(abs, where.accountsDir);
  if (!read.ok) {
    return {
      ok: false,
      problems: read.messages.map((message) => ({ file: shown, path: "", message })),
    };
  }
  const grammar = checkPolicyDocument(read.document, kind);
  if (!grammatical(read.document, grammar)) {
    return {
      ok: false,
      problems: grammar.map((g) => ({ file: shown, path: g.path, message: g.message, got: g.got })),
    };
  }
  return { ok: true, file: shown, document: read.document };
}

/** A document the grammar check found nothing wrong with has the shape of a PolicyDocument. */
function grammatical(_doc: unknown, problems: GrammarProblem[]): _doc is PolicyDocument {
  return problems.length === 0;
}

/**
 * The team files under accounts/teams, every other entry refused by path: a subfolder, another
 * extension or an upper-case one would otherwise be skipped, and the team in it silently missing.
 * Entries are judged by name and type only; nothing is opened here (a FIFO would block a reader).
 */
function teamFilePaths(
  teamsDir: string,
  display: (abs: string) => string,
  problems: ConfigProblem[],
): string[] {
  if (!existsSync(teamsDir)) return [];
  const out: string[] = [];
  for (const entry of readdirSync(teamsDir, { withFileTypes: true }).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    const abs = join(teamsDir, entry.name);
    const refuse = (message: string) => problems.push({ file: display(abs), path: "", message });
    // Git keeps an otherwise empty folder through this file; it is not configuration.
    if (entry.name === ".gitkeep" && entry.isFile()) continue;
    if (entry.isDirectory()) {
      refuse(
        "is a folder; team files live directly in accounts/teams as <team>.yaml, subfolders are not read",
      );
    } else if (entry.name.endsWith(".yml")) {
      refuse("team files end in .yaml, not .yml");
    } else if (!entry.name.endsWith(".yaml")) {
      refuse(
        "is not a team file; accounts/teams holds only <team>.yaml files (lowercase .yaml): rename or move it",
      );
    } else out.push(abs);
  }
  return out;
}

function lexists(abs: string): boolean {
  try {
    lstatSync(abs);
    return true;
  } catch {
    return false;
  }
}

/** Parses one YAML file with its schema; every schema issue becomes a problem at its field path. */
function parseWith<S extends z.ZodType>(
  schema: S,
  absPath: string,
  file: string,
  root: string,
  problems: ConfigProblem[],
): z.output<S> | undefined {
  const read = readYamlFile(absPath, file, root);
  if (!read.ok) {
    problems.push(...read.problems);
    return undefined;
  }
  const parsed = schema.safeParse(read.data);
  if (parsed.success) return parsed.data;
  for (const issue of parsed.error.issues) {
    if (issue.code === "unrecognized_keys") {
      for (const key of issue.keys) {
        problems.push({
          file,
          path: fieldPath([...issue.path, key]),
          message: "unknown field; check its spelling against the schema in schemas/",
        });
      }
      continue;
    }
    if (issue.code === "invalid_key") {
      // A record key (team or environment name) broke its rule: say which rule, show the key.
      problems.push({
        file,
        path: fieldPath(issue.path),
        message: issue.issues.map((i) => i.message).join("; "),
        got: issue.path[issue.path.length - 1],
      });
      continue;
    }
    const got = valueAt(read.data, issue.path);
    const missing = got === undefined && issue.code === "invalid_type";
    problems.push({
      file,
      path: fieldPath(issue.path),
      message: missing ? `required field is missing (expected ${issue.expected})` : issue.message,
      got: missing ? undefined : got,
    });
  }
  return undefined;
}

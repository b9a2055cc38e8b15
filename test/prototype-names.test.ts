// Names of JavaScript object properties at every map of every configuration file: each is refused
// with a line that names the file, the field path and the key, never read as an inherited function
// and never dropped. Used as plain values (an OU name) they are ordinary names.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { copyExampleAccounts, removeDir } from "./helpers";

const NAMES = [
  "constructor",
  "__proto__",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "propertyIsEnumerable",
  "toLocaleString",
  "__defineGetter__",
  "__lookupSetter__",
];

interface Site {
  map: string;
  file: string;
  from: string;
  to: (name: string) => string;
  path: (name: string) => string;
}

const SITES: Site[] = [
  {
    map: "organization environments",
    file: "organization.yaml",
    from: "environments:\n",
    to: (n) => `environments:\n  ${n}:\n    ou: Workloads/NonProd\n`,
    path: (n) => `environments.${n}`,
  },
  {
    map: "team environments",
    file: "teams/payments.yaml",
    from: "environments:\n",
    to: (n) =>
      `environments:\n  ${n}:\n    traffic:\n      sync: { requestsPerSecond: 1, averageDurationMs: 100, p99DurationMs: 500 }\n`,
    path: (n) => `environments.${n}`,
  },
  {
    map: "tag defaults",
    file: "organization.yaml",
    from: "  defaults:\n",
    to: (n) => `  defaults:\n    ${n}: x\n`,
    path: (n) => `tags.defaults.${n}`,
  },
  {
    map: "adoption OU ids",
    file: "organization.yaml",
    from: "organizationalUnits:\n",
    to: (n) =>
      `existingOrganization:\n  organizationId: o-a1b2c3d4e5\n  organizationalUnitIds:\n    ${n}: ou-ab12-cd34ef56\norganizationalUnits:\n`,
    path: (n) => `existingOrganization.organizationalUnitIds.${n}`,
  },
  {
    map: "ledger teams",
    file: "ledger.yaml",
    from: "teams:\n",
    to: (n) => `teams:\n  ${n}:\n    dev: [active]\n`,
    path: (n) => `teams.${n}`,
  },
  {
    map: "ledger environments",
    file: "ledger.yaml",
    from: "  payments:\n",
    to: (n) => `  payments:\n    ${n}: [active]\n`,
    path: (n) => `teams.payments.${n}`,
  },
  {
    map: "guardrail waivers",
    file: "organization.yaml",
    from: "\ncloudTrail:",
    to: (n) =>
      `\nguardrails:\n  waivers:\n    - rule: table-pitr\n      resource: team-payments-dev/service/table\n      reason: Rebuilt nightly from the ledger\n      ${n}: x\n\ncloudTrail:`,
    path: (n) => `guardrails.waivers[0].${n}`,
  },
  {
    map: "blueprint settings",
    file: "teams/payments.yaml",
    from: "serverless-api:\n",
    to: (n) => `serverless-api:\n  ${n}: {}\n`,
    path: (n) => `serverless-api.${n}`,
  },
];

function load(dir: string): string[] {
  try {
    loadLandingZone({ accountsDir: dir, cwd: dir });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    return e.message.split("\n");
  }
}

function edit(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(dir, file), "utf8");
  if (!text.includes(from)) throw new Error(`stale case: ${file} has no ${JSON.stringify(from)}`);
  writeFileSync(join(dir, file), text.replace(from, to));
}

const CASES = SITES.flatMap((site) => NAMES.map((name) => ({ ...site, name })));

test.each(CASES)("$name as a key of $map is refused with its path", (c) => {
  const dir = copyExampleAccounts();
  try {
    edit(dir, c.file, c.from, c.to(c.name));
    const lines = load(dir);
    expect(lines).toContainEqual(
      `${c.file}: ${c.path(c.name)}: a key must not be the name of a JavaScript object property (constructor, toString, __proto__, ...); choose another (got ${JSON.stringify(c.name)})`,
    );
  } finally {
    removeDir(dir);
  }
});

test.each(["constructor"])(
  "a team named %s is refused by name, whatever the ledger says",
  (name) => {
    const dir = copyExampleAccounts();
    try {
      const team = name.toLowerCase();
      writeFileSync(
        join(dir, "teams", `${team}.yaml`),
        readFileSync(join(dir, "teams", "payments.yaml"), "utf8")
          .replace("name: payments", `name: ${team}`)
          .replace('    accountId: "210987654321"\n', ""),
      );
      const lines = load(dir);
      expect(lines.some((l) => l.startsWith(`teams/${team}.yaml: name: `))).toBe(true);
    } finally {
      removeDir(dir);
    }
  },
);

test("OU names that are object property names are ordinary names", () => {
  const dir = copyExampleAccounts();
  try {
    edit(
      dir,
      "organization.yaml",
      "  - name: Sandbox\n",
      "  - name: Sandbox\n  - name: constructor\n    children:\n      - name: toString\n",
    );
    edit(dir, "teams/payments.yaml", "  dev:\n", "  dev:\n    ou: constructor/toString\n");
    expect(load(dir)).toEqual([]);
    const lz = loadLandingZone({ accountsDir: dir, cwd: dir });
    const dev = lz.teams
      .find((t) => t.name === "payments")!
      .environments.find((e) => e.env === "dev");
    expect(dev!.account.ou).toBe("constructor/toString");
  } finally {
    removeDir(dir);
  }
});

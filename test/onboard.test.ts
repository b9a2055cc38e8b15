// `npm run onboard` in a folder holding a copy of accounts/: what it prints, exits with and writes. Its
// entry point runs in this process (runCommand); the built command's flags and exit status as a
// process are test/integration/flags.test.ts's.
import { cpSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { loadLandingZone } from "../config/load";
import { main } from "../cli/onboard";
import { runCommand } from "./cli";
import { removeDir, synthAccounts, type TfJson, EXAMPLE_ACCOUNTS } from "./helpers";

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "lz-onboard-test-"));
  cpSync(EXAMPLE_ACCOUNTS, join(root, "accounts"), { recursive: true });
});
afterEach(() => removeDir(root));

function onboard(args: string[], env: Record<string, string> = {}) {
  return runCommand(main, args, { cwd: root, env });
}

/** Every file under a folder with its content, to prove what changed and what did not. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of readdirSync(join(dir, rel)).sort()) {
      const path = rel ? `${rel}/${entry}` : entry;
      if (statSync(join(dir, path)).isDirectory()) walk(path);
      else out[path] = readFileSync(join(dir, path), "utf8");
    }
  };
  walk("");
  return out;
}

const BASE = [
  "--team",
  "orders",
  "--owner-email",
  "lee.chen@acme.example",
  "--cost-center",
  "CC-5100",
];

const EXPECTED_FILE = `# yaml-language-server: $schema=../../schemas/team.schema.json
#
# Orders: onboarded with npm run onboard; traffic figures are the team's own estimates.
name: orders
description: Order capture and fulfilment
owners:
  - name: Lee Chen
    email: lee.chen@acme.example
costCenter: CC-5100
environments:
  dev:
    serverless-api:
      traffic:
        sync: { requestsPerSecond: 30, averageDurationMs: 80, p99DurationMs: 320 }
        async: { messagesPerSecond: 2, averageDurationMs: 500 }
  prod:
    serverless-api:
      traffic:
        sync: { requestsPerSecond: 300, averageDurationMs: 80, p99DurationMs: 320 }
        async: { messagesPerSecond: 20, averageDurationMs: 500 }
`;

const FULL = [
  ...BASE,
  "--owner-name",
  "Lee Chen",
  "--description",
  "Order capture and fulfilment",
  "--envs",
  "dev,prod",
  "--rps",
  "300",
  "--duration-ms",
  "80",
  "--async-mps",
  "20",
  "--async-duration-ms",
  "500",
];

test("writes exactly the new team file and its ledger lines, and the team synthesizes into its stacks", () => {
  const before = snapshot(join(root, "accounts"));
  const r = onboard(FULL);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const after = snapshot(join(root, "accounts"));

  const added = Object.keys(after).filter((f) => !(f in before));
  const changed = Object.keys(before).filter((f) => after[f] !== before[f]);
  expect(added).toEqual(["teams/orders.yaml"]);
  expect(changed).toEqual(["ledger.yaml"]);
  expect(after["teams/orders.yaml"]).toBe(EXPECTED_FILE);
  expect(after["ledger.yaml"]).toBe(
    before["ledger.yaml"].replace(
      "  payments:\n",
      "  orders:\n    dev: [active]\n    prod: [active]\n  payments:\n",
    ),
  );

  expect(r.stdout).toContain(
    "Wrote accounts/teams/orders.yaml and recorded its accounts in accounts/ledger.yaml.",
  );
  expect(r.stdout).toMatch(
    /^ {2}team-orders-dev +account orders-dev <aws\+orders-dev@acme\.example> in Workloads\/NonProd/m,
  );
  expect(r.stdout).toMatch(
    /^ {2}team-orders-prod +account orders-prod .* in Workloads\/Prod; 300 rps/m,
  );
  expect(r.stdout).toContain("npm run plan -- organization");
  expect(r.stdout).toContain("npm run plan -- team-orders-prod");

  const out = synthAccounts(join(root, "accounts"), "organization,team-orders-*");
  expect(out.stackIds).toEqual(["organization", "team-orders-dev", "team-orders-prod"]);
  const names = Object.values(out.resources("organization", "aws_organizations_account")).map(
    (a) => a.name,
  );
  expect(names).toEqual(expect.arrayContaining(["orders-dev", "orders-prod"]));
  removeDir(join(out.outdir, ".."));
});

test("--dry-run prints the file and writes nothing", () => {
  const before = snapshot(join(root, "accounts"));
  const r = onboard([...FULL, "--dry-run"]);
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(EXPECTED_FILE);
  expect(r.stdout).toContain("nothing was written");
  expect(snapshot(join(root, "accounts"))).toEqual(before);
});

test("defaults: every environment of the organization, non-production at a tenth of --rps", () => {
  expect(onboard(BASE).code).toBe(0);
  const lz = loadLandingZone({ accountsDir: join(root, "accounts"), cwd: root });
  const orders = lz.teams.find((t) => t.name === "orders")!;
  expect(orders.environments.map((e) => [e.env, e.traffic!.sync.requestsPerSecond])).toEqual([
    ["dev", 1],
    ["prod", 10],
    ["staging", 1],
  ]);
  expect(orders.owners).toEqual([{ name: "lee.chen", email: "lee.chen@acme.example" }]);
});

test("honours LZ_ACCOUNTS_DIR", () => {
  const r = onboard([...BASE, "--envs", "dev"], { LZ_ACCOUNTS_DIR: "accounts" });
  expect(r.code).toBe(0);
  expect(snapshot(join(root, "accounts"))["teams/orders.yaml"]).toContain("name: orders");
});

describe("bad input names the flag, exits non-zero and writes nothing", () => {
  const cases: [string, string[], number, RegExp][] = [
    ["a bad team name", ["--team", "Orders_1"], 2, /^--team: a team name must be lowercase/m],
    [
      "an existing team",
      ["--team", "payments"],
      2,
      /^--team: team payments already exists \(accounts\/teams\/payments\.yaml\)/m,
    ],
    [
      "a malformed owner email",
      ["--owner-email", "lee@@acme"],
      2,
      /^--owner-email: must be an email address .*\(got "lee@@acme"\)/m,
    ],
    [
      "a duplicate account email",
      ["--envs", "prod", "--account-email", "prod=AWS+payments-prod@acme.example"],
      1,
      /^accounts\/teams\/payments\.yaml: environments\.prod\.email: .* already used by accounts\/teams\/orders\.yaml: environments\.prod\.email .*\[set by --account-email/m,
    ],
    [
      "an unknown environment",
      ["--envs", "dev,qa"],
      2,
      /^--envs: unknown environment qa; the organization defines: dev, staging, prod$/m,
    ],
    [
      "traffic over the Lambda quota",
      ["--envs", "prod", "--rps", "9000", "--duration-ms", "200"],
      1,
      /^accounts\/teams\/orders\.yaml: environments\.prod\.serverless-api\.traffic: needs 2162 concurrent Lambda executions, account quota allows 900; .*quotas\.lambdaConcurrentExecutions: 2800 .*\[set by --rps \/ --nonprod-rps\]$/m,
    ],
    [
      "a non-numeric --rps",
      ["--rps", "lots"],
      2,
      /^--rps: must be a decimal number of requests per second above 0 to 100000 \(got "lots"\)$/m,
    ],
    ["an unknown flag", ["--colour", "blue"], 2, /Unknown option '--colour'/],
    [
      "a group for a role the rule table does not have",
      ["--group", "ops=Orders Ops"],
      2,
      /^--group: unknown role ops; the rule table \(access\.assignments\) has roles: developers, readers$/m,
    ],
    [
      "a group without its role",
      ["--group", "Orders Engineers"],
      2,
      /^--group: must be <role>=<display name> \(got "Orders Engineers"\)$/m,
    ],
    [
      "a malformed group id",
      ["--group-id", "readers=orders-readers"],
      1,
      /^accounts\/teams\/orders\.yaml: access\.groups\.readers\.id: must be an identity store group id .*\[set by --group-id\] \(got "orders-readers"\)$/m,
    ],
    [
      "--create-groups next to --group",
      ["--group", "developers=Orders Engineers", "--create-groups"],
      2,
      /^--create-groups: creates every group of the team; give it without --group or --group-id$/m,
    ],
  ];
  test.each(cases)("%s", (_what, extra, code, message) => {
    const before = snapshot(join(root, "accounts"));
    const args = [...BASE];
    for (let i = 0; i < extra.length; i += 2) {
      const at = args.indexOf(extra[i]);
      if (at >= 0 && extra[i + 1] !== undefined) args[at + 1] = extra[i + 1];
      else args.push(...extra.slice(i, i + 2));
    }
    const r = onboard(args);
    expect(r.code).toBe(code);
    expect(r.stderr).toMatch(message);
    expect(r.stderr).toMatch(/nothing was written/i);
    expect(r.stdout).toBe("");
    expect(snapshot(join(root, "accounts"))).toEqual(before);
  });

  test("missing required flags are all named", () => {
    const r = onboard(["--team", "orders"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^missing --owner-email, --cost-center$/m);
  });
});

test("group flags: existing groups by display name or id are written to the team file and looked up, never created", () => {
  const id = "9067c5b6-3071-7034-bd79-46b5d5f7c9c0";
  const r = onboard([
    ...BASE,
    "--envs",
    "dev",
    "--group",
    "developers=Orders Engineers",
    "--group-id",
    `readers=${id}`,
  ]);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const file = readFileSync(join(root, "accounts/teams/orders.yaml"), "utf8");
  expect(file).toContain(
    `access:\n  groups:\n    developers: { displayName: Orders Engineers }\n    readers: { id: ${id} }\n`,
  );
  expect(r.stdout).toContain("npm run plan -- access-orders");
  const out = synthAccounts(join(root, "accounts"), "access-orders");
  expect(out.resources("access-orders", "aws_identitystore_group")).toEqual({});
  const lookups = Object.values(out.stack("access-orders").data.aws_identitystore_group);
  expect(
    lookups
      .map(
        (l) =>
          (l as TfJson).group_id ??
          (l as TfJson).alternate_identifier.unique_attribute.attribute_value,
      )
      .sort(),
  ).toEqual([id, "Orders Engineers", "platform-admins"]);
  removeDir(join(out.outdir, ".."));
});

test.each(["Orders, Engineers", "Orders {Engineers}", "Orders: Engineers"])(
  "a group display name with flow indicators (%s) is written so that it reads back unchanged",
  (name) => {
    const r = onboard([...BASE, "--envs", "dev", "--group", `developers=${name}`]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const lz = loadLandingZone({ accountsDir: join(root, "accounts"), cwd: root });
    const team = lz.teams.find((t) => t.name === "orders")!;
    expect(team.raw.access?.groups.developers).toEqual({ displayName: name });
  },
);

test("--create-groups writes every role's group, named by the organization's template", () => {
  const r = onboard([...BASE, "--envs", "dev", "--create-groups"]);
  expect(r.code).toBe(0);
  expect(readFileSync(join(root, "accounts/teams/orders.yaml"), "utf8")).toContain(
    "access:\n  groups:\n    developers: { create: { displayName: orders-developers } }\n    readers: { create: { displayName: orders-readers } }\n",
  );
  // --envs dev: the platform group, developers and readers in one account.
  expect(r.stdout).toMatch(
    /^ {2}access-orders +Identity Center \(management account\): groups orders-developers, orders-readers; 3 assignment\(s\)$/m,
  );
  expect(r.stdout).toContain("  npm run plan -- access-orders\n");
});

test("a name whose closed accounts the ledger still records is refused", () => {
  const ledger = join(root, "accounts/ledger.yaml");
  writeFileSync(
    ledger,
    `${readFileSync(ledger, "utf8")}  legacy:\n    dev: [active, suspended, closed]\n`,
  );
  const before = snapshot(join(root, "accounts"));
  const r = onboard([
    "--team",
    "legacy",
    "--owner-email",
    "a@acme.example",
    "--cost-center",
    "CC-9",
  ]);
  expect(r.code).toBe(2);
  expect(r.stderr).toMatch(
    /^--team: accounts\/ledger\.yaml already records accounts of a team named legacy \(closed accounts keep their record\); choose another name$/m,
  );
  expect(snapshot(join(root, "accounts"))).toEqual(before);
});

describe("any flag value is written as valid YAML and reads back unchanged", () => {
  const VALUES: [string, string][] = [
    ["a long description", `Settlement, reconciliation and ${"payout scheduling ".repeat(12)}end`],
    ["newlines", "first line\nsecond line\n\nfourth"],
    ["Windows line ends", "one\r\ntwo"],
    ["quotes", `He said "ship it" and it's done`],
    ["a hash", "pricing # not a comment"],
    ["a colon and a space", "key: value, inside text"],
    ["YAML indicators", "- [not] {a: list} *star &amp !bang | > % @ `"],
    ["words YAML reads as other types", "null"],
    ["digits", "0012"],
    ["surrounding spaces", "  padded  "],
    ["a tab and an escape", "a\tb\u001b[31m"],
    ["non-ASCII text", "Zoë – façade, naïve 東京"],
    // Number forms YAML 1.1 reads as numbers and YAML 1.2 as text: written so they stay text.
    ["digits with underscores", "1_000"],
    ["a binary-looking word", "0b101"],
    ["a base-60-looking word", "1:30"],
    ["a leading zero and a sign", "+012"],
    ["C1 control characters", "a\u0085b\u009bc\u007f"],
  ];

  test.each(VALUES)("%s", (_what, value) => {
    const name = value.length <= 128 ? value : value.slice(0, 128);
    // The --flag=value form: a value may start with "-".
    const r = onboard([...BASE, `--description=${value}`, `--owner-name=${name}`]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const lz = loadLandingZone({ accountsDir: join(root, "accounts"), cwd: root });
    const team = lz.teams.find((t) => t.name === "orders")!;
    expect(team.raw.description).toBe(value);
    expect(team.owners[0].name).toBe(name);
    // Each field stays on its own line: the writer never folds or opens a block scalar.
    const text = readFileSync(join(root, "accounts/teams/orders.yaml"), "utf8");
    expect(text.split("\n").filter((l) => l.startsWith("description: "))).toHaveLength(1);
    expect(text).toMatch(/^owners:\n {2}- name: .*\n {4}email: lee\.chen@acme\.example\n/m);
  });
});

test.each(["1_000", "0b1", "1:30"])(
  "--cost-center %s is written so that it reads back as the same text",
  (code) => {
    const r = onboard([...BASE.slice(0, 4), "--cost-center", code]);
    expect({ code: r.code, stderr: r.stderr }).toEqual({ code: 0, stderr: "" });
    const lz = loadLandingZone({ accountsDir: join(root, "accounts"), cwd: root });
    expect(lz.teams.find((t) => t.name === "orders")!.costCenter).toBe(code);
  },
);

test.each(["__proto__", "constructor"])(
  "--account-email for an environment named %s is refused, not dropped",
  (env) => {
    const before = snapshot(join(root, "accounts"));
    const r = onboard([...BASE, "--account-email", `${env}=orders-x@acme.example`]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(new RegExp(`^--account-email: ${env} is not one of --envs`, "m"));
    expect(snapshot(join(root, "accounts"))).toEqual(before);
  },
);

describe("--blueprint", () => {
  test("a baseline-only team: the list, each environment's declared limit, no traffic", () => {
    const r = onboard([
      ...BASE,
      "--envs",
      "dev",
      "--blueprint",
      "baseline",
      "--monthly-limit",
      "25",
    ]);
    expect(r.code).toBe(0);
    const text = readFileSync(join(root, "accounts", "teams", "orders.yaml"), "utf8");
    expect(text).toContain(
      "blueprints: [baseline]\nenvironments:\n  dev:\n    budget: { monthlyLimit: 25 }\n",
    );
    expect(text).not.toContain("traffic:");
    expect(r.stdout).toMatch(/team-orders-dev .*; baseline, 0 rps, 0 reserved concurrency/);
  });

  test("an unknown blueprint is a usage error naming the registered ones; nothing is written", () => {
    const before = snapshot(root);
    const r = onboard([...BASE, "--blueprint", "serverless-api", "--blueprint", "cron"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(
      '--blueprint: unknown blueprint; registered: serverless-api, baseline, scheduled-jobs (got "cron")',
    );
    expect(snapshot(root)).toEqual(before);
  });

  test("a blueprint's own requirement names the flag that sets it", () => {
    const r = onboard([...BASE, "--envs", "dev", "--blueprint", "baseline"]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      "accounts/teams/orders.yaml: baseline.monthlyLimit: required: an account without a workload has no estimate to budget from; declare its monthly limit [set by --monthly-limit]",
    );
  });
});

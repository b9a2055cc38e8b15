// Account settings vending used to leave out, read from the synthesized JSON: each account's own
// stack writes its alias and alternate contacts (the organization's, a team's, an environment's by
// type), and the organization stack enables the opt-in regions of allowedRegions in every active
// member account, with Account Management's trusted access.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  type Synthesized,
  type TfJson,
} from "./helpers";

const CORE = ["log-archive", "security", "observability"];
const TEAMS = ["team-payments-dev", "team-payments-prod", "team-catalog-dev"];

/** The alternate contacts of a stack, by type. */
function contacts(out: Synthesized, stackId: string): Record<string, TfJson> {
  return Object.fromEntries(
    Object.values(out.resources(stackId, "aws_account_alternate_contact")).map((c) => [
      c.alternate_contact_type,
      c,
    ]),
  );
}

function edit(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(dir, file), "utf8");
  if (!text.includes(from)) throw new Error(`${file} has no ${JSON.stringify(from)}`);
  writeFileSync(join(dir, file), text.replace(from, to));
}

describe("the example organization", () => {
  let out: Synthesized;
  beforeAll(() => {
    out = synthAccounts(undefined, ["organization", ...CORE, ...TEAMS].join(","));
  });

  test("every vended account's own stack gives it the templated alias", () => {
    for (const id of CORE)
      expect(out.resource(id, "aws_iam_account_alias").account_alias).toBe(`acme-${id}`);
    expect(out.resource("team-payments-dev", "aws_iam_account_alias").account_alias).toBe(
      "acme-payments-dev",
    );
    expect(out.resource("team-catalog-dev", "aws_iam_account_alias").account_alias).toBe(
      "acme-catalog-dev",
    );
    // The management account is not vended: its alias is left as it is.
    expect(out.resources("organization", "aws_iam_account_alias")).toEqual({});
  });

  test("contacts come from the organization, a team's type replacing the organization's", () => {
    const payments = contacts(out, "team-payments-dev");
    expect(Object.keys(payments).sort()).toEqual(["BILLING", "OPERATIONS", "SECURITY"]);
    expect(payments.OPERATIONS).toMatchObject({
      name: "Payments On-call",
      title: "Payments engineering",
      email_address: "payments-oncall@acme.example",
      phone_number: "+44 20 7946 0100",
    });
    expect(payments.SECURITY).toMatchObject({
      email_address: "security@acme.example",
      phone_number: "+44 20 7946 0000",
    });
    expect(contacts(out, "team-catalog-dev").OPERATIONS.email_address).toBe(
      "platform-team@acme.example",
    );
    expect(contacts(out, "security").BILLING.email_address).toBe("cloud-finance@acme.example");
    // Written from inside the account: no account_id, so no trusted access and no management call.
    for (const id of [...CORE, ...TEAMS])
      for (const c of Object.values(contacts(out, id))) expect(c.account_id).toBeUndefined();
  });

  test("no opt-in region is allowed, so none is enabled and Account Management gets no trusted access", () => {
    expect(out.resources("organization", "aws_account_region")).toEqual({});
    const org = out.resource("organization", "aws_organizations_organization");
    expect(org.aws_service_access_principals).not.toContain("account.amazonaws.com");
  });
});

describe("a changed copy of the example", () => {
  let dir: string;
  let out: Synthesized;
  beforeAll(() => {
    dir = copyExampleAccounts();
    edit(
      dir,
      "organization.yaml",
      "allowedRegions: [eu-west-1, eu-central-1, us-east-1]",
      "allowedRegions: [eu-west-1, eu-central-1, us-east-1, eu-south-2]",
    );
    // An environment of its own in the opt-in region, with its own alias and security contact.
    edit(
      dir,
      "teams/payments.yaml",
      "  dev:\n    serverless-api:",
      [
        "  dev:",
        "    region: eu-south-2",
        "    budget: { monthlyLimit: 100 }",
        "    accountAlias: acme-payments-sandbox",
        "    alternateContacts:",
        "      security:",
        "        name: Payments Security",
        "        title: Security champion",
        "        email: payments-security@acme.example",
        '        phone: "+34 910 000 000"',
        "    serverless-api:",
      ].join("\n"),
    );
    out = synthAccounts(dir, "organization,team-payments-dev,team-payments-prod");
  });
  afterAll(() => {
    removeDir(dir);
    if (out) removeDir(join(out.outdir, ".."));
  });

  test("the organization stack enables the opt-in region in every active member account", () => {
    const regions = Object.values(out.resources("organization", "aws_account_region"));
    const active = out.lz.teams
      .flatMap((t) => t.environments)
      .filter((e) => e.account.status === "active").length;
    expect(regions).toHaveLength(CORE.length + active);
    for (const r of regions) {
      expect(r).toMatchObject({ region_name: "eu-south-2", enabled: true });
      expect(r.account_id).toMatch(/^\$\{aws_organizations_account\.[\w-]+\.id\}$/);
      expect(r.depends_on).toEqual([expect.stringMatching(/^aws_organizations_organization\./)]);
    }
    const dev = Object.entries(out.resources("organization", "aws_account_region")).find(([k]) =>
      k.includes("team-payments-dev"),
    );
    expect(dev?.[1].account_id).toMatch(/team-payments-dev/);
    const org = out.resource("organization", "aws_organizations_organization");
    expect(org.aws_service_access_principals).toContain("account.amazonaws.com");
  });

  test("an environment's alias and contact type replace the template and the team's", () => {
    expect(out.resource("team-payments-dev", "aws_iam_account_alias").account_alias).toBe(
      "acme-payments-sandbox",
    );
    const dev = contacts(out, "team-payments-dev");
    expect(dev.SECURITY.email_address).toBe("payments-security@acme.example");
    expect(dev.OPERATIONS.email_address).toBe("payments-oncall@acme.example");
    expect(contacts(out, "team-payments-prod").SECURITY.email_address).toBe(
      "security@acme.example",
    );
  });
});

test("aliases off, no contacts: the account stacks write neither", () => {
  const dir = copyExampleAccounts();
  try {
    const text = readFileSync(join(dir, "organization.yaml"), "utf8");
    const start = text.indexOf("alternateContacts:");
    const end = text.indexOf("accountAliases:");
    writeFileSync(
      join(dir, "organization.yaml"),
      text.slice(0, start) +
        "accountAliases:\n  enabled: false\n" +
        text.slice(text.indexOf("\n\n", end)),
    );
    const team = readFileSync(join(dir, "teams/payments.yaml"), "utf8");
    const withoutContacts = team.replace(/alternateContacts:\n {2}operations:\n( {4}.*\n)+/, "");
    expect(withoutContacts).not.toContain("alternateContacts");
    writeFileSync(join(dir, "teams/payments.yaml"), withoutContacts);
    const out = synthAccounts(dir, "log-archive,team-payments-dev");
    for (const id of ["log-archive", "team-payments-dev"]) {
      expect(out.resources(id, "aws_iam_account_alias")).toEqual({});
      expect(out.resources(id, "aws_account_alternate_contact")).toEqual({});
    }
    removeDir(join(out.outdir, ".."));
  } finally {
    removeDir(dir);
  }
});

test("no accountAliases block: only an account that names its alias gets one, so upgrading changes no other account", () => {
  const dir = copyExampleAccounts();
  try {
    const text = readFileSync(join(dir, "organization.yaml"), "utf8");
    const start = text.indexOf("accountAliases:");
    writeFileSync(
      join(dir, "organization.yaml"),
      text.slice(0, start) + text.slice(text.indexOf("\n\n", start) + 2),
    );
    edit(
      dir,
      "teams/payments.yaml",
      "  dev:\n",
      "  dev:\n    accountAlias: acme-payments-sandbox\n",
    );
    const out = synthAccounts(dir, "log-archive,team-payments-dev,team-payments-prod");
    expect(out.resources("log-archive", "aws_iam_account_alias")).toEqual({});
    expect(out.resources("team-payments-prod", "aws_iam_account_alias")).toEqual({});
    expect(out.resource("team-payments-dev", "aws_iam_account_alias").account_alias).toBe(
      "acme-payments-sandbox",
    );
    removeDir(join(out.outdir, ".."));
  } finally {
    removeDir(dir);
  }
});

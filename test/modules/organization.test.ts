// The organization module alone, from explicit props: organization, OU tree, accounts, SCPs and the
// tag policy, created new or adopted with import blocks; nothing a plan could destroy by accident.
import { Organization, type OrganizationProps } from "../../modules/organization";
import { moduleRef, synthModule, type TfJson } from "../helpers";

const PROPS: OrganizationProps = {
  organizationalUnits: [
    { path: "Security", name: "Security" },
    { path: "Workloads", name: "Workloads" },
    { path: "Workloads/Prod", name: "Prod", parent: "Workloads" },
    { path: "Suspended", name: "Suspended" },
  ],
  accounts: [
    {
      stackId: "log-archive",
      name: "Log Archive",
      email: "log@acme.example",
      ou: "Security",
      status: "active",
    },
    {
      stackId: "team-a-prod",
      name: "a prod",
      email: "a@acme.example",
      ou: "Workloads/Prod",
      accountId: "210987654321",
      status: "active",
    },
    {
      stackId: "team-b-dev",
      name: "b dev",
      email: "b@acme.example",
      ou: "Suspended",
      accountId: "323456789012",
      status: "closed",
    },
  ],
  platformRoleName: "OrganizationAccountAccessRole",
  serviceControlPolicies: [
    { name: "deny-all", description: "all", content: '{"x":1}', targets: ["Suspended"] },
    {
      name: "deny-root",
      description: "root",
      content: '{"y":2}',
      targets: ["Workloads/Prod", "Root"],
    },
  ],
  mandatoryTagKeys: ["team", "cost-center"],
};

const build = (props: OrganizationProps) => {
  let org!: Organization;
  const m = synthModule((s) => {
    org = new Organization(s, "org", props);
  });
  return { m, org };
};

const ref = moduleRef;
const named = (name: string) => (r: TfJson) => r.name === name;

describe("a new organization", () => {
  const { m, org } = build(PROPS);
  const root = ref(m, "aws_organizations_organization", () => true, "roots[0].id");

  test("all features, the trusted services and policy types, never destroyed", () => {
    expect(m.resource("aws_organizations_organization")).toEqual({
      feature_set: "ALL",
      aws_service_access_principals: [
        "access-analyzer.amazonaws.com",
        "cloudtrail.amazonaws.com",
        "config-multiaccountsetup.amazonaws.com",
        "config.amazonaws.com",
        "guardduty.amazonaws.com",
        "member.org.stacksets.cloudformation.amazonaws.com",
        "securityhub.amazonaws.com",
        "servicequotas.amazonaws.com",
        "sso.amazonaws.com",
        "tagpolicies.tag.amazonaws.com",
      ],
      enabled_policy_types: ["SERVICE_CONTROL_POLICY", "TAG_POLICY"],
      lifecycle: { prevent_destroy: true },
    });
    // Its lists are stated in full, not read: the one read is the account list the email lookup
    // uses (an account is recorded, so the organization exists before the plan).
    expect(Object.keys(m.data("aws_organizations_organization"))).toEqual([
      expect.stringMatching(/^org_accounts-by-email_/),
    ]);
    expect(m.violations()).toEqual([]);
  });

  test("OUs hang from the root or their parent and cannot be destroyed", () => {
    const ous = m.resources("aws_organizations_organizational_unit");
    const parent = (name: string) => Object.values(ous).find(named(name))!.parent_id;
    expect(parent("Security")).toBe(root);
    expect(parent("Workloads")).toBe(root);
    expect(parent("Prod")).toBe(
      ref(m, "aws_organizations_organizational_unit", named("Workloads"), "id"),
    );
    for (const ou of Object.values(ous)) expect(ou.lifecycle).toEqual({ prevent_destroy: true });
    // A typed field for callers: each OU id by path.
    expect(org.ouIds.get("Workloads/Prod")).toBeDefined();
  });

  test("accounts sit in their OU with the platform role; only a closed account may be deleted", () => {
    const accounts = m.resources("aws_organizations_account");
    const byEmail = Object.fromEntries(Object.values(accounts).map((a) => [a.email, a]));
    const ou = (name: string) => ref(m, "aws_organizations_organizational_unit", named(name), "id");
    expect(byEmail["log@acme.example"]).toEqual({
      name: "Log Archive",
      email: "log@acme.example",
      parent_id: ou("Security"),
      role_name: "OrganizationAccountAccessRole",
      iam_user_access_to_billing: "ALLOW",
      close_on_deletion: false,
      lifecycle: {
        prevent_destroy: true,
        ignore_changes: ["role_name", "iam_user_access_to_billing"],
      },
    });
    expect(byEmail["a@acme.example"].parent_id).toBe(ou("Prod"));
    expect(byEmail["b@acme.example"]).toMatchObject({
      close_on_deletion: true,
      lifecycle: { prevent_destroy: false },
    });
    // A recorded id adopts the account instead of creating one; an account without one is adopted
    // when an account with its email exists (one a killed apply created); nothing else is imported.
    const address = (name: string) =>
      ref(m, "aws_organizations_account", named(name), "x").slice(2, -3);
    const lookup = Object.keys(m.data("aws_organizations_organization"))[0];
    expect((m.json.import as TfJson[]).map((i) => [i.id, i.to, i.for_each])).toEqual([
      ["210987654321", address("a prod"), undefined],
      ["323456789012", address("b dev"), undefined],
      [
        "${each.value}",
        address("Log Archive"),
        `\${{ for a in data.aws_organizations_organization.${lookup}.accounts : a.email => a.id if lower(a.email) == "log@acme.example" }}`,
      ],
    ]);
    expect(org.accounts.get("team-a-prod")).toBeDefined();
    expect([...org.accounts.keys()]).toEqual(["log-archive", "team-a-prod", "team-b-dev"]);
  });

  test("SCPs after the organization, attached to Root and OU paths; the tag policy fixes key case", () => {
    const policies = m.resources("aws_organizations_policy");
    const organization = ref(m, "aws_organizations_organization", () => true, "id").slice(2, -4);
    const nameOf = (id: string) =>
      Object.entries(policies).find(([k]) => id === `\${aws_organizations_policy.${k}.id}`)![1]
        .name;
    const targetOf = (t: string) =>
      t === root
        ? "Root"
        : Object.values(m.resources("aws_organizations_organizational_unit")).find(
            (ou) => t === ref(m, "aws_organizations_organizational_unit", named(ou.name), "id"),
          )!.name;
    expect(
      Object.values(m.resources("aws_organizations_policy_attachment"))
        .map((a) => `${nameOf(a.policy_id)} -> ${targetOf(a.target_id)}`)
        .sort(),
    ).toEqual([
      "deny-all -> Suspended",
      "deny-root -> Prod",
      "deny-root -> Root",
      "mandatory-tag-keys -> Root",
    ]);
    for (const p of Object.values(policies)) expect(p.depends_on).toEqual([organization]);
    expect(Object.values(policies).find(named("deny-root"))).toMatchObject({
      type: "SERVICE_CONTROL_POLICY",
      description: "root",
      content: '{"y":2}',
    });
    const tag = Object.values(policies).find(named("mandatory-tag-keys"))!;
    expect(tag.type).toBe("TAG_POLICY");
    expect(JSON.parse(tag.content)).toEqual({
      tags: {
        "cost-center": { tag_key: { "@@assign": "cost-center" } },
        team: { tag_key: { "@@assign": "team" } },
      },
    });
    expect([...org.serviceControlPolicies.keys()]).toEqual(["deny-all", "deny-root"]);
  });
});

describe("an adopted organization", () => {
  const { m } = build({
    ...PROPS,
    existing: {
      organizationId: "o-a1b2c3d4e5",
      organizationalUnitIds: { Workloads: "ou-ab12-11111111" },
    },
  });

  test("is imported, and keeps every service and policy type it already enables", () => {
    const org = m.resource("aws_organizations_organization");
    const data = Object.keys(m.data("aws_organizations_organization"))[0];
    expect(org.aws_service_access_principals).toBe(
      `\${sort(setunion(data.aws_organizations_organization.${data}.aws_service_access_principals, ["access-analyzer.amazonaws.com","cloudtrail.amazonaws.com","config-multiaccountsetup.amazonaws.com","config.amazonaws.com","guardduty.amazonaws.com","member.org.stacksets.cloudformation.amazonaws.com","securityhub.amazonaws.com","servicequotas.amazonaws.com","sso.amazonaws.com","tagpolicies.tag.amazonaws.com"]))}`,
    );
    expect(org.enabled_policy_types).toBe(
      `\${sort(setunion([for t in data.aws_organizations_organization.${data}.roots[0].policy_types : t.type if t.status == "ENABLED"], ["SERVICE_CONTROL_POLICY","TAG_POLICY"]))}`,
    );
  });

  test("imports the organization, the OUs it names, the accounts with recorded ids and the others by email", () => {
    const imports = (m.json.import as TfJson[]).map((i) => `${i.to.split(".")[0]} ${i.id}`);
    expect(imports.sort()).toEqual([
      // Log Archive, by email, from the same read of the organization as the lists.
      "aws_organizations_account ${each.value}",
      "aws_organizations_account 210987654321",
      "aws_organizations_account 323456789012",
      "aws_organizations_organization o-a1b2c3d4e5",
      "aws_organizations_organizational_unit ou-ab12-11111111",
    ]);
  });
});

test("opt-in regions: enabled per active account from the management account, with Account Management's trusted access", () => {
  const withRegions: OrganizationProps = {
    ...PROPS,
    accounts: PROPS.accounts.map((a) => ({
      ...a,
      settings: { optInRegions: a.status === "active" ? ["eu-south-2", "me-central-1"] : [] },
    })),
  };
  const { m } = build(withRegions);
  const regions = m.resources("aws_account_region");
  expect(Object.values(regions).map((r) => [r.account_id, r.region_name])).toEqual([
    [ref(m, "aws_organizations_account", named("Log Archive"), "id"), "eu-south-2"],
    [ref(m, "aws_organizations_account", named("Log Archive"), "id"), "me-central-1"],
    [ref(m, "aws_organizations_account", named("a prod"), "id"), "eu-south-2"],
    [ref(m, "aws_organizations_account", named("a prod"), "id"), "me-central-1"],
  ]);
  for (const r of Object.values(regions)) {
    expect(r.enabled).toBe(true);
    expect(r.depends_on).toEqual([
      expect.stringMatching(/^aws_organizations_organization\.[\w-]+$/),
    ]);
  }
  expect(m.resource("aws_organizations_organization").aws_service_access_principals).toContain(
    "account.amazonaws.com",
  );
  // Without an opt-in region, no trusted access for Account Management.
  expect(
    build(PROPS).m.resource("aws_organizations_organization").aws_service_access_principals,
  ).not.toContain("account.amazonaws.com");
});

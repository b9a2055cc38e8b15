// IAM Identity Center on the synthesized JSON: the permission sets, the platform group in the core
// accounts, each team's groups and its rule-table assignments in its own `access-<team>` stack, a
// suspended account losing its assignments in that same change, and groups that already exist (an
// external identity provider) looked up instead of created.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { allAccounts } from "../config/model";
import { planStacks } from "../stacks";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  writeFiles,
  type Synthesized,
  type TfJson,
  EXAMPLE_ACCOUNTS,
} from "./helpers";

const ASSIGNMENT = "aws_ssoadmin_account_assignment";

let out: Synthesized;
beforeAll(() => {
  out = synthAccounts(undefined, "organization,access*");
});

/** Each assignment as `<group> <permission set> <account stack>`, read back from the JSON. */
function assignmentsOf(s: Synthesized, id: string): string[] {
  const stack = s.stack(id);
  const groupOf = (ref: string): string => {
    const [, kind, type, name] =
      /^\$\{(data\.)?(aws_identitystore_group)\.([^.]+)\.group_id\}$/.exec(ref)!;
    const block = kind ? stack.data[type][name] : stack.resource[type][name];
    return (
      block.display_name ??
      block.alternate_identifier?.unique_attribute.attribute_value ??
      block.group_id
    );
  };
  const setOf = (ref: string): string => {
    const m = /^\$\{(data\.)?aws_ssoadmin_permission_set\.([^.]+)\.arn\}$/.exec(ref)!;
    return m[1]
      ? stack.data.aws_ssoadmin_permission_set[m[2]].name
      : stack.resource.aws_ssoadmin_permission_set[m[2]].name;
  };
  // A recorded id is a literal, any other account a plan-time lookup named after its stack.
  const accountOf = (target: string): string =>
    allAccounts(s.lz).find((a) => a.accountId === target)?.stackId ??
    /^\$\{local\.account_id_(.+)\}$/.exec(target)![1].replace(/_/g, "-");
  return Object.values(s.resources(id, ASSIGNMENT))
    .map((a: TfJson) => {
      expect(a).toMatchObject({ principal_type: "GROUP", target_type: "AWS_ACCOUNT" });
      return `${groupOf(a.principal_id)} ${setOf(a.permission_set_arn)} ${accountOf(a.target_id)}`;
    })
    .sort();
}

test("the access stack holds the three permission sets as configured", () => {
  const sets = Object.values(out.resources("access", "aws_ssoadmin_permission_set"));
  expect(sets.map((s) => [s.name, s.session_duration]).sort()).toEqual([
    ["PlatformAdmin", "PT4H"],
    ["TeamDeveloper", "PT8H"],
    ["TeamReadOnly", "PT8H"],
  ]);
  const managed = Object.values(out.resources("access", "aws_ssoadmin_managed_policy_attachment"));
  expect(managed.map((m) => m.managed_policy_arn).sort()).toEqual([
    "arn:aws:iam::aws:policy/AWSXrayReadOnlyAccess",
    "arn:aws:iam::aws:policy/AdministratorAccess",
    "arn:aws:iam::aws:policy/CloudWatchReadOnlyAccess",
    "arn:aws:iam::aws:policy/PowerUserAccess",
    "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
  ]);
  const inline = out.resource("access", "aws_ssoadmin_permission_set_inline_policy");
  const file = JSON.parse(
    readFileSync(join(EXAMPLE_ACCOUNTS, "policies/team-developer.json"), "utf8"),
  );
  expect(inline.inline_policy).toBe(JSON.stringify(file));
  expect(inline.permission_set_arn).toMatch(
    /^\$\{aws_ssoadmin_permission_set\.permission-set-TeamDeveloper_set_\w+\.arn\}$/,
  );
  // The instance is read at plan time, and a plan without Identity Center enabled stops with the fix.
  const [instances] = Object.values(out.stack("access").data.aws_ssoadmin_instances) as TfJson[];
  expect(instances.lifecycle.postcondition[0].error_message).toMatch(
    /IAM Identity Center is not enabled in the management account in eu-west-1 \(the organization's homeRegion\)/,
  );
});

test("an assignment in access waits for its permission set's policies: each attachment re-provisions the set", () => {
  const attachments = (type: string) =>
    Object.entries(out.resources("access", type)).map(([name, r]) => ({
      address: `${type}.${name}`,
      set: r.permission_set_arn,
    }));
  const all = [
    ...attachments("aws_ssoadmin_managed_policy_attachment"),
    ...attachments("aws_ssoadmin_permission_set_inline_policy"),
  ];
  const assignments = Object.values(out.resources("access", ASSIGNMENT));
  expect(assignments.length).toBeGreaterThan(0);
  for (const a of assignments) {
    const own = all.filter((x) => x.set === a.permission_set_arn).map((x) => x.address);
    expect(own.length).toBeGreaterThan(0);
    expect([...a.depends_on].sort()).toEqual(own.sort());
  }
});

test("the platform group is created once and gets PlatformAdmin in every core account, never the management account", () => {
  expect(out.resource("access", "aws_identitystore_group")).toMatchObject({
    display_name: "platform-admins",
  });
  expect(assignmentsOf(out, "access")).toEqual([
    "platform-admins PlatformAdmin log-archive",
    "platform-admins PlatformAdmin observability",
    "platform-admins PlatformAdmin security",
  ]);
  for (const id of out.stackIds.filter((s) => s.startsWith("access"))) {
    for (const a of Object.values(out.resources(id, ASSIGNMENT))) {
      expect(a.target_id).not.toContain("111111111111");
      // An id only known at plan time is checked there; a literal one when synthesized.
      const plannedId = /^\$\{(local\.account_id_\w+)\}$/.exec(a.target_id)?.[1];
      expect(a.lifecycle?.precondition).toEqual(
        plannedId === undefined
          ? undefined
          : [
              {
                condition: `\${(${plannedId} != "111111111111")}`,
                error_message: expect.stringContaining(
                  "in the management account (111111111111) is refused",
                ),
              },
            ],
      );
    }
    // Managed with the management account's own credentials, like the organization stack.
    expect(out.stack(id).provider.aws[0]).toMatchObject({ allowed_account_ids: ["111111111111"] });
    expect(out.stack(id).provider.aws[0].assume_role).toBeUndefined();
  }
});

test("each team's stack: its groups by template, and the rule table in each of its accounts", () => {
  const groups = (id: string) =>
    Object.values(out.resources(id, "aws_identitystore_group"))
      .map((g) => g.display_name)
      .sort();
  expect(groups("access-payments")).toEqual(["payments-developers", "payments-readers"]);
  // notifications names its own developers group; readers follows the template.
  expect(groups("access-notifications")).toEqual([
    "notifications-engineers",
    "notifications-readers",
  ]);
  expect(assignmentsOf(out, "access-catalog")).toEqual([
    "catalog-developers TeamDeveloper team-catalog-dev",
    "catalog-developers TeamDeveloper team-catalog-staging",
    "catalog-developers TeamReadOnly team-catalog-prod",
    "catalog-readers TeamReadOnly team-catalog-dev",
    "catalog-readers TeamReadOnly team-catalog-prod",
    "catalog-readers TeamReadOnly team-catalog-staging",
    "platform-admins PlatformAdmin team-catalog-dev",
    "platform-admins PlatformAdmin team-catalog-prod",
    "platform-admins PlatformAdmin team-catalog-staging",
  ]);
  // Sets and the platform group come from plan-time lookups by name: no cross-stack reference.
  const data = out.stack("access-catalog").data;
  expect(
    Object.values(data.aws_ssoadmin_permission_set as Record<string, TfJson>)
      .map((d: TfJson) => d.name)
      .sort(),
  ).toEqual(["PlatformAdmin", "TeamDeveloper", "TeamReadOnly"]);
  expect(JSON.stringify(out.stack("access-catalog"))).not.toContain("terraform_remote_state");
});

test("deploy order: access after organization, every access-<team> after access", () => {
  const ids = planStacks(out.lz).map((p) => p.id);
  expect(ids.indexOf("access")).toBeGreaterThan(ids.indexOf("organization"));
  for (const t of ["access-catalog", "access-notifications", "access-payments"])
    expect(ids.indexOf(t)).toBeGreaterThan(ids.indexOf("access"));
});

/** Synthesizes a copy of the example changed by `change`, for the stacks `selector` names. */
function variant(
  change: (dir: string) => void,
  selector: string,
  body: (s: Synthesized) => void,
): void {
  const dir = copyExampleAccounts();
  try {
    change(dir);
    body(synthAccounts(dir, selector));
  } finally {
    removeDir(dir);
  }
}

function edit(
  dir: string,
  rel: string,
  change: (doc: ReturnType<typeof parseDocument>) => void,
): void {
  const doc = parseDocument(readFileSync(join(dir, rel), "utf8"));
  change(doc);
  writeFiles(dir, { [rel]: doc.toString() });
}

const setStatus = (dir: string, env: string, statuses: string[]) => {
  edit(dir, "teams/payments.yaml", (d) =>
    d.setIn(["environments", env, "status"], statuses[statuses.length - 1]),
  );
  edit(dir, "ledger.yaml", (d) => d.setIn(["teams", "payments", env], d.createNode(statuses)));
};

test("suspending an account removes its assignments in the same change that moves it to Suspended", () => {
  variant(
    (dir) => setStatus(dir, "dev", ["active", "suspended"]),
    "organization,access-payments",
    (s) => {
      expect(s.stackIds).toContain("access-payments");
      expect(assignmentsOf(s, "access-payments")).toEqual([
        "payments-developers TeamReadOnly team-payments-prod",
        "payments-readers TeamReadOnly team-payments-prod",
        "platform-admins PlatformAdmin team-payments-prod",
      ]);
      // The groups stay while an account may come back.
      expect(Object.keys(s.resources("access-payments", "aws_identitystore_group"))).toHaveLength(
        2,
      );
      const account = Object.entries(s.resources("organization", "aws_organizations_account")).find(
        ([name]) => name.includes("team-payments-dev"),
      )![1];
      const [suspendedOu] = Object.keys(
        s.resources("organization", "aws_organizations_organizational_unit"),
      ).filter((n) => n.startsWith("org_ou-suspended"));
      expect(account.parent_id).toBe(`\${aws_organizations_organizational_unit.${suspendedOu}.id}`);
    },
  );
});

test("a team whose accounts are all closed keeps no groups, so its file can then be removed", () => {
  variant(
    (dir) => {
      setStatus(dir, "dev", ["active", "suspended", "closed"]);
      setStatus(dir, "prod", ["active", "suspended", "closed"]);
    },
    "access-payments",
    (s) => {
      expect(s.resources("access-payments", ASSIGNMENT)).toEqual({});
      expect(s.resources("access-payments", "aws_identitystore_group")).toEqual({});
    },
  );
});

test("groups from an external identity provider: looked up by display name or id, never created", () => {
  variant(
    (dir) => {
      edit(dir, "organization.yaml", (d) => d.setIn(["access", "teamGroups", "create"], false));
      edit(dir, "teams/payments.yaml", (d) =>
        d.setIn(
          ["access"],
          d.createNode({ groups: { readers: { id: "9067c5b6-3071-7034-bd79-46b5d5f7c9c0" } } }),
        ),
      );
    },
    "access-payments",
    (s) => {
      expect(s.resources("access-payments", "aws_identitystore_group")).toEqual({});
      const lookups = Object.values(
        s.stack("access-payments").data.aws_identitystore_group,
      ) as TfJson[];
      expect(
        lookups
          .map((l) => l.group_id ?? l.alternate_identifier.unique_attribute.attribute_value)
          .sort(),
      ).toEqual(["9067c5b6-3071-7034-bd79-46b5d5f7c9c0", "payments-developers", "platform-admins"]);
    },
  );
});

test("a permissions boundary on a set is attached as configured", () => {
  variant(
    (dir) =>
      edit(dir, "organization.yaml", (d) =>
        d.setIn(
          ["access", "permissionSets", "TeamDeveloper", "permissionsBoundary"],
          d.createNode({ customerManagedPolicy: { name: "team-boundary" } }),
        ),
      ),
    "access",
    (s) => {
      expect(
        s.resource("access", "aws_ssoadmin_permissions_boundary_attachment").permissions_boundary,
      ).toEqual({
        customer_managed_policy_reference: { name: "team-boundary", path: "/" },
      });
    },
  );
});

test("onboarding a team plans only its own access stack: every other team's stacks stay byte-identical", () => {
  const before = synthAccounts(undefined);
  variant(
    (dir) => {
      writeFiles(dir, {
        "teams/search.yaml": readFileSync(join(dir, "teams/payments.yaml"), "utf8")
          .replace("name: payments", "name: search")
          .replace(/\n\s*accountId: .*$/gm, ""),
      });
      edit(dir, "ledger.yaml", (d) =>
        d.setIn(["teams", "search"], d.createNode({ dev: ["active"], prod: ["active"] })),
      );
      edit(dir, "organization.yaml", (d) => d.setIn(["quotas", "organizationAccounts"], 30));
    },
    "*",
    (after) => {
      const changed = after.stackIds.filter(
        (id) =>
          !before.stackIds.includes(id) ||
          JSON.stringify(after.stack(id)) !== JSON.stringify(before.stack(id)),
      );
      // organization creates the accounts; observability's dashboards list every team (as before);
      // security switches Inspector's Lambda scanning on for the new accounts.
      expect(changed).toEqual([
        "access-search",
        "observability",
        "organization",
        "security",
        "team-search-dev",
        "team-search-prod",
      ]);
    },
  );
});

test("without access: in organization.yaml no access stack is synthesized", () => {
  variant(
    (dir) => {
      edit(dir, "organization.yaml", (d) => d.delete("access"));
      edit(dir, "teams/notifications.yaml", (d) => d.delete("access"));
    },
    "*",
    (s) => expect(s.stackIds.filter((id) => id.startsWith("access"))).toEqual([]),
  );
});

test("npm run validate says who reaches which account with which permission set, one line per account", () => {
  const { summarize } = require("../cli/validate") as typeof import("../cli/validate");
  const lines = summarize(out.lz).split("\n");
  expect(lines).toContain(
    "  team-payments-dev        platform-admins: PlatformAdmin; payments-developers: TeamDeveloper; payments-readers: TeamReadOnly",
  );
  expect(lines).toContain(
    "  team-payments-prod       platform-admins: PlatformAdmin; payments-developers: TeamReadOnly; payments-readers: TeamReadOnly",
  );
  expect(lines).toContain(
    "  core accounts            platform-admins: PlatformAdmin (log-archive, security, observability)",
  );
  expect(lines).toContain(
    "Access (IAM Identity Center of the management account 111111111111, which is never assigned; stacks access, access-<team>):",
  );
  variant(
    (dir) => setStatus(dir, "dev", ["active", "suspended"]),
    "access-payments",
    (s) =>
      expect(summarize(s.lz).split("\n")).toContain(
        "  team-payments-dev        suspended: no access",
      ),
  );
});

// Construct ids are built from names a user writes; two valid inputs must never share one. Before, a
// collision stopped synth with "There is already a Construct with name ..." naming no file or field,
// or, for a lookup placed directly in a stack, silently merged two permission sets into one.
import { copyExampleAccounts, removeDir, synthAccounts, type TfJson } from "./helpers";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const ORG = "organization.yaml";

function edit(dir: string, file: string, from: string, to: string): void {
  const text = readFileSync(join(dir, file), "utf8");
  if (!text.includes(from)) throw new Error(`stale test: ${file} has no ${JSON.stringify(from)}`);
  writeFileSync(join(dir, file), text.replace(from, to));
}

/** Adds permission sets (name -> managed policy names) and assignment rules to the example. */
function withAccess(sets: Record<string, string[]>, rules: [role: string, set: string][]): string {
  const dir = copyExampleAccounts();
  const setYaml = Object.entries(sets)
    .map(
      ([name, policies]) =>
        `    ${name}:\n      description: ${name}\n      managedPolicies: [${policies.map((p) => `arn:aws:iam::aws:policy/${p}`).join(", ")}]\n`,
    )
    .join("");
  edit(dir, ORG, "  groups:\n    admins:", `${setYaml}  groups:\n    admins:`);
  edit(
    dir,
    ORG,
    "    - { role: readers, permissionSet: TeamReadOnly, environments: all }",
    [
      "    - { role: readers, permissionSet: TeamReadOnly, environments: all }",
      ...rules.map(
        ([role, set]) => `    - { role: ${role}, permissionSet: ${set}, environments: [dev] }`,
      ),
    ].join("\n"),
  );
  return dir;
}

/** `<group display name> <permission set name>` of every assignment in a team's access stack. */
function assignments(stack: TfJson): string[] {
  const groups = {
    ...stack.resource?.aws_identitystore_group,
    ...stack.data?.aws_identitystore_group,
  };
  const sets = stack.data?.aws_ssoadmin_permission_set ?? {};
  const lookup = (ref: string, table: Record<string, TfJson>) =>
    table[/^\$\{(?:data\.)?\w+\.([^.]+)\./.exec(ref)![1]];
  return Object.values(stack.resource.aws_ssoadmin_account_assignment as Record<string, TfJson>)
    .map((a) => {
      const group = lookup(a.principal_id, groups);
      const name =
        group.display_name ?? group.alternate_identifier.unique_attribute.attribute_value;
      return `${name} ${lookup(a.permission_set_arn, sets).name}`;
    })
    .sort();
}

test("two assignments whose readable ids are the same both synthesize", () => {
  // team-dev-ops-Admin-team-payments-dev, twice: role dev + set ops-Admin, role dev-ops + set Admin.
  const dir = withAccess({ "ops-Admin": ["ReadOnlyAccess"], Admin: ["ReadOnlyAccess"] }, [
    ["dev", "ops-Admin"],
    ["dev-ops", "Admin"],
  ]);
  try {
    const out = synthAccounts(dir, "access-payments");
    expect(assignments(out.stack("access-payments"))).toEqual(
      expect.arrayContaining(["payments-dev ops-Admin", "payments-dev-ops Admin"]),
    );
    removeDir(join(out.outdir, ".."));
  } finally {
    removeDir(dir);
  }
});

test("permission sets whose names differ only in punctuation are looked up separately", () => {
  // Ops.Admin and OpsAdmin once shared one lookup, so readers got OpsAdmin's AdministratorAccess.
  const dir = withAccess({ "Ops.Admin": ["ReadOnlyAccess"], OpsAdmin: ["AdministratorAccess"] }, [
    ["readers", "Ops.Admin"],
    ["developers", "OpsAdmin"],
  ]);
  try {
    const out = synthAccounts(dir, "access-payments");
    expect(assignments(out.stack("access-payments"))).toEqual(
      expect.arrayContaining(["payments-readers Ops.Admin", "payments-developers OpsAdmin"]),
    );
    expect(
      Object.values(out.stack("access-payments").data.aws_ssoadmin_permission_set as TfJson)
        .map((d) => d.name)
        .sort(),
    ).toEqual(expect.arrayContaining(["Ops.Admin", "OpsAdmin"]));
    removeDir(join(out.outdir, ".."));
  } finally {
    removeDir(dir);
  }
});

test("managed policies whose paths read alike are attached separately", () => {
  const dir = withAccess(
    { Viewer: ["job-function/ViewOnlyAccess", "job-function-ViewOnlyAccess"] },
    [["readers", "Viewer"]],
  );
  try {
    const out = synthAccounts(dir, "access");
    expect(
      Object.values(out.resources("access", "aws_ssoadmin_managed_policy_attachment"))
        .map((a) => a.managed_policy_arn)
        .filter((arn: string) => /ViewOnlyAccess$/.test(arn))
        .sort(),
    ).toEqual([
      "arn:aws:iam::aws:policy/job-function-ViewOnlyAccess",
      "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
      "arn:aws:iam::aws:policy/job-function/ViewOnlyAccess",
    ]);
    removeDir(join(out.outdir, ".."));
  } finally {
    removeDir(dir);
  }
});

test("SCP attachments whose readable ids are the same both synthesize", () => {
  // scp-x-to-b-to-root, twice: policy x-to-b on Root, policy x on the OU B/To/Root.
  const dir = copyExampleAccounts();
  try {
    edit(
      dir,
      ORG,
      "  - name: Sandbox\n",
      "  - name: Sandbox\n  - name: B\n    children:\n      - name: To\n        children:\n          - name: Root\n",
    );
    edit(
      dir,
      ORG,
      "    - name: deny-all\n",
      "    - name: x-to-b\n      builtin: deny-leave-organization\n      targets: [Root]\n    - name: x\n      builtin: deny-root-user\n      targets: [B/To/Root]\n    - name: deny-all\n",
    );
    edit(dir, ORG, "maxPerTarget: 5", "maxPerTarget: 10");
    const out = synthAccounts(dir, "organization");
    const attached = Object.values(
      out.resources("organization", "aws_organizations_policy_attachment"),
    ).map((a) => a.policy_id as string);
    const policies = out.resources("organization", "aws_organizations_policy");
    const idOf = (name: string) =>
      `\${aws_organizations_policy.${Object.entries(policies).find(([, p]) => p.name === name)![0]}.id}`;
    expect(attached).toEqual(expect.arrayContaining([idOf("x-to-b"), idOf("x")]));
    removeDir(join(out.outdir, ".."));
  } finally {
    removeDir(dir);
  }
});

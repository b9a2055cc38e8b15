// Least privilege for plans (#20): every member account gets the read-only plan role from its own
// stack, trusted only by the management account's plan role; every provider that assumes a role
// into a member account takes the role's name from one Terraform variable, so `npm run plan --
// --role plan` and `--role apply` differ only in `-var` and the synthesized JSON is the same.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { synthAccounts, type Synthesized, type TfJson } from "./helpers";

let out: Synthesized;
beforeAll(() => {
  out = synthAccounts();
});

const MEMBER_STACKS = [
  "log-archive",
  "security",
  "observability",
  "team-payments-prod",
  "team-payments-dev",
];

test("every member account's stack creates the plan role: ReadOnlyAccess, no data reads, trusted by the plan role", () => {
  for (const id of MEMBER_STACKS) {
    const roles = Object.values(out.resources(id, "aws_iam_role")).filter(
      (r) => r.name === "lz-plan",
    );
    expect(roles).toHaveLength(1);
    expect(JSON.parse(roles[0].assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "ManagementPlanRole",
          Effect: "Allow",
          Principal: { AWS: "arn:aws:iam::111111111111:role/landing-zone-plan" },
          Action: "sts:AssumeRole",
        },
      ],
    });
    const attached = Object.values(out.resources(id, "aws_iam_role_policy_attachment")).filter(
      (a) => a.policy_arn === "arn:aws:iam::aws:policy/ReadOnlyAccess",
    );
    expect(attached).toHaveLength(1);
    const deny = Object.values(out.resources(id, "aws_iam_role_policy")).find(
      (p) => p.name === "deny-data-reads",
    )!;
    const statement = JSON.parse(deny.policy).Statement[0];
    expect(statement.Effect).toBe("Deny");
    expect(statement.Action).toEqual(
      expect.arrayContaining([
        "s3:GetObject",
        "dynamodb:Scan",
        "secretsmanager:GetSecretValue",
        "kms:Decrypt",
      ]),
    );
  }
  // The management account's stacks have none: there, plans run as the plan role itself.
  for (const id of ["organization", "organization-trail"]) {
    expect(
      Object.values(out.resources(id, "aws_iam_role")).filter((r) => r.name === "lz-plan"),
    ).toEqual([]);
  }
});

test("one variable names the assumed role, defaulting to the platform role and admitting only the two roles", () => {
  for (const id of [...MEMBER_STACKS, "organization-trail"]) {
    const stack = out.stack(id);
    expect(stack.variable.landing_zone_role_name).toEqual({
      type: "string",
      default: "OrganizationAccountAccessRole",
      description:
        "The role assumed into member accounts: OrganizationAccountAccessRole (the platform role, applies) or lz-plan (read-only, plans)",
      nullable: false,
      validation: [
        {
          condition:
            '${contains(["OrganizationAccountAccessRole","lz-plan"], var.landing_zone_role_name)}',
          error_message:
            "landing_zone_role_name must be OrganizationAccountAccessRole (apply) or lz-plan (plan).",
        },
      ],
    });
    const assumed = (stack.provider.aws as TfJson[]).flatMap((p) => p.assume_role ?? []);
    expect(assumed.length).toBeGreaterThan(0);
    for (const a of assumed)
      expect(a.role_arn).toMatch(/:role\/\$\{var\.landing_zone_role_name\}$/);
  }
  // The management account's own providers assume nothing: its credentials are the OIDC role's.
  expect(out.stack("organization").variable).toBeUndefined();
});

describe("planRoleName", () => {
  const { loadLandingZone } = require("../config/load") as typeof import("../config/load");
  const { copyExampleAccounts, removeDir, writeFiles } =
    require("./helpers") as typeof import("./helpers");
  const problemsWith = (edit: (text: string) => string): string => {
    const dir = copyExampleAccounts();
    try {
      const file = join(dir, "organization.yaml");
      writeFiles(dir, { "organization.yaml": edit(readFileSync(file, "utf8")) });
      loadLandingZone({ accountsDir: dir });
      return "";
    } catch (e) {
      return (e as Error).message;
    } finally {
      removeDir(dir);
    }
  };

  test("starts with lz-, so the SCP protecting the landing zone's roles (lz-*) protects it", () => {
    expect(
      problemsWith((t) => t.replace("planRoleName: lz-plan", "planRoleName: ReadOnlyPlan")),
    ).toContain(
      'organization.yaml: planRoleName: must start with lz- (the SCP that protects the landing zone\'s roles covers lz-*), then up to 61 of A-Z a-z 0-9 + = , . @ _ - (got "ReadOnlyPlan")',
    );
  });

  test("differs from the platform role", () => {
    expect(
      problemsWith((t) =>
        t
          .replace("platformRoleName: OrganizationAccountAccessRole", "platformRoleName: lz-admin")
          .replace("planRoleName: lz-plan", "planRoleName: lz-admin"),
      ),
    ).toContain(
      'organization.yaml: planRoleName: must differ from platformRoleName: plans assume the read-only plan role, applies the platform role (got "lz-admin")',
    );
  });
});

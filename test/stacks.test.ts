// The example organization synthesized as a user would: stack ids, the OU tree, accounts and where
// they sit, the SCP baseline and its attachments, providers, backends and determinism.
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { synthAccounts, copyExampleAccounts, removeDir, type Synthesized } from "./helpers";

let out: Synthesized;
beforeAll(() => {
  out = synthAccounts();
});

const TEAM_STACKS = [
  "team-catalog-dev",
  "team-catalog-prod",
  "team-catalog-staging",
  "team-notifications-dev",
  "team-notifications-prod",
  "team-payments-dev",
  "team-payments-prod",
  "team-reporting-dev",
  "team-reporting-staging",
];

test("one stack per AWS account, with the contract ids", () => {
  expect(out.stackIds).toEqual(
    [
      "log-archive",
      "observability",
      "organization",
      "organization-trail",
      "security",
      // IAM Identity Center, in the management account: shared, then one per team.
      "access",
      "access-catalog",
      "access-notifications",
      "access-payments",
      "access-reporting",
      ...TEAM_STACKS,
    ].sort(),
  );
  const manifest = JSON.parse(readFileSync(join(out.outdir, "manifest.json"), "utf8"));
  expect(Object.keys(manifest.stacks).sort()).toEqual(out.stackIds);
});

test("the OU tree hangs from the root in the configured shape", () => {
  const ous = out.resources("organization", "aws_organizations_organizational_unit");
  const byName = Object.fromEntries(Object.entries(ous).map(([id, r]) => [r.name, { id, ...r }]));
  expect(Object.keys(byName).sort()).toEqual(
    ["Infrastructure", "NonProd", "Prod", "Sandbox", "Security", "Suspended", "Workloads"].sort(),
  );
  const orgId = Object.keys(out.resources("organization", "aws_organizations_organization"))[0];
  const root = `\${aws_organizations_organization.${orgId}.roots[0].id}`;
  for (const top of ["Security", "Infrastructure", "Workloads", "Sandbox", "Suspended"]) {
    expect(byName[top].parent_id).toBe(root);
  }
  expect(byName.Prod.parent_id).toBe(
    `\${aws_organizations_organizational_unit.${byName.Workloads.id}.id}`,
  );
  for (const ou of Object.values(ous)) expect(ou.lifecycle.prevent_destroy).toBe(true);
  const org = out.resource("organization", "aws_organizations_organization");
  expect(org.feature_set).toBe("ALL");
  expect(org.enabled_policy_types).toEqual([
    "AISERVICES_OPT_OUT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "RESOURCE_CONTROL_POLICY",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
  ]);
  expect(org.lifecycle.prevent_destroy).toBe(true);
});

test("every core and team account is placed in its OU and cannot be destroyed by a plan", () => {
  const ous = out.resources("organization", "aws_organizations_organizational_unit");
  const ouRef = (name: string) => {
    const id = Object.entries(ous).find(([, r]) => r.name === name)![0];
    return `\${aws_organizations_organizational_unit.${id}.id}`;
  };
  const accounts = Object.values(out.resources("organization", "aws_organizations_account"));
  const placement = Object.fromEntries(accounts.map((a) => [a.email, a.parent_id]));
  expect(placement).toEqual({
    "aws-log-archive@acme.example": ouRef("Security"),
    "aws-security@acme.example": ouRef("Security"),
    "aws-observability@acme.example": ouRef("Infrastructure"),
    "aws+catalog-dev@acme.example": ouRef("NonProd"),
    "aws+catalog-staging@acme.example": ouRef("NonProd"),
    "aws+catalog-prod@acme.example": ouRef("Prod"),
    "aws+notifications-dev@acme.example": ouRef("NonProd"),
    "aws+notifications-prod@acme.example": ouRef("Prod"),
    "aws+payments-dev@acme.example": ouRef("NonProd"),
    "aws+payments-prod@acme.example": ouRef("Prod"),
    "aws+reporting-dev@acme.example": ouRef("NonProd"),
    "aws+reporting-staging@acme.example": ouRef("NonProd"),
  });
  for (const a of accounts) {
    expect(a.close_on_deletion).toBe(false);
    expect(a.lifecycle.prevent_destroy).toBe(true);
    expect(a.lifecycle.ignore_changes).toEqual(["role_name", "iam_user_access_to_billing"]);
    expect(a.role_name).toBe("OrganizationAccountAccessRole");
  }
  // A recorded account id adopts the account with an import block instead of creating it.
  const imports = out.stack("organization").import ?? [];
  expect(imports).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ id: "210987654321" }),
      expect.objectContaining({ id: "323456789012" }),
    ]),
  );
});

test("the SCP baseline: region deny exempts global services and spares the platform role", () => {
  const policies = out.resources("organization", "aws_organizations_policy");
  const byName = Object.fromEntries(Object.values(policies).map((p) => [p.name, p]));
  const regionDeny = JSON.parse(byName["deny-outside-allowed-regions"].content);
  const st = regionDeny.Statement[0];
  expect(st.Effect).toBe("Deny");
  expect(st.NotAction).toEqual(
    expect.arrayContaining([
      "iam:*",
      "organizations:*",
      "sts:*",
      "route53:*",
      "cloudfront:*",
      "support:*",
    ]),
  );
  expect(st.Condition.StringNotEquals["aws:RequestedRegion"]).toEqual([
    "eu-central-1",
    "eu-west-1",
    "us-east-1",
  ]);
  expect(st.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual([
    "arn:aws:iam::*:role/OrganizationAccountAccessRole",
  ]);
  const protect = JSON.parse(byName["protect-landing-zone"].content);
  // Leaving the organization and the root user are denied to everyone; the rest spares the role.
  const [leave, root, ...rest] = protect.Statement;
  expect(leave).toEqual({
    Sid: "DenyLeaveOrganization",
    Effect: "Deny",
    Action: ["organizations:LeaveOrganization"],
    Resource: "*",
  });
  expect(root.Condition).toEqual({
    StringLike: { "aws:PrincipalArn": ["arn:aws:iam::*:root"] },
    Null: { "aws:AssumedRoot": "true" },
  });
  for (const s of rest) {
    expect(s.Condition.ArnNotLike["aws:PrincipalArn"]).toEqual([
      "arn:aws:iam::*:role/OrganizationAccountAccessRole",
    ]);
  }
  expect(JSON.parse(byName["deny-all"].content).Statement).toEqual([
    { Sid: "DenyAll", Effect: "Deny", Action: "*", Resource: "*" },
  ]);
  for (const p of Object.values(policies)) expect(p.content.length).toBeLessThanOrEqual(5120);
});

test("organization policies attach to the configured targets: the root, OUs and single accounts", () => {
  const policies = out.resources("organization", "aws_organizations_policy");
  const ous = out.resources("organization", "aws_organizations_organizational_unit");
  const accounts = out.resources("organization", "aws_organizations_account");
  const nameOfPolicy = (ref: string) => policies[ref.split(".")[1]].name;
  const nameOfTarget = (ref: string) =>
    ref.includes("roots[0]")
      ? "Root"
      : ref.startsWith("${aws_organizations_account.")
        ? `account ${accounts[ref.split(".")[1]].name}`
        : ous[ref.split(".")[1]].name;
  const attachments = Object.values(
    out.resources("organization", "aws_organizations_policy_attachment"),
  )
    .map((a) => `${nameOfPolicy(a.policy_id)} -> ${nameOfTarget(a.target_id)}`)
    .sort();
  expect(attachments).toEqual([
    "ai-services-opt-out -> Root",
    "data-perimeter -> Root",
    "deny-all -> Suspended",
    "deny-iam-users -> Workloads",
    "deny-outside-allowed-regions -> Root",
    "ec2-baseline -> Root",
    "mandatory-tag-keys -> Root",
    "protect-landing-zone -> Root",
    "protect-log-archive -> account Log Archive",
    "protect-observability -> account Observability",
    "protect-security-tooling -> account Security Audit",
  ]);
});

test("the organization trail writes to the log archive bucket, which is encrypted, versioned and private", () => {
  const trail = out.resource("organization-trail", "aws_cloudtrail");
  expect(trail).toMatchObject({
    is_organization_trail: true,
    is_multi_region_trail: true,
    enable_log_file_validation: true,
    s3_bucket_name: "acme-cloudtrail-111111111111",
  });
  const bucket = out.resource("log-archive", "aws_s3_bucket");
  expect(bucket).toMatchObject({ bucket: "acme-cloudtrail-111111111111", force_destroy: false });
  expect(bucket.lifecycle.prevent_destroy).toBe(true);
  expect(out.resource("log-archive", "aws_s3_bucket_versioning").versioning_configuration).toEqual({
    status: "Enabled",
  });
  const sse = out.resource("log-archive", "aws_s3_bucket_server_side_encryption_configuration");
  expect(sse.rule[0].apply_server_side_encryption_by_default.sse_algorithm).toBe("aws:kms");
  expect(out.resource("log-archive", "aws_s3_bucket_public_access_block")).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  const policy = JSON.parse(out.resource("log-archive", "aws_s3_bucket_policy").policy);
  expect(policy.Statement[0]).toMatchObject({
    Effect: "Deny",
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
  const writes = policy.Statement.find((s: { Sid: string }) => s.Sid === "TrailWrites");
  expect(writes.Condition).toEqual({
    StringEquals: {
      "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/organization-trail",
    },
  });
  const lifecycle = out.resource("log-archive", "aws_s3_bucket_lifecycle_configuration");
  expect(lifecycle.rule[0].transition).toEqual([{ days: 90, storage_class: "GLACIER" }]);
  expect(lifecycle.rule[0].expiration).toEqual([{ days: 2557 }]);
});

test("every stack assumes the platform role into its own account and tags by default", () => {
  const provider = (id: string) => {
    const aws = out.stack(id).provider.aws as Record<string, unknown>[];
    return aws.find((p) => p.alias === undefined)!;
  };
  expect(provider("organization")).toMatchObject({
    region: "eu-west-1",
    allowed_account_ids: ["111111111111"],
  });
  expect(provider("organization").assume_role).toBeUndefined();
  expect(provider("team-payments-prod")).toMatchObject({
    allowed_account_ids: ["210987654321"],
    assume_role: [
      {
        role_arn: "arn:aws:iam::210987654321:role/${var.landing_zone_role_name}",
        session_name: "landing-zone",
      },
    ],
    default_tags: [
      {
        tags: {
          "cost-center": "CC-2040",
          environment: "prod",
          "managed-by": "landing-zone",
          organization: "acme",
          owner: "dana.whitfield@acme.example",
          team: "payments",
        },
      },
    ],
  });
  // No recorded id: the id is looked up by email through the management account at plan time.
  const dev = provider("team-payments-dev") as { assume_role: { role_arn: string }[] };
  expect(dev.assume_role[0].role_arn).toBe(
    "arn:aws:iam::${local.account_id_team_payments_dev}:role/${var.landing_zone_role_name}",
  );
  // In a local, so the quotes of the lookup never land inside a JSON policy string.
  expect(out.stack("team-payments-dev").locals.account_id_team_payments_dev).toBe(
    '${one([for a in data.aws_organizations_organization.organization.accounts : a.id if lower(a.email) == "aws+payments-dev@acme.example"])}',
  );
  expect(out.stack("team-payments-dev").terraform_remote_state).toBeUndefined();
});

test("team stacks carry the account baseline and no reference to any other stack", () => {
  for (const id of TEAM_STACKS) {
    const stack = out.stack(id);
    expect(stack.data?.terraform_remote_state).toBeUndefined();
    expect(out.resource(id, "aws_s3_account_public_access_block")).toMatchObject({
      block_public_acls: true,
      restrict_public_buckets: true,
    });
    expect(out.resource(id, "aws_api_gateway_account").cloudwatch_role_arn).toMatch(
      /^\$\{aws_iam_role\..+\.arn\}$/,
    );
  }
});

test("the default backend keeps state in relative local files, one per stack", () => {
  for (const id of out.stackIds) {
    expect(out.stack(id).terraform.backend).toEqual({
      local: { path: `../../../terraform-state/${id}.tfstate` },
    });
  }
});

test("the S3 backend uses one key per stack, encryption and lockfile locking", () => {
  const dir = copyExampleAccounts();
  try {
    const org = join(dir, "organization.yaml");
    const text = readFileSync(org, "utf8").replace(
      /stateBackend:\n(  .*\n|  #.*\n)+/,
      "stateBackend:\n  type: s3\n  bucket: acme-landing-zone-state\n  region: eu-west-1\n  keyPrefix: lz\n",
    );
    require("node:fs").writeFileSync(org, text);
    const s3 = synthAccounts(dir, "organization,team-payments-prod");
    expect(s3.stackIds).toEqual(["organization", "team-payments-prod"]);
    expect(s3.stack("team-payments-prod").terraform.backend).toEqual({
      s3: {
        bucket: "acme-landing-zone-state",
        key: "lz/team-payments-prod/terraform.tfstate",
        region: "eu-west-1",
        encrypt: true,
        use_lockfile: true,
      },
    });
  } finally {
    removeDir(dir);
  }
});

test("synthesis is deterministic: two runs in different folders give identical bytes", () => {
  const again = synthAccounts(undefined, undefined, { cache: false });
  const files = (root: string) =>
    readdirSync(join(root, "stacks"))
      .sort()
      .map((id) => readFileSync(join(root, "stacks", id, "cdk.tf.json"), "utf8"));
  expect(files(again.outdir)).toEqual(files(out.outdir));
  expect(readFileSync(join(again.outdir, "manifest.json"), "utf8")).toBe(
    readFileSync(join(out.outdir, "manifest.json"), "utf8"),
  );
  for (const text of files(out.outdir)) expect(text).not.toMatch(/\/tmp\/|\/work\/|\/home\//);
});

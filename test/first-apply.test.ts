// What a first `terraform apply` of a new organization needs from the synthesized JSON, each found by
// reading the example as an AWS engineer would (the deploy rehearsal, `npm run rehearse`, applies it
// for real against an emulator): ordering inside the organization stack, quotas AWS enforces
// mid-apply, the organization trail's stack and key, and adopting an organization without disabling
// what it already uses.
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { deployPhases } from "../stacks/graph";
import {
  REPO,
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  writeFiles,
  type Synthesized,
  type TfJson,
} from "./helpers";
import { readFileSync } from "node:fs";

/** Runs `body` on a copy of the example accounts with one file's text changed by `edit`. */
function withEdited(file: string, edit: (text: string) => string, body: (dir: string) => void) {
  const dir = copyExampleAccounts();
  try {
    writeFiles(dir, { [file]: edit(readFileSync(join(dir, file), "utf8")) });
    body(dir);
  } finally {
    removeDir(dir);
  }
}

let out: Synthesized;
beforeAll(() => {
  out = synthAccounts(undefined, "organization,organization-trail,log-archive,team-payments-*");
});

test("every policy waits for the organization: policies before CreateOrganization fail", () => {
  const policies = Object.values(out.resources("organization", "aws_organizations_policy"));
  // 7 SCPs, the RCP, the EC2 declarative and AI opt-out policies, and the tag policy.
  expect(policies.length).toBe(11);
  const org = Object.keys(out.resources("organization", "aws_organizations_organization"));
  expect(org).toHaveLength(1);
  for (const p of policies) {
    expect(p.depends_on).toEqual([`aws_organizations_organization.${org[0]}`]);
  }
  // Centralized root access needs IAM's trusted access, which the organization turns on.
  expect(out.resource("organization", "aws_iam_organizations_features").depends_on).toEqual([
    `aws_organizations_organization.${org[0]}`,
  ]);
});

test("the deploy order applies in one pass: the trail is its own stack, after log-archive", () => {
  const phases = deployPhases(planStacks(out.lz)).map((phase) => phase.map((p) => p.id));
  const phaseOf = (id: string) => phases.findIndex((ph) => ph.includes(id));
  expect(phases[0]).toEqual(["organization"]);
  expect(phaseOf("organization-trail")).toBeGreaterThan(phaseOf("log-archive"));
  expect(out.resources("organization", "aws_cloudtrail")).toEqual({});
});

test("the organization trail encrypts with the log archive key, read through that account at plan time", () => {
  const trailStack = out.stack("organization-trail");
  const trail = out.resource("organization-trail", "aws_cloudtrail");
  const [aliasName, alias] = Object.entries(trailStack.data.aws_kms_alias as TfJson)[0];
  expect(alias).toMatchObject({ name: "alias/lz-cloudtrail", provider: "aws.log_archive" });
  expect(trail.kms_key_id).toBe(`\${data.aws_kms_alias.${aliasName}.target_key_arn}`);
  const logArchive = (trailStack.provider.aws as TfJson[]).find((p) => p.alias === "log_archive")!;
  expect(logArchive.assume_role[0].role_arn).toMatch(/:role\/\$\{var\.landing_zone_role_name\}$/);
  expect(out.resource("log-archive", "aws_kms_alias").name).toBe("alias/lz-cloudtrail");
});

test("the trail key policy is AWS's: CloudTrail encrypts only with its encryption context, for this trail", () => {
  const key = out.resource("log-archive", "aws_kms_key");
  const statements = JSON.parse(key.policy).Statement as TfJson[];
  expect(statements.find((s) => s.Sid === "TrailEncrypts")).toEqual({
    Sid: "TrailEncrypts",
    Effect: "Allow",
    Principal: { Service: "cloudtrail.amazonaws.com" },
    Action: "kms:GenerateDataKey*",
    Resource: "*",
    Condition: {
      StringEquals: {
        "aws:SourceArn": "arn:aws:cloudtrail:eu-west-1:111111111111:trail/organization-trail",
      },
      StringLike: {
        "kms:EncryptionContext:aws:cloudtrail:arn": "arn:aws:cloudtrail:*:111111111111:trail/*",
      },
    },
  });
});

test("trail files under 128 KB are archived too: the lifecycle says so explicitly", () => {
  const lifecycle = out.resource("log-archive", "aws_s3_bucket_lifecycle_configuration");
  expect(lifecycle.transition_default_minimum_object_size).toBe("varies_by_storage_class");
  expect(lifecycle.rule[0].transition).toEqual([{ days: 90, storage_class: "GLACIER" }]);
});

test("each function stops the plan when the account's real Lambda quota cannot hold its reservation", () => {
  const id = "team-payments-prod";
  const stack = out.stack(id);
  const [quotaName, quota] = Object.entries(
    stack.data.aws_servicequotas_service_quota as TfJson,
  )[0];
  expect(quota).toMatchObject({ service_code: "lambda", quota_code: "L-B99A9384" });
  expect(stack.locals.lambda_concurrency_quota).toBe(
    `\${data.aws_servicequotas_service_quota.${quotaName}.value}`,
  );
  const functions = Object.values(out.resources(id, "aws_lambda_function"));
  expect(functions).toHaveLength(2);
  const reserved = functions.reduce((n, f) => n + f.reserved_concurrent_executions, 0);
  expect(reserved).toBe(160); // 40 + 120
  for (const f of functions) {
    expect(f.lifecycle.precondition).toEqual([
      {
        condition: "${local.lambda_concurrency_quota >= 260}",
        error_message: expect.stringContaining(
          "team-payments-prod: this account's Lambda concurrent executions quota is ${local.lambda_concurrency_quota}, but the blueprint reserves 160 and AWS keeps 100 unreserved, so it needs at least 260.",
        ),
      },
    ]);
  }
});

test("a stack that requests a Lambda quota increase names the request to file first", () => {
  withEdited(
    "teams/payments.yaml",
    (t) =>
      t.replace(
        "  dev:\n    serverless-api:",
        "  dev:\n    quotas: { lambdaConcurrentExecutions: 2000 }\n    serverless-api:",
      ),
    (dir) => {
      const variant = synthAccounts(dir, "team-payments-dev");
      const fn = Object.values(variant.resources("team-payments-dev", "aws_lambda_function"))[0];
      const request = Object.keys(
        variant.resources("team-payments-dev", "aws_servicequotas_service_quota"),
      );
      expect(request).toHaveLength(1);
      expect(fn.lifecycle.precondition[0].error_message).toContain(
        `terraform apply -target=aws_servicequotas_service_quota.${request[0]}`,
      );
    },
  );
});

test("an organization over the AWS account quota is refused with the fix", () => {
  withEdited(
    "organization.yaml",
    (t) => t.replace(/ {2}organizationAccounts: 20\n/, ""),
    (dir) => {
      expect(() => loadLandingZone({ accountsDir: dir, cwd: REPO })).toThrow(ConfigError);
      expect(() => loadLandingZone({ accountsDir: dir, cwd: REPO })).toThrow(
        'organization.yaml: quotas.organizationAccounts: the configuration has 13 accounts (management, core and team accounts, suspended and closed included) but the organization may hold 10; request an increase of the AWS Organizations quota "Default maximum number of accounts" to at least 13, then declare it here (got 10)',
      );
    },
  );
});

test("adopting an organization keeps the trusted access and policy types it already uses", () => {
  withEdited(
    "organization.yaml",
    (t) =>
      t.replace(
        "# existingOrganization:",
        "existingOrganization:\n  organizationId: o-a1b2c3d4e5\n# ",
      ),
    (dir) => {
      const adopted = synthAccounts(dir, "organization");
      const org = adopted.resource("organization", "aws_organizations_organization");
      const [name] = Object.keys(adopted.stack("organization").data.aws_organizations_organization);
      const current = `data.aws_organizations_organization.${name}`;
      expect(org.aws_service_access_principals).toBe(
        `\${sort(setunion(${current}.aws_service_access_principals, ["access-analyzer.amazonaws.com","cloudtrail.amazonaws.com","config-multiaccountsetup.amazonaws.com","config.amazonaws.com","guardduty.amazonaws.com","iam.amazonaws.com","inspector2.amazonaws.com","member.org.stacksets.cloudformation.amazonaws.com","securityhub.amazonaws.com","servicequotas.amazonaws.com","sso.amazonaws.com","tagpolicies.tag.amazonaws.com"]))}`,
      );
      expect(org.enabled_policy_types).toBe(
        `\${sort(setunion([for t in ${current}.roots[0].policy_types : t.type if t.status == "ENABLED"], ["AISERVICES_OPT_OUT_POLICY","DECLARATIVE_POLICY_EC2","RESOURCE_CONTROL_POLICY","SERVICE_CONTROL_POLICY","TAG_POLICY"]))}`,
      );
      expect(adopted.stack("organization").import).toContainEqual({
        id: "o-a1b2c3d4e5",
        to: expect.stringMatching(/^aws_organizations_organization\./),
      });
    },
  );
  // A new organization states both lists in full.
  const created = out.resource("organization", "aws_organizations_organization");
  expect(created.enabled_policy_types).toEqual([
    "AISERVICES_OPT_OUT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "RESOURCE_CONTROL_POLICY",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
  ]);
});

test("a stage canary is refused: it could only split traffic to the stage's own deployment", () => {
  withEdited(
    "teams/payments.yaml",
    (t) => t.replace("    authorization: iam\n", "    authorization: iam\n    canaryPercent: 10\n"),
    (dir) => {
      expect(() => loadLandingZone({ accountsDir: dir, cwd: REPO })).toThrow(
        /teams\/payments\.yaml: serverless-api\.api\.canaryPercent: unknown field/,
      );
    },
  );
});

test("a guardrail waiver may name the organization-trail stack", () => {
  withEdited(
    "organization.yaml",
    (t) =>
      t.replace(
        "\ncloudTrail:",
        "\nguardrails:\n  waivers:\n    - { rule: tls-only, resource: organization-trail/trail, reason: Reviewed exception for this test }\ncloudTrail:",
      ),
    (dir) => {
      const lz = loadLandingZone({ accountsDir: dir, cwd: REPO });
      expect(lz.org.guardrails.waivers.map((w) => w.resource)).toEqual([
        "organization-trail/trail",
      ]);
    },
  );
});

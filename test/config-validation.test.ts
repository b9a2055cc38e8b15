// Each cross-file validation rule, with a failing configuration and the exact message a user sees.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { REPO, copyExampleAccounts, removeDir, writeFiles, EXAMPLE_ACCOUNTS } from "./helpers";

let dir: string;
beforeEach(() => {
  dir = copyExampleAccounts();
});
afterEach(() => removeDir(dir));

function problems(): string[] {
  try {
    loadLandingZone({ accountsDir: dir, cwd: dir });
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split("\n");
    throw e;
  }
  throw new Error("expected the configuration to be rejected");
}

function edit(rel: string, from: string | RegExp, to: string): void {
  const path = join(dir, rel);
  const text = readFileSync(path, "utf8");
  const next = text.replace(from, to);
  if (next === text) throw new Error(`test setup: ${String(from)} not found in ${rel}`);
  writeFileSync(path, next);
}

const team = (name: string, envBody: string) => `name: ${name}
owners:
  - name: Someone
    email: someone@acme.example
costCenter: CC-1
environments:
${envBody}`;
const dev = (extra = "") => `  dev:
${extra}    traffic:
      sync: { requestsPerSecond: 1, averageDurationMs: 50, p99DurationMs: 100 }
`;

test("the example configuration is valid", () => {
  const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
  expect(lz.teams.map((t) => t.name)).toEqual([
    "catalog",
    "notifications",
    "payments",
    "reporting",
  ]);
});

test("the same email in two team files names both files and the field", () => {
  writeFiles(dir, {
    "teams/alpha.yaml": team("alpha", dev("    email: shared@acme.example\n")),
    "teams/beta.yaml": team("beta", dev("    email: Shared@ACME.example\n")),
  });
  expect(problems()).toEqual([
    'teams/beta.yaml: environments.dev.email: email is already used by teams/alpha.yaml: environments.dev.email (emails are compared case-insensitively) (got "Shared@ACME.example")',
  ]);
});

test("a team email that collides with a core account is rejected", () => {
  writeFiles(dir, {
    "teams/alpha.yaml": team("alpha", dev("    email: AWS-SECURITY@acme.example\n")),
  });
  expect(problems()).toEqual([
    'teams/alpha.yaml: environments.dev.email: email is already used by organization.yaml: coreAccounts.security.email (emails are compared case-insensitively) (got "AWS-SECURITY@acme.example")',
  ]);
});

test("a malformed email is rejected with the field path", () => {
  edit("teams/payments.yaml", "dana.whitfield@acme.example", "dana.whitfield@@acme");
  expect(problems()).toEqual([
    'teams/payments.yaml: owners[0].email: must be an email address like name@example.com (got "dana.whitfield@@acme")',
  ]);
});

test("unknown OUs are rejected wherever they are referenced", () => {
  writeFiles(dir, { "teams/alpha.yaml": team("alpha", dev("    ou: Workloads/Staging\n")) });
  edit("organization.yaml", "ou: Infrastructure", "ou: Infra");
  expect(problems()).toEqual([
    'organization.yaml: coreAccounts.observability.ou: unknown OU; known OUs: Security, Infrastructure, Workloads, Workloads/Prod, Workloads/NonProd, Sandbox, Suspended (got "Infra")',
    'teams/alpha.yaml: environments.dev.ou: unknown OU; known OUs: Security, Infrastructure, Workloads, Workloads/Prod, Workloads/NonProd, Sandbox, Suspended (got "Workloads/Staging")',
  ]);
});

test("regions must be in the allowed list", () => {
  writeFiles(dir, { "teams/alpha.yaml": team("alpha", dev("    region: ap-south-1\n")) });
  edit("organization.yaml", "homeRegion: eu-west-1", "homeRegion: us-west-2");
  expect(problems()).toEqual([
    'organization.yaml: homeRegion: must be one of allowedRegions (eu-west-1, eu-central-1, us-east-1) (got "us-west-2")',
    'teams/alpha.yaml: environments.dev.region: must be one of the organization\'s allowedRegions (eu-west-1, eu-central-1, us-east-1) (got "ap-south-1")',
  ]);
});

test("environments must be defined by the organization", () => {
  writeFiles(dir, { "teams/alpha.yaml": team("alpha", dev().replace("dev:", "qa:")) });
  expect(problems()).toEqual([
    'teams/alpha.yaml: environments.qa: unknown environment; the organization defines: dev, staging, prod (got "qa")',
  ]);
});

test("a team's name must match its file, and stack ids must be unique", () => {
  edit(
    "organization.yaml",
    "  prod:\n    ou: Workloads/Prod",
    "  b-dev:\n    ou: Workloads/NonProd\n  prod:\n    ou: Workloads/Prod",
  );
  writeFiles(dir, {
    "teams/a-b.yaml": team("a-b", dev()),
    "teams/a.yaml": team("a", dev().replace("dev:", "b-dev:")),
    "teams/misnamed.yaml": team("other", dev()),
  });
  expect(problems()).toEqual([
    'teams/a-b.yaml: environments.dev: stack id team-a-b-dev is already produced by teams/a.yaml (got "team-a-b-dev")',
    'teams/misnamed.yaml: name: must match the file name (accounts/teams/other.yaml) (got "other")',
  ]);
});

test("an SCP over 5,120 characters, invalid JSON, and too many SCPs on one target are all reported", () => {
  const big = {
    Version: "2012-10-17",
    Statement: Array.from({ length: 60 }, (_, i) => ({
      Sid: `DenyService${i}`,
      Effect: "Deny",
      Action: [`service${i}:DeleteSomethingImportant`],
      Resource: "*",
      Condition: {
        ArnNotLike: { "aws:PrincipalArn": "arn:aws:iam::*:role/OrganizationAccountAccessRole" },
      },
    })),
  };
  writeFiles(dir, {
    "policies/big.json": JSON.stringify(big, null, 2),
    "policies/broken.json": "{ not json",
  });
  edit(
    "organization.yaml",
    "\n# The data perimeter",
    `    - name: big
      file: policies/big.json
      targets: [Root]
    - name: broken
      file: policies/broken.json
      targets: [Root]
    - name: deny-all-root
      builtin: deny-all
      targets: [Root]

# The data perimeter`,
  );
  const minified = JSON.stringify(big).length;
  expect(minified).toBeGreaterThan(5120);
  const got = problems();
  expect(got).toContain(
    `policies/big.json: (document): policy is ${minified} characters minified; AWS allows 5120`,
  );
  expect(
    got.find((l) => l.startsWith("policies/broken.json: (document): not valid JSON")),
  ).toBeDefined();
  expect(got).toContain(
    "organization.yaml: serviceControlPolicies.policies: Root would have 6 SCPs attached (deny-outside-allowed-regions, protect-landing-zone, big, broken, deny-all-root and FullAWSAccess); the limit is 5. Merge policies or attach some to a parent OU; if AWS has raised your organization's quota of SCPs per root, OU or account (Service Quotas, AWS Organizations), set serviceControlPolicies.maxPerTarget to it",
  );
  // A deny-all anywhere but the Suspended OU would lock the landing zone out as well.
  expect(got).toContain(
    "organization.yaml: serviceControlPolicies.policies[9].Statement[0]: a Deny must spare the platform role, or the landing zone can lock itself out: add Condition ArnNotLike aws:PrincipalArn arn:aws:iam::*:role/OrganizationAccountAccessRole (only a policy attached solely to the Suspended OU or OUs below it may deny it, above suspended or closed accounts only)",
  );
  expect(got).toHaveLength(4);
});

test("schema errors name the field, say what is allowed and show what was given", () => {
  edit("teams/catalog.yaml", "requestsPerSecond: 20,", "requestsPerSecond: -3,");
  edit("teams/catalog.yaml", "costCenter: CC-3110", "costCentre: CC-3110");
  edit("teams/notifications.yaml", "memoryMb: 256", "memoryMb: lots");
  expect(problems()).toEqual([
    "teams/catalog.yaml: costCenter: required field is missing (expected string)",
    "teams/catalog.yaml: environments.dev.serverless-api.traffic.sync.requestsPerSecond: Too small: expected number to be >0 (got -3)",
    "teams/catalog.yaml: costCentre: unknown field; check its spelling against the schema in schemas/",
    'teams/notifications.yaml: serverless-api.functions.worker.memoryMb: Invalid input: expected number, received string (got "lots")',
  ]);
});

test("a team-level value wrong in every environment is one problem, at the field that sets it", () => {
  // payments prod overrides functions.api.provisionedConcurrency only: the timeout is the team's.
  edit("teams/payments.yaml", "      timeoutSeconds: 10\n", "      timeoutSeconds: 40\n");
  expect(problems()).toEqual([
    "teams/payments.yaml: serverless-api.functions.api.timeoutSeconds: the API function answers API Gateway, which waits at most 29 s; move long work to the async path (got 40)",
  ]);
});

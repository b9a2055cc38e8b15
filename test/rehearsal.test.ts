// The rehearsal's override files: what `npm run rehearse` changes in a stack before Terraform applies
// it against the emulator. Every stub is declared with a reason, exactly the declared gaps are
// stubbed, and a reference the rehearsal cannot stub cleanly stops it instead of passing silently.
import { join } from "node:path";
import {
  readGaps,
  rehearsalOverride,
  type EmulatorGaps,
  type StackJson,
} from "../cli/rehearsal/overrides";
import { adoptionSubset } from "../cli/rehearse";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { buildCli } from "./cli";
import { REPO, synthAccounts, type Synthesized, type TfJson, EXAMPLE_ACCOUNTS } from "./helpers";

const gaps = readGaps(join(REPO, "rehearsal", "emulator-gaps.yaml"));
const options = {
  endpoint: "http://127.0.0.1:4566",
  platformRoleName: "OrganizationAccountAccessRole",
  providerVersion: "5.100.0",
};
let out: Synthesized;
beforeAll(() => {
  out = synthAccounts(undefined, "observability,team-payments-prod");
});

test("every declared gap says why", () => {
  const reasons = [
    ...Object.values(gaps.resources),
    ...Object.values(gaps.data),
    ...Object.values(gaps.arguments),
    ...Object.values(gaps.readBack),
    ...Object.values(gaps.locals).map((l) => l.reason),
    ...Object.values(gaps.placeholders).map((p) => p.reason),
    ...Object.values(gaps.values).map((v) => v.reason),
  ];
  const sections = [gaps.resources, gaps.data, gaps.arguments, gaps.readBack, gaps.locals];
  for (const section of [...sections, gaps.placeholders, gaps.values]) {
    expect(Object.keys(section).length).toBeGreaterThan(0);
  }
  for (const r of reasons) expect(r.length).toBeGreaterThan(20);
});

describe("team-payments-prod", () => {
  let json: TfJson;
  let stubbed: string[];
  let data: string[];
  beforeAll(() => {
    const o = rehearsalOverride(out.stack("team-payments-prod") as StackJson, gaps, options);
    json = o.json as TfJson;
    stubbed = o.stubbedResources;
    data = o.stubbedData;
  });

  test("every provider reaches the emulator; one with its own credentials assumes the role", () => {
    const providers = json.provider.aws as TfJson[];
    expect(providers.map((p) => p.alias ?? "aws").sort()).toEqual([
      "aws",
      "eu_central_1",
      "management",
      "observability",
      "us_east_1",
    ]);
    for (const p of providers) {
      expect(p.endpoints[0].organizations).toBe(options.endpoint);
      expect(p.endpoints[0].lambda).toBe(options.endpoint);
      // The findings rules and Inspector of the security stack would otherwise reach real AWS.
      expect(p.endpoints[0].events).toBe(options.endpoint);
      expect(p.endpoints[0].inspector2).toBe(options.endpoint);
    }
    expect(providers.find((p) => p.alias === "management")!.assume_role).toEqual([
      {
        role_arn: "arn:aws:iam::111111111111:role/OrganizationAccountAccessRole",
        session_name: "landing-zone-rehearsal",
      },
    ]);
    expect(json.terraform.required_providers.aws.version).toBe("5.100.0");
  });

  test("exactly the declared gaps are stubbed, with count = 0", () => {
    expect(stubbed.map((a) => a.split(".")[0]).sort()).toEqual([
      "aws_budgets_budget",
      "aws_lambda_provisioned_concurrency_config",
      "aws_oam_link",
      "aws_s3_account_public_access_block",
    ]);
    expect(data.map((a) => a.split(".")[1]).sort()).toEqual([
      "aws_oam_sinks",
      "aws_servicequotas_service_quota",
    ]);
    for (const address of stubbed) {
      const [type, name] = address.split(".");
      expect(json.resource[type][name].count).toBe(0);
    }
    const link = Object.values(json.resource.aws_oam_link as TfJson)[0];
    expect(link.sink_identifier).toMatch(/^rehearsal-stub:aws_oam_link\./);
    expect(json.locals).toEqual({ lambda_concurrency_quota: 1000 });
  });

  test("read-back gaps keep the argument and ignore only the emulator's answer", () => {
    const [name] = Object.keys(out.resources("team-payments-prod", "aws_sqs_queue")).filter(
      (n) => out.resources("team-payments-prod", "aws_sqs_queue")[n].redrive_policy,
    );
    expect(json.resource.aws_sqs_queue[name]).toEqual({
      lifecycle: { ignore_changes: ["redrive_policy"] },
    });
  });
});

test("the observability stack's sinks and sink policies are stubbed together", () => {
  const o = rehearsalOverride(out.stack("observability") as StackJson, gaps, options);
  expect(o.stubbedResources.filter((a) => a.startsWith("aws_oam_sink.")).length).toBe(3);
  expect(o.stubbedResources.filter((a) => a.startsWith("aws_oam_sink_policy.")).length).toBe(3);
  for (const policy of Object.values((o.json as TfJson).resource.aws_oam_sink_policy as TfJson)) {
    expect(policy.sink_identifier).toMatch(/^rehearsal-stub:/);
  }
});

test("a gap keyed on an argument's value stubs only the resources with that value", () => {
  const stack: StackJson = {
    resource: {
      aws_organizations_delegated_administrator: {
        config: { account_id: "1", service_principal: "config.amazonaws.com" },
        analyzer: { account_id: "1", service_principal: "access-analyzer.amazonaws.com" },
      },
    },
  };
  const o = rehearsalOverride(stack, gaps, options);
  expect(o.stubbedResources).toEqual(["aws_organizations_delegated_administrator.config"]);
  expect((o.json as TfJson).resource.aws_organizations_delegated_administrator).toEqual({
    config: { count: 0 },
  });
});

test("the organization: only the values moto refuses are left out of its lists, the declarative policy and its attachment are stubbed", () => {
  const org = synthAccounts(undefined, "organization");
  const o = rehearsalOverride(org.stack("organization") as StackJson, gaps, options);
  const [name] = Object.keys(org.resources("organization", "aws_organizations_organization"));
  const written = org.resource("organization", "aws_organizations_organization");
  const overridden = (o.json as TfJson).resource.aws_organizations_organization[name];
  expect(overridden.aws_service_access_principals).toEqual(
    written.aws_service_access_principals.filter((p: string) => p !== "iam.amazonaws.com"),
  );
  expect(overridden.enabled_policy_types).toEqual([
    "AISERVICES_OPT_OUT_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "SERVICE_CONTROL_POLICY",
    "TAG_POLICY",
  ]);
  expect(o.leftOutValues).toEqual([
    `aws_organizations_organization.${name}.aws_service_access_principals[iam.amazonaws.com]`,
    `aws_organizations_organization.${name}.enabled_policy_types[DECLARATIVE_POLICY_EC2]`,
  ]);
  expect(o.stubbedResources.map((a) => a.split(".")[0]).sort()).toEqual([
    "aws_iam_organizations_features",
    "aws_organizations_delegated_administrator",
    "aws_organizations_policy",
    "aws_organizations_policy_attachment",
  ]);
  expect(o.stubbedResources.filter((a) => a.includes("declarative"))).toHaveLength(2);
});

test("an adopted organization's merged list is an expression: the refused values are subtracted from it", () => {
  const merged =
    '${sort(setunion(data.aws_organizations_organization.x.aws_service_access_principals, ["iam.amazonaws.com","sso.amazonaws.com"]))}';
  const stack: StackJson = {
    resource: {
      aws_organizations_organization: { org: { aws_service_access_principals: merged } },
    },
  };
  const o = rehearsalOverride(stack, gaps, options);
  expect((o.json as TfJson).resource.aws_organizations_organization.org).toEqual({
    aws_service_access_principals: `\${setsubtract(${merged.slice(2, -1)}, ["iam.amazonaws.com"])}`,
  });
});

test("a stub's argument gets its declared placeholder where the provider checks a shape other than an ARN's", () => {
  const stack: StackJson = {
    resource: {
      aws_securityhub_configuration_policy: { policy: { name: "lz-organization" } },
      aws_securityhub_configuration_policy_association: {
        root: {
          policy_id: "${aws_securityhub_configuration_policy.policy.id}",
          target_id: "r-ab12",
        },
      },
    },
  };
  const o = rehearsalOverride(stack, gaps, options);
  expect((o.json as TfJson).resource.aws_securityhub_configuration_policy_association).toEqual({
    root: { count: 0, policy_id: "00000000-0000-4000-8000-000000000000" },
  });
});

test("a real resource that refers to a stub stops the rehearsal, naming it", () => {
  const stack: StackJson = {
    provider: { aws: [{ region: "eu-west-1" }] },
    resource: {
      aws_oam_link: { link: { sink_identifier: "x" } },
      aws_ssm_parameter: { p: { name: "p", value: "${aws_oam_link.link.arn}" } },
    },
  };
  expect(() => rehearsalOverride(stack, gaps, options)).toThrow(
    /aws_ssm_parameter\.p refers to a stubbed resource or data source/,
  );
});

test("an address inside a message is text, not a reference", () => {
  const g: EmulatorGaps = { ...gaps };
  const stack: StackJson = {
    resource: {
      aws_servicequotas_service_quota: { q: { value: 10 } },
      aws_lambda_function: {
        f: {
          lifecycle: {
            precondition: [
              {
                condition: "${true}",
                error_message: "apply -target=aws_servicequotas_service_quota.q first",
              },
            ],
          },
        },
      },
    },
  };
  expect(rehearsalOverride(stack, g, options).stubbedResources).toEqual([
    "aws_servicequotas_service_quota.q",
  ]);
});

test("adoption rehearses the core stacks and one production team stack; --stacks overrides", () => {
  const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
  const plans = planStacks(lz);
  const ids = (kind: "adoption" | "greenfield", selector?: string) =>
    adoptionSubset(kind, lz, plans, selector).map((p) => p.id);
  expect(ids("adoption")).toEqual([
    "organization",
    "log-archive",
    "organization-trail",
    "security",
    "observability",
    "access",
    "team-catalog-prod",
    "access-catalog",
  ]);
  expect(ids("greenfield")).toEqual(plans.map((p) => p.id));
  expect(ids("adoption", "team-*")).toEqual(plans.map((p) => p.id));
});

test("a --stacks that matches nothing is a usage error before anything is installed", () => {
  const cli = buildCli("rehearse");
  try {
    const r = cli.run("cli/rehearse.js", ["--config", EXAMPLE_ACCOUNTS, "--stacks", "team-nope-*"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(
      /^--stacks: no stack matches team-nope-\*; stacks are: organization, /,
    );
    expect(r.stdout).toBe("");
  } finally {
    cli.cleanup();
  }
});

test("Identity Center: groups and the instance lookup run for real, permission sets and assignments are declared gaps", () => {
  const access = synthAccounts(undefined, "access-payments");
  const o = rehearsalOverride(access.stack("access-payments") as StackJson, gaps, options);
  const json = o.json as TfJson;
  expect(new Set(o.stubbedResources.map((a) => a.split(".")[0]))).toEqual(
    new Set(["aws_ssoadmin_account_assignment"]),
  );
  expect(new Set(o.stubbedData.map((a) => a.split(".")[1]))).toEqual(
    new Set(["aws_ssoadmin_permission_set"]),
  );
  expect(json.resource.aws_identitystore_group).toBeUndefined();
  expect(json.data.aws_identitystore_group).toBeUndefined();
  // The provider checks an ARN's shape even under count = 0: the placeholder is ARN-shaped.
  for (const a of Object.values(json.resource.aws_ssoadmin_account_assignment as TfJson)) {
    expect(a.count).toBe(0);
    expect(a.permission_set_arn).toMatch(
      /^arn:aws:rehearsal:::stub\/aws_ssoadmin_account_assignment\./,
    );
  }
});

// The security baseline as the example organization synthesizes it: who administers which service,
// in which regions, what every account records, and where high-severity findings go.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  copyExampleAccounts,
  removeDir,
  synthAccounts,
  type Synthesized,
  type TfJson,
  EXAMPLE_ACCOUNTS,
} from "./helpers";

const REGIONS = ["eu-central-1", "eu-west-1", "us-east-1"];
const MANAGEMENT_ALIASES = ["management", "management_eu_central_1", "management_us_east_1"];
let out: Synthesized;
beforeAll(() => {
  out = synthAccounts(EXAMPLE_ACCOUNTS);
});

const values = (id: string, type: string) => Object.values(out.resources(id, type));
const providerAlias = (p: string | undefined) => (p ? p.replace(/^aws\./, "") : "aws");

test("the organization trusts the security services and delegates Config and Access Analyzer, never destroyed", () => {
  const org = out.resource("organization", "aws_organizations_organization");
  for (const p of [
    "access-analyzer.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
    "guardduty.amazonaws.com",
    "securityhub.amazonaws.com",
  ]) {
    expect(org.aws_service_access_principals).toContain(p);
  }
  // Not needed by a serverless workload, and moto refuses it.
  expect(org.aws_service_access_principals).not.toContain(
    "malware-protection.guardduty.amazonaws.com",
  );
  const delegations = values("organization", "aws_organizations_delegated_administrator");
  expect(delegations.map((d) => d.service_principal).sort()).toEqual([
    "access-analyzer.amazonaws.com",
    "config-multiaccountsetup.amazonaws.com",
    "config.amazonaws.com",
  ]);
  const securityAccount = Object.keys(
    out.resources("organization", "aws_organizations_account"),
  ).find((k) => k.includes("account-security"));
  for (const d of delegations) {
    expect(d.account_id).toBe(`\${aws_organizations_account.${securityAccount}.id}`);
    expect(d.lifecycle).toEqual({ prevent_destroy: true });
    expect(d.depends_on).toEqual([expect.stringMatching(/^aws_organizations_organization\./)]);
  }
});

describe("security stack", () => {
  test("GuardDuty in every allowed region: own detector with S3 and Lambda protection, then the designation from the management account, then every member", () => {
    const detectors = out.resources("security", "aws_guardduty_detector");
    expect(Object.keys(detectors)).toHaveLength(3);
    const admins = values("security", "aws_guardduty_organization_admin_account");
    expect(admins.map((a) => providerAlias(a.provider)).sort()).toEqual(MANAGEMENT_ALIASES);
    for (const a of admins) {
      expect(a.admin_account_id).toBe("${local.account_id_security}");
      expect(a.depends_on).toEqual([expect.stringMatching(/^aws_guardduty_detector\./)]);
      expect(a.lifecycle).toEqual({ prevent_destroy: true });
    }
    for (const c of values("security", "aws_guardduty_organization_configuration")) {
      expect(c.auto_enable_organization_members).toBe("ALL");
    }
    const features = values("security", "aws_guardduty_organization_configuration_feature");
    expect(features.map((f) => `${f.name}:${f.auto_enable}`).sort()).toEqual(
      REGIONS.flatMap(() => ["LAMBDA_NETWORK_LOGS:ALL", "S3_DATA_EVENTS:ALL"]).sort(),
    );
    // Runtime Monitoring covers EC2, ECS and EKS, not Lambda: left off.
    expect(JSON.stringify(out.stack("security"))).not.toContain("RUNTIME_MONITORING");
  });

  test("Security Hub by central configuration from the home region: aggregator over the other regions, CENTRAL, FSBP policy on the root", () => {
    const home = "eu-west-1";
    expect(out.lz.org.homeRegion).toBe(home);
    const linked = REGIONS.filter((r) => r !== home);
    const onlyHome = (type: string) => {
      const all = values("security", type);
      expect(all).toHaveLength(1);
      // The stack's default provider is the security account in the home region.
      expect(all[0].provider).toBeUndefined();
      return all[0];
    };
    const hub = onlyHome("aws_securityhub_account");
    expect(hub).toMatchObject({
      enable_default_standards: false,
      control_finding_generator: "SECURITY_CONTROL",
    });
    const admins = values("security", "aws_securityhub_organization_admin_account");
    expect(admins).toHaveLength(1);
    expect(admins[0]).toMatchObject({
      provider: "aws.management",
      admin_account_id: "${local.account_id_security}",
      depends_on: [expect.stringMatching(/^aws_securityhub_account\./)],
      lifecycle: { prevent_destroy: true },
    });
    const aggregator = onlyHome("aws_securityhub_finding_aggregator");
    expect(aggregator).toMatchObject({ linking_mode: "SPECIFIED_REGIONS" });
    expect([...aggregator.specified_regions].sort()).toEqual(linked);
    const org = onlyHome("aws_securityhub_organization_configuration");
    expect(org).toMatchObject({
      auto_enable: false,
      auto_enable_standards: "NONE",
      organization_configuration: { configuration_type: "CENTRAL" },
    });
    expect([...org.depends_on].sort()).toEqual([
      expect.stringMatching(/^aws_securityhub_finding_aggregator\./),
      expect.stringMatching(/^aws_securityhub_organization_admin_account\./),
    ]);
    const policy = onlyHome("aws_securityhub_configuration_policy");
    expect(policy.configuration_policy).toEqual({
      service_enabled: true,
      enabled_standard_arns: [
        `arn:aws:securityhub:${home}::standards/aws-foundational-security-best-practices/v/1.0.0`,
      ],
      security_controls_configuration: { disabled_control_identifiers: [] },
    });
    expect(policy.depends_on).toEqual([
      expect.stringMatching(/^aws_securityhub_organization_configuration\./),
    ]);
    const association = onlyHome("aws_securityhub_configuration_policy_association");
    const policyKey = Object.keys(
      out.resources("security", "aws_securityhub_configuration_policy"),
    )[0];
    expect(association.policy_id).toBe(`\${aws_securityhub_configuration_policy.${policyKey}.id}`);
    // The root as the management account reads it: every account, existing and future, inherits.
    expect(association.target_id).toBe(
      "${data.aws_organizations_organization.organization.roots[0].id}",
    );
    expect(out.stack("security").data.aws_organizations_organization.organization.provider).toBe(
      "aws.management",
    );
    // The policy chooses the standards: no subscription of the administrator's own.
    expect(out.resources("security", "aws_securityhub_standards_subscription")).toEqual({});
  });

  test("the access analyzer is organization-wide, keeps its logical id in the home region, and exists in every region", () => {
    const analyzers = out.resources("security", "aws_accessanalyzer_analyzer");
    expect(analyzers["access-analyzer"]).toMatchObject({
      analyzer_name: "lz-organization-access",
      type: "ORGANIZATION",
    });
    const external = Object.values(analyzers).filter((a) => a.type === "ORGANIZATION");
    expect(external).toHaveLength(3);
    expect(external.every((a) => a.analyzer_name === "lz-organization-access")).toBe(true);
  });

  test("one unused-access analyzer for the organization, in the home region, with the configured age", () => {
    const unused = Object.values(out.resources("security", "aws_accessanalyzer_analyzer")).filter(
      (a) => a.type === "ORGANIZATION_UNUSED_ACCESS",
    );
    expect(unused).toEqual([
      expect.objectContaining({
        analyzer_name: "lz-organization-unused-access",
        configuration: { unused_access: { unused_access_age: 90 } },
      }),
    ]);
    expect(unused[0].provider).toBeUndefined();
  });

  test("Inspector: the security account administers it in every region, Lambda standard and code scanning for every account now and every account that joins", () => {
    const admins = values("security", "aws_inspector2_delegated_admin_account");
    expect(admins.map((a) => a.provider).sort()).toEqual([
      "aws.management",
      "aws.management_eu_central_1",
      "aws.management_us_east_1",
    ]);
    for (const a of admins) {
      expect(a.account_id).toBe("${local.account_id_security}");
      expect(a.lifecycle.prevent_destroy).toBe(true);
    }
    const configs = values("security", "aws_inspector2_organization_configuration");
    expect(configs).toHaveLength(3);
    for (const c of configs) {
      expect(c.auto_enable).toEqual({ ec2: false, ecr: false, lambda: true, lambda_code: true });
    }
    // The administrator in one enabler, the members in another (the provider refuses both in one),
    // in every region.
    const enablers = values("security", "aws_inspector2_enabler");
    expect(enablers).toHaveLength(6);
    for (const e of enablers) expect(e.resource_types).toEqual(["LAMBDA", "LAMBDA_CODE"]);
    const admin = enablers.filter((e) => e.account_ids[0] === "${local.account_id_security}");
    expect(admin.map((e) => e.account_ids)).toEqual([
      ["${local.account_id_security}"],
      ["${local.account_id_security}"],
      ["${local.account_id_security}"],
    ]);
    for (const e of enablers.filter((x) => !admin.includes(x))) {
      // The other 2 core and 9 team accounts: a recorded id as written, the others looked up by
      // email at plan time.
      expect(new Set(e.account_ids).size).toBe(11);
      expect(e.account_ids).not.toContain("${local.account_id_security}");
      expect(e.account_ids).toContain("210987654321");
      expect(e.account_ids).toContain("${local.account_id_team_payments_dev}");
      expect(e.depends_on).toEqual([
        expect.stringMatching(/^aws_inspector2_enabler\..*administrator/),
      ]);
    }
    // Inspector's trusted access is on, so its own registration is not undone by the next plan.
    expect(
      out.resource("organization", "aws_organizations_organization").aws_service_access_principals,
    ).toContain("inspector2.amazonaws.com");
  });

  test("one organization aggregator over every region, with AWS's organization role that Config may assume for this account only", () => {
    const aggregator = out.resource("security", "aws_config_configuration_aggregator");
    expect(aggregator.organization_aggregation_source.all_regions).toBe(true);
    // Besides the plan role's ReadOnlyAccess (test/plan-role.test.ts).
    expect(
      Object.values(out.resources("security", "aws_iam_role_policy_attachment"))
        .map((a) => a.policy_arn)
        .sort(),
    ).toEqual([
      "arn:aws:iam::aws:policy/ReadOnlyAccess",
      "arn:aws:iam::aws:policy/service-role/AWSConfigRoleForOrganizations",
    ]);
    const role = out.resources("security", "aws_iam_role");
    const trust = JSON.parse(
      Object.values(role).find((r) => r.name === "lz-config-aggregator")!.assume_role_policy,
    );
    expect(trust.Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Service: "config.amazonaws.com" },
        Action: "sts:AssumeRole",
        Condition: { StringEquals: { "aws:SourceAccount": "${local.account_id_security}" } },
      },
    ]);
  });

  test("high-severity GuardDuty, Inspector and Security Hub findings go to the critical topic once each, through a role", () => {
    const rules = out.resources("security", "aws_cloudwatch_event_rule");
    const targets = values("security", "aws_cloudwatch_event_target");
    // GuardDuty's rule in every region; Security Hub's only in its home region, where aggregation
    // brings the linked regions' findings too (a rule there as well would page twice).
    const sources = Object.values(rules).map((r) => JSON.parse(r.event_pattern).source[0]);
    expect(sources.filter((s) => s === "aws.guardduty")).toHaveLength(3);
    expect(sources.filter((s) => s === "aws.inspector2")).toHaveLength(3);
    expect(
      Object.entries(rules)
        .filter(([, r]) => JSON.parse(r.event_pattern).source[0] === "aws.securityhub")
        .map(([key, r]) => [REGIONS.find((region) => key.includes(region)), r.provider]),
    ).toEqual([["eu-west-1", undefined]]);
    expect(targets).toHaveLength(7);
    for (const [key, rule] of Object.entries(rules)) {
      const pattern = JSON.parse(rule.event_pattern);
      if (pattern.source[0] === "aws.guardduty") {
        expect(pattern.detail.severity).toEqual([{ numeric: [">=", 7] }]);
      } else if (pattern.source[0] === "aws.inspector2") {
        expect(pattern["detail-type"]).toEqual(["Inspector2 Finding"]);
        expect(pattern.detail).toEqual({ severity: ["HIGH", "CRITICAL"], status: ["ACTIVE"] });
      } else {
        expect(pattern.detail.findings.Severity.Label).toEqual(["HIGH", "CRITICAL"]);
        // GuardDuty's and Inspector's findings reach Security Hub too; they page through their own
        // rules.
        expect(pattern.detail.findings.ProductName).toEqual([
          { "anything-but": ["GuardDuty", "Inspector"] },
        ]);
        // Control findings (Security Hub's compliance checks) carry a Compliance.Status and are
        // re-imported at every evaluation: they stay in Security Hub and never page.
        expect(pattern.detail.findings.Compliance).toEqual({ Status: [{ exists: false }] });
      }
      const target = targets.find((t) => t.rule === `\${aws_cloudwatch_event_rule.${key}.name}`)!;
      const region = REGIONS.find((r) => key.includes(r))!;
      expect(target.arn).toBe(
        `arn:aws:sns:${region}:\${local.account_id_observability}:lz-alarms-critical`,
      );
      expect(target.role_arn).toMatch(/^\$\{aws_iam_role\.findings_role_[\w-]+\.arn\}$/);
      expect(target.provider).toBe(rule.provider);
    }
    const policy = JSON.parse(
      Object.values(out.resources("security", "aws_iam_role_policy")).find(
        (p) => p.name !== "deny-data-reads",
      )!.policy,
    );
    expect([...policy.Statement[0].Resource].sort()).toEqual(
      REGIONS.map((r) => `arn:aws:sns:${r}:\${local.account_id_observability}:lz-alarms-critical`),
    );
  });
});

test("no member account enables GuardDuty or Security Hub itself: auto-enable and the configuration policy do", () => {
  for (const id of out.stackIds.filter((s) => s !== "security")) {
    const types = Object.keys(out.stack(id).resource ?? {});
    expect(types.filter((t) => /^aws_(guardduty|securityhub)_/.test(t))).toEqual([]);
  }
});

test("every account records AWS Config in every allowed region, global resources once, to the log archive bucket under config/", () => {
  // The management account's recorder is in organization-trail; organization and the access stacks
  // deploy to the same account and must not record a second time.
  const sameAccount = (s: string) =>
    s === "organization" || s === "access" || s.startsWith("access-");
  const accounts = out.stackIds.filter((s) => !sameAccount(s));
  expect(accounts).toContain("organization-trail");
  for (const id of out.stackIds.filter(sameAccount)) {
    expect(Object.keys(out.stack(id).resource ?? {})).not.toContain(
      "aws_config_configuration_recorder",
    );
  }
  for (const id of accounts) {
    const providers: TfJson[] = out.stack(id).provider.aws;
    const own = providers.find((p) => p.alias === undefined)!.region;
    const regionOf = (r: TfJson) =>
      r.provider === undefined
        ? own
        : providers.find((p) => `aws.${p.alias}` === r.provider)!.region;
    const byRegion = (type: string): Record<string, TfJson> =>
      Object.fromEntries(values(id, type).map((r) => [regionOf(r), r]));
    const recorders = byRegion("aws_config_configuration_recorder");
    expect(Object.keys(recorders).sort()).toEqual(REGIONS);
    for (const [region, recorder] of Object.entries(recorders)) {
      expect(recorder.recording_group).toEqual({
        all_supported: true,
        include_global_resource_types: region === own,
      });
      expect(recorder.role_arn).toMatch(/^\$\{aws_iam_service_linked_role\.[\w-]+\.arn\}$/);
    }
    const channels = byRegion("aws_config_delivery_channel");
    expect(Object.keys(channels).sort()).toEqual(REGIONS);
    for (const channel of Object.values(channels))
      expect(channel).toMatchObject({
        s3_bucket_name: out.lz.trailBucketName,
        s3_key_prefix: "config",
      });
    const statuses = byRegion("aws_config_configuration_recorder_status");
    expect(Object.keys(statuses).sort()).toEqual(REGIONS);
    for (const status of Object.values(statuses)) expect(status.is_enabled).toBe(true);
    expect(out.resource(id, "aws_iam_service_linked_role").aws_service_name).toBe(
      "config.amazonaws.com",
    );
  }
  // The log archive account writes to its own bucket: each channel waits for the bucket policy.
  for (const channel of values("log-archive", "aws_config_delivery_channel"))
    expect(channel.depends_on).toContainEqual(expect.stringMatching(/^aws_s3_bucket_policy\./));
});

test("the critical topic and its key admit only the security account's findings role", () => {
  for (const p of values("observability", "aws_sns_topic_policy")) {
    const statements: TfJson[] = JSON.parse(p.policy).Statement;
    const findings = statements.find((s) => s.Sid === "SecurityFindingsPublish");
    if (!p.arn.includes("topic-critical")) {
      expect(findings).toBeUndefined();
      continue;
    }
    expect(findings).toMatchObject({
      Principal: { AWS: "arn:aws:iam::${local.account_id_security}:root" },
      Action: "sns:Publish",
      Condition: {
        ArnEquals: {
          "aws:PrincipalArn":
            "arn:aws:iam::${local.account_id_security}:role/lz-security-findings-to-critical",
        },
      },
    });
  }
  for (const k of values("observability", "aws_kms_key")) {
    const st = JSON.parse(k.policy).Statement.find(
      (s: TfJson) => s.Sid === "SecurityFindingsEncrypt",
    );
    expect(st.Condition.StringEquals["kms:ViaService"]).toMatch(
      /^sns\.[a-z0-9-]+\.amazonaws\.com$/,
    );
  }
});

test("protect-landing-zone keeps everyone but the platform role from switching the security baseline off", () => {
  const [scp] = Object.values(out.resources("organization", "aws_organizations_policy")).filter(
    (p) => p.name === "protect-landing-zone",
  );
  const bySid = Object.fromEntries(
    (JSON.parse(scp.content).Statement as TfJson[]).map((s) => [s.Sid, s]),
  );
  expect(bySid.ProtectLandingZoneConfig.Action).toEqual(
    expect.arrayContaining(["config:StopConfigurationRecorder", "config:DeleteDeliveryChannel"]),
  );
  expect(bySid.ProtectLandingZoneSecurityServices.Action).toEqual(
    expect.arrayContaining(["guardduty:DeleteDetector", "securityhub:DisableSecurityHub"]),
  );
  // Exactly the rules the security stack names, in every account and region.
  expect(bySid.ProtectLandingZoneFindingsRules.Resource).toEqual(["arn:aws:events:*:*:rule/lz-*"]);
  for (const rule of values("security", "aws_cloudwatch_event_rule"))
    expect(rule.name).toMatch(/^lz-/);
  for (const sid of Object.keys(bySid).filter((s) => /Config|Security|Findings/.test(s)))
    expect(bySid[sid].Condition.ArnNotLike["aws:PrincipalArn"]).toEqual([
      "arn:aws:iam::*:role/OrganizationAccountAccessRole",
    ]);
});

test("an adopted account that already records with Config keeps its recorder; the landing zone adds none there", () => {
  const dir = copyExampleAccounts();
  try {
    const payments = join(dir, "teams/payments.yaml");
    writeFileSync(
      payments,
      readFileSync(payments, "utf8").replace(
        '    accountId: "210987654321"\n',
        '    accountId: "210987654321"\n    configRecorder: existing\n',
      ),
    );
    const adopted = synthAccounts(dir);
    const recorders = (id: string) =>
      Object.keys(adopted.resources(id, "aws_config_configuration_recorder")).length;
    expect(recorders("team-payments-prod")).toBe(0);
    expect(recorders("team-payments-dev")).toBe(3);
    // The organization aggregator still reads every account.
    expect(adopted.resource("security", "aws_config_configuration_aggregator")).toBeDefined();
  } finally {
    removeDir(dir);
  }
});

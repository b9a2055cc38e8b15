// The one schema of the landing zone's configuration: every field, its rule, its default and its
// description. The loader validates with it, the resolved model's types are its output types
// (config/model.ts), `npm run schema` writes the JSON Schema files editors read, and `npm run docs`
// writes docs/reference/configuration.md from it, so none of them can disagree.
import { z } from "zod";
import { GUARDRAIL_RULE_IDS } from "./guardrails";
import { LZ_PREFIX } from "./prefix";
import {
  EMAIL_PATTERN,
  accountEmail,
  accountId,
  accountStatus,
  configRecorder,
  environmentName,
  lowerName,
  ouPath,
  overridesOf,
  positiveInt,
  quotaValue,
  region,
  teamName,
} from "./schema/common";
import { alarmSettings, blueprintSettings, quotaDefaults, traffic } from "./schema/settings";
import {
  httpsEndpointProblem,
  iamRoleArn,
  kmsKeyReference,
  s3BucketName,
  tagKey,
  tagValue,
  trailName,
} from "./schema/aws-names";
import { accessSettings, teamAccess } from "./schema/access";
import {
  accountAliasOverride,
  accountAliases,
  alternateContacts,
  optInRegions,
} from "./schema/account-settings";
import { DEFAULT_BLUEPRINTS, registeredBlueprints, registryVersion } from "../blueprints";
import { budgetDefaults, environmentBudget, teamBudget } from "./schema/security";
import {
  aiServicesOptOut,
  centralizedRootAccess,
  ec2DeclarativePolicy,
  policyFile,
  policyTarget,
  resourceControlPolicies,
  securityServices,
} from "./schema/perimeter";

export { accountEmail, accountStatus, lowerName, region } from "./schema/common";
export { alarmSettings, blueprintSettings, quotaDefaults } from "./schema/settings";
export type { Overrides } from "./schema/common";

// ---------------------------------------------------------------------------------------------
// Organization file
// ---------------------------------------------------------------------------------------------

export interface OrganizationalUnitInput {
  name: string;
  children?: OrganizationalUnitInput[];
}

const organizationalUnit: z.ZodType<OrganizationalUnitInput> = z.lazy(() =>
  z.strictObject({
    name: z
      .string()
      .regex(
        /^[A-Za-z][A-Za-z0-9]{0,63}$/,
        "OU names are letters and digits, starting with a letter",
      )
      .describe("OU name; referenced elsewhere by its path from the root, e.g. Workloads/Prod"),
    children: z.array(organizationalUnit).optional().describe("Nested OUs (AWS allows 5 levels)"),
  }),
);

const coreAccount = (what: string) =>
  z
    .strictObject({
      name: z.string().min(1).max(50).describe("Account name shown in AWS Organizations"),
      email: accountEmail.describe("Root user email; globally unique and hard to change later"),
      ou: ouPath.describe("OU path the account is placed in"),
      accountId: accountId
        .optional()
        .describe(
          "The account id once the account exists (or to adopt an existing account with an import block)",
        ),
      configRecorder,
      accountAlias: accountAliasOverride.describe(
        "IAM account alias of this account; defaults to accountAliases.coreTemplate",
      ),
    })
    .describe(what);

const environmentDefinition = z.strictObject({
  ou: ouPath.describe("Default OU for team accounts of this environment"),
  production: z
    .boolean()
    .default(false)
    .describe("Production environments get deletion protection on state-bearing resources"),
  logRetentionDays: z
    .union([
      z.literal(1),
      z.literal(3),
      z.literal(5),
      z.literal(7),
      z.literal(14),
      z.literal(30),
      z.literal(60),
      z.literal(90),
      z.literal(120),
      z.literal(150),
      z.literal(180),
      z.literal(365),
      z.literal(400),
      z.literal(545),
      z.literal(731),
      z.literal(1096),
      z.literal(1827),
      z.literal(2192),
      z.literal(2557),
      z.literal(2922),
      z.literal(3288),
      z.literal(3653),
    ])
    .default(30)
    .describe("CloudWatch Logs retention for this environment (a value CloudWatch accepts)"),
});

const builtinPolicy = z.enum([
  "deny-leave-organization",
  "deny-root-user",
  "deny-outside-allowed-regions",
  "protect-landing-zone",
  "protect-log-archive",
  "protect-security-tooling",
  "protect-observability",
  "deny-all",
]);
export type BuiltinPolicy = z.infer<typeof builtinPolicy>;
export const BUILTIN_POLICIES = builtinPolicy.options;

const serviceControlPolicy = z
  .strictObject({
    name: lowerName("an SCP name", 128).describe("Policy name in AWS Organizations"),
    description: z
      .string()
      .max(512)
      .default("")
      .describe("Policy description in AWS Organizations"),
    builtin: builtinPolicy
      .optional()
      .describe("A policy the landing zone renders from this file (regions, platform role)"),
    file: policyFile.optional().describe("A policy document in a JSON file, relative to accounts/"),
    targets: z
      .array(policyTarget)
      .min(1)
      .describe("Where the policy attaches: Root, OU paths or account:<stack id>"),
  })
  .refine((p) => (p.builtin === undefined) !== (p.file === undefined), {
    message: "set exactly one of builtin or file",
  })
  .describe("One SCP: exactly one of builtin or file");

const subscriptions = (severity: string) =>
  z
    .array(
      z
        .strictObject({
          protocol: z.enum(["email", "https"]).describe("How SNS delivers"),
          endpoint: z
            .string()
            .min(3)
            .max(2048)
            .describe("An email address (protocol email) or an https:// URL (protocol https)"),
        })
        .superRefine((s, ctx) => {
          const problem =
            s.protocol === "email"
              ? EMAIL_PATTERN.test(s.endpoint)
                ? undefined
                : "must be an email address like name@example.com for protocol email"
              : httpsEndpointProblem(s.endpoint);
          if (problem)
            ctx.addIssue({
              code: "custom",
              message: problem,
              path: ["endpoint"],
              input: s.endpoint,
            });
        }),
    )
    .default([])
    .describe(`Subscriptions of the central ${severity} alarm topic`);

const stateBackend = z
  .discriminatedUnion("type", [
    z.strictObject({
      type: z.literal("local").describe("State files in the repository (one person at a time)"),
      directory: z
        .string()
        .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be a relative directory")
        .default("terraform-state")
        .describe("State files live at <directory>/<stack>.tfstate, relative to the repository"),
    }),
    z.strictObject({
      type: z.literal("s3").describe("State in an S3 bucket, locked with S3 lock files"),
      bucket: s3BucketName.describe("Bucket holding the state"),
      region: region.describe("Region of the bucket"),
      keyPrefix: z
        .string()
        .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/)
        .default("landing-zone")
        .describe("State key is <keyPrefix>/<stack>/terraform.tfstate"),
      kmsKeyId: kmsKeyReference
        .optional()
        .describe(
          "KMS key for state encryption (key id, key ARN, alias/<name> or alias ARN; else SSE-S3)",
        ),
      roleArn: iamRoleArn.optional().describe("Role the backend assumes to reach the state bucket"),
    }),
  ])
  .default({ type: "local", directory: "terraform-state" })
  .describe("Where Terraform keeps the state of every stack: type local or s3");

export const organizationFile = z.strictObject({
  $schema: z.string().optional().describe("JSON Schema reference for editors"),
  name: lowerName("the organization name", 32).describe("Short organization name, used in names"),
  managementAccountId: accountId.describe("The management (payer) account id"),
  homeRegion: region.describe("Region the landing zone deploys to by default"),
  allowedRegions: z
    .array(region)
    .min(1)
    .describe("Regions any account may use; others are denied by SCP"),
  platformRoleName: z
    .string()
    .regex(/^[\w+=,.@-]{1,64}$/)
    .default("OrganizationAccountAccessRole")
    .describe("Role the landing zone assumes into member accounts; SCPs spare it"),
  planRoleName: z
    .string()
    .regex(
      new RegExp(`^${LZ_PREFIX}[\\w+=,.@-]{1,${64 - LZ_PREFIX.length}}$`),
      `must start with ${LZ_PREFIX} (the SCP that protects the landing zone's roles covers ${LZ_PREFIX}*), then up to ${64 - LZ_PREFIX.length} of A-Z a-z 0-9 + = , . @ _ -`,
    )
    .default(`${LZ_PREFIX}plan`)
    .describe(
      "Read-only role the landing zone creates in every member account; plans (npm run plan -- --role plan, npm run drift) assume it instead of the platform role",
    ),
  planRoleTrustedArn: iamRoleArn
    .optional()
    .describe(
      "The management account's pull-request plan role (OIDC) that may assume the plan role; default arn:aws:iam::<managementAccountId>:role/landing-zone-plan",
    ),
  existingOrganization: z
    .strictObject({
      organizationId: z
        .string()
        .regex(/^o-[a-z0-9]{10,32}$/, "must be an organization id like o-a1b2c3d4e5")
        .describe("Id of the organization to adopt"),
      organizationalUnitIds: z
        .record(
          ouPath.meta({ title: "ou-path" }),
          z
            .string()
            .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "must be an OU id like ou-ab12-cd34ef56"),
        )
        .default({})
        .describe("Id of each existing OU, by OU path; these OUs are imported"),
      managementConfigRecorder: configRecorder.describe(
        "Who records the management account with AWS Config (see coreAccounts.<account>.configRecorder)",
      ),
    })
    .optional()
    .describe(
      "Adopt an organization that already exists: import blocks take over it and the listed OUs (accounts with an accountId are imported too)",
    ),
  organizationalUnits: z
    .array(organizationalUnit)
    .min(1)
    .describe("The OU tree under the root; a top-level Suspended OU is required"),
  environments: z
    .record(environmentName, environmentDefinition)
    .describe("Environments teams may declare, and their defaults"),
  coreAccounts: z
    .strictObject({
      logArchive: coreAccount("Holds the organization trail and its bucket"),
      security: coreAccount("Security tooling account"),
      observability: coreAccount("Central alarm topics, dashboards and the metrics sink"),
    })
    .describe("The landing zone's own accounts"),
  teamAccounts: z
    .strictObject({
      emailTemplate: z
        .string()
        .regex(/\{team\}/, "must contain {team}")
        .regex(/\{env\}/, "must contain {env}")
        .describe("Default email of a team account, e.g. aws+{team}-{env}@example.com"),
      nameTemplate: z.string().default("{team}-{env}").describe("Account name of a team account"),
    })
    .describe("How team accounts are named"),
  tags: z
    .strictObject({
      mandatory: z
        .array(
          z
            .string()
            .max(128)
            .regex(/^[a-z][a-z0-9-]*$/, "tag keys are lowercase with '-'"),
        )
        .default(["team", "environment", "cost-center", "owner", "managed-by"])
        .describe(
          "Tag keys every resource carries; team, environment, cost-center and owner are filled in",
        ),
      defaults: z
        .record(tagKey.meta({ title: "tag" }), tagValue)
        .default({})
        .describe("Tags on every resource; must give a value for every other mandatory key"),
    })
    .describe("Resource tags"),
  stateBackend,
  serviceControlPolicies: z
    .strictObject({
      maxPerTarget: positiveInt(10)
        .default(5)
        .describe("SCPs allowed per target, counting the AWS-managed FullAWSAccess (AWS quota: 5)"),
      policies: z.array(serviceControlPolicy).describe("The SCPs and where they attach"),
    })
    .describe("Service control policies"),
  resourceControlPolicies,
  centralizedRootAccess,
  ec2DeclarativePolicy,
  aiServicesOptOut,
  cloudTrail: z
    .strictObject({
      name: trailName.default("organization-trail").describe("Name of the organization trail"),
      bucketName: s3BucketName
        .optional()
        .describe(
          "Trail bucket in the log archive account; derived when unset: <name>-cloudtrail-<managementAccountId>",
        ),
      glacierAfterDays: positiveInt(3650)
        .default(90)
        .describe("Days before trail logs move to Glacier"),
      expireAfterDays: positiveInt(36500).default(2557).describe("Days before trail logs expire"),
    })
    .prefault({})
    .describe("The organization trail"),
  observability: z
    .strictObject({
      alarmTopics: z
        .strictObject({ critical: subscriptions("critical"), warning: subscriptions("warning") })
        .prefault({})
        .describe("Who hears the alarms of every account"),
    })
    .prefault({})
    .describe("The observability account's central alarm topics"),
  quotas: quotaDefaults
    .extend({
      organizationAccounts: positiveInt(100_000)
        .default(10)
        .describe(
          "Accounts the organization may hold, management included (AWS default 10; declare the raised value once an increase is granted)",
        ),
    })
    .prefault({})
    .describe("Account quotas assumed where a team declares none"),
  alarms: alarmSettings
    .prefault({})
    .describe("Alarm thresholds of every account; teams and environments override them"),
  budgets: budgetDefaults.prefault({}),
  securityServices,
  guardrails: z
    .strictObject({
      waivers: z
        .array(
          z.strictObject({
            rule: z.enum(GUARDRAIL_RULE_IDS).describe("Guardrail rule id (docs/guardrails.md)"),
            resource: z
              .string()
              .regex(
                /^[a-z0-9][a-z0-9-]*\/[^\s]+$/,
                "must be a construct path as synth reports it, like team-payments-prod/service/queue",
              )
              .describe("Construct path of the one resource the rule is waived for"),
            reason: z
              .string()
              .trim()
              .min(10, "write why the rule does not apply (at least 10 characters)")
              .max(500)
              .describe("Why the rule does not apply here"),
          }),
        )
        .default([])
        .describe("Each waives one guardrail rule for one resource, with a written reason"),
    })
    .prefault({})
    .describe("Synth-time guardrail checks"),
  access: accessSettings.optional(),
  alternateContacts: alternateContacts(
    "Alternate contacts of every account the landing zone vends; team files override them by type",
  ),
  accountAliases,
  optInRegions,
});
export type OrganizationFile = z.infer<typeof organizationFile>;

// ---------------------------------------------------------------------------------------------
// Team file
// ---------------------------------------------------------------------------------------------

/**
 * A field of the former layout (config/layout.ts): what the blueprint that declares `formerLayout`
 * now takes under its own key.
 */
function formerLayout(field: string, what: string): string {
  const name = registeredBlueprints().find((b) => b.formerLayout)?.name;
  return `Former layout of ${name}.${field === "blueprint" ? "<settings>" : field} (the ${name} ${what}); still read, but write ${name}: instead, never both`;
}

const blueprintList = z
  .array(lowerName("a blueprint name", 64).meta({ title: "blueprint" }))
  .min(1)
  .refine((l) => new Set(l).size === l.length, { message: "lists a blueprint twice" });

const teamEnvironmentShape = {
  ou: ouPath.optional().describe("OU path; defaults to the environment's OU"),
  email: accountEmail.optional().describe("Account email; defaults to the organization template"),
  accountId: accountId
    .optional()
    .describe("Recorded once the account exists; else looked up by email at plan time"),
  region: region.optional().describe("Region of the blueprint; defaults to the home region"),
  status: accountStatus.default("active"),
  configRecorder,
  blueprints: blueprintList
    .optional()
    .describe("The blueprints of this environment's account; replaces the team's list"),
  quotas: z
    .strictObject({
      lambdaConcurrentExecutions: quotaValue
        .optional()
        .describe("Lambda concurrent executions this account has or requests"),
      apiGatewayRequestsPerSecond: quotaValue
        .optional()
        .describe("API Gateway steady-state requests per second this account has or requests"),
    })
    .optional()
    .describe("Quotas this account has or requests; a value here files an increase request"),
  alarms: overridesOf(alarmSettings).describe(
    "This environment's alarm thresholds; each field unset here keeps the team's value",
  ),
  budget: environmentBudget,
  alternateContacts: alternateContacts(
    "This environment's alternate contacts; a type set here replaces the team's and the organization's",
  ),
  accountAlias: accountAliasOverride.describe(
    "IAM account alias of this account; defaults to accountAliases.teamTemplate of the organization file",
  ),
};

// The former layout (config/layout.ts), after the blueprints' keys so the reference documents those.
const formerEnvironmentFields = {
  traffic: traffic.optional().describe(formerLayout("traffic", "traffic")),
  blueprint: overridesOf(blueprintSettings).describe(
    formerLayout("blueprint", "settings; each field unset here keeps the team's value"),
  ),
};
const formerTeamFields = {
  blueprint: blueprintSettings
    .optional()
    .describe(formerLayout("blueprint", "settings in every environment of the team")),
};

const environmentsOf = <E extends z.ZodType>(environment: E) =>
  z
    .record(environmentName, environment)
    .refine((envs) => Object.keys(envs).length > 0, {
      message: "declare at least one environment",
    })
    .describe("One AWS account per environment, from the organization's environments");

const teamFileShape = {
  $schema: z.string().optional().describe("JSON Schema reference for editors"),
  name: teamName.describe("Team name, equal to the file name; stack ids are team-<name>-<env>"),
  description: z.string().max(256).optional().describe("Free text"),
  owners: z
    .array(
      z.strictObject({
        name: z.string().min(1).max(128).describe("Owner's name"),
        email: accountEmail.describe("Owner's email; the first owner's is the owner tag"),
      }),
    )
    .min(1)
    .describe("People accountable for the team's accounts"),
  costCenter: z
    .string()
    .regex(/^[A-Za-z0-9_.:/=+@-]{1,64}$/, "must be a tag-safe code like CC-1042")
    .describe("Cost center, tagged on every resource"),
  environments: environmentsOf(
    z.strictObject({ ...teamEnvironmentShape, ...formerEnvironmentFields }),
  ),
  blueprints: blueprintList.optional().describe(
    `The blueprints every environment's account holds (${registeredBlueprints()
      .map((b) => b.name)
      .join(
        ", ",
      )}, or one registered in blueprints/index.ts); ${DEFAULT_BLUEPRINTS.join(", ")} when unset`,
  ),
  alarms: overridesOf(alarmSettings).describe(
    "The team's alarm thresholds; each field unset here keeps the organization's value",
  ),
  access: teamAccess.optional(),
  budget: teamBudget,
  alternateContacts: alternateContacts(
    "The team's alternate contacts in all its accounts; a type set here replaces the organization's",
  ),
};

/** The team file's own fields, before any blueprint adds its settings. */
export const TEAM_FILE_FIELDS: readonly string[] = [
  ...Object.keys(teamFileShape),
  ...Object.keys(formerTeamFields),
  ...Object.keys(formerEnvironmentFields),
];

/**
 * The team file schema: the fields above, and for each registered blueprint with settings a field
 * named like it, on the team (defaults applied) and on each environment (overrides). Built from the
 * registry when first asked for, and again after a registration.
 */
function buildTeamFile() {
  const withSettings = registeredBlueprints().filter((b) => b.settings);
  const teamEnvironment = z.strictObject({
    ...teamEnvironmentShape,
    ...Object.fromEntries(
      withSettings.map((b) => [
        b.name,
        environmentSettings(b.settings!, b.usesTraffic === true).describe(
          `This environment's ${b.name} settings${b.usesTraffic ? " and traffic" : ""}; each field unset here keeps the team's value`,
        ),
      ]),
    ),
    ...formerEnvironmentFields,
  });
  return z.strictObject({
    ...teamFileShape,
    environments: environmentsOf(teamEnvironment),
    ...Object.fromEntries(withSettings.map((b) => [b.name, b.settings!.optional()])),
    ...formerTeamFields,
  });
}

/** An environment's overrides of a blueprint's settings, and its traffic when the blueprint is sized from it. */
function environmentSettings(settings: z.ZodObject, sized: boolean) {
  const overrides = overridesOf(settings).unwrap() as unknown as z.ZodObject;
  return (sized ? overrides.extend({ traffic: traffic.optional() }) : overrides).optional();
}

let built: { version: number; schema: ReturnType<typeof buildTeamFile> } | undefined;

export function teamFileSchema(): ReturnType<typeof buildTeamFile> {
  if (built?.version !== registryVersion())
    built = { version: registryVersion(), schema: buildTeamFile() };
  return built.schema;
}

const staticTeamFile = z.strictObject({ ...teamFileShape, ...formerTeamFields });
/** A team file as parsed; a blueprint's settings sit under its name (read them through the registry). */
export type TeamFile = z.infer<typeof staticTeamFile> & {
  environments: Record<string, Record<string, unknown>>;
} & Record<string, unknown>;

// ---------------------------------------------------------------------------------------------
// Lifecycle ledger (accounts/ledger.yaml)
// ---------------------------------------------------------------------------------------------

/** Every status a team account has had, oldest first; the last one must match the team file. */
export const ledgerFile = z.strictObject({
  $schema: z.string().optional().describe("JSON Schema reference for editors"),
  teams: z
    .record(teamName, z.record(environmentName, z.array(accountStatus).min(1)))
    .default({})
    .describe(
      "team -> environment -> statuses in order, e.g. payments: { dev: [active, suspended] }",
    ),
});
export type LedgerFile = z.infer<typeof ledgerFile>;

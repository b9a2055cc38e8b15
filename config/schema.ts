// The one schema of the landing zone's configuration. The loader validates with it, and
// `npm run schema` writes the JSON Schema files the example YAML files reference, so editors and the
// loader can never disagree.
import { z } from "zod";
import { GUARDRAIL_RULE_IDS } from "./guardrails";
import { RESERVED_NAMES, reservedNameMessage } from "./keys";

const LOWER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const lowerName = (what: string, max: number) =>
  z
    .string()
    .max(max)
    .regex(
      LOWER_NAME,
      `${what} must be lowercase ASCII letters and digits separated by single '-', starting with a letter`,
    )
    // `constructor` would name a team, an environment and a ledger key: refused everywhere alike.
    .refine((name) => !RESERVED_NAMES.has(name), { message: reservedNameMessage(what) });

// AWS account root emails: at most 64 characters, one '@', no spaces. Uniqueness is checked across files.
export const accountEmail = z
  .string()
  .max(64, "an AWS account email is at most 64 characters")
  .regex(
    /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/,
    "must be an email address like name@example.com",
  );

const accountId = z
  .string()
  .regex(/^\d{12}$/, "must be a 12-digit AWS account id, quoted in YAML so it stays a string");

export const region = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region name like eu-west-1");

const ouPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(\/[A-Za-z][A-Za-z0-9]*)*$/,
    "must be an OU path like Workloads/Prod",
  );

const positiveInt = (max: number) => z.number().int().positive().max(max);

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

const coreAccount = z.strictObject({
  name: z.string().min(1).max(50).describe("Account name shown in AWS Organizations"),
  email: accountEmail.describe("Root user email; globally unique and hard to change later"),
  ou: ouPath.describe("OU path the account is placed in"),
  accountId: accountId
    .optional()
    .describe(
      "The account id once the account exists (or to adopt an existing account with an import block)",
    ),
});

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
  "deny-all",
]);
export type BuiltinPolicy = z.infer<typeof builtinPolicy>;

const scpTarget = z
  .string()
  .regex(/^(Root|[A-Za-z][A-Za-z0-9]*(\/[A-Za-z][A-Za-z0-9]*)*)$/, "must be Root or an OU path");

const serviceControlPolicy = z
  .strictObject({
    name: lowerName("an SCP name", 128),
    description: z.string().max(512).default(""),
    builtin: builtinPolicy
      .optional()
      .describe("A policy the landing zone renders from this file (regions, platform role)"),
    file: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+\.json$/, "must be a relative path to a .json file")
      .optional()
      .describe("A policy document in a JSON file, relative to accounts/"),
    targets: z.array(scpTarget).min(1).describe("Where the policy attaches: Root or OU paths"),
  })
  .refine((p) => (p.builtin === undefined) !== (p.file === undefined), {
    message: "set exactly one of builtin or file",
  });

const subscription = z.strictObject({
  protocol: z.enum(["email", "https"]),
  endpoint: z.string().min(3).max(2048),
});

export const quotaDefaults = z.strictObject({
  lambdaConcurrentExecutions: positiveInt(1_000_000)
    .default(1000)
    .describe("Lambda concurrent executions quota assumed for an account that declares none"),
  lambdaUnreservedMinimum: z
    .number()
    .int()
    .min(100)
    .default(100)
    .describe("Concurrency Lambda keeps unreserved in every account (AWS requires at least 100)"),
  apiGatewayRequestsPerSecond: positiveInt(1_000_000)
    .default(10000)
    .describe("API Gateway steady-state requests per second, per account and region"),
  apiGatewayBurst: positiveInt(1_000_000)
    .default(5000)
    .describe("API Gateway burst, per account and region"),
});

const stateBackend = z.discriminatedUnion("type", [
  z.strictObject({
    type: z.literal("local"),
    directory: z
      .string()
      .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/, "must be a relative directory")
      .default("terraform-state")
      .describe("State files live at <directory>/<stack>.tfstate, relative to the repository"),
  }),
  z.strictObject({
    type: z.literal("s3"),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "must be an S3 bucket name"),
    region,
    keyPrefix: z
      .string()
      .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/)
      .default("landing-zone")
      .describe("State key is <keyPrefix>/<stack>/terraform.tfstate"),
    kmsKeyId: z.string().min(1).optional().describe("KMS key for state encryption (else SSE-S3)"),
    roleArn: z
      .string()
      .regex(/^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]+$/)
      .optional()
      .describe("Role the backend assumes to reach the state bucket"),
  }),
]);

export const alarmSettings = z.strictObject({
  api5xxRate: z.number().min(0).max(1).optional().describe("Average 5XXError rate (default 0.05)"),
  api4xxRate: z.number().min(0).max(1).optional().describe("Average 4XXError rate (default 0.05)"),
  apiLatencyP90Ms: positiveInt(29000).optional().describe("p90 latency (default min(2500, 2×p99))"),
  lambdaErrors: z.number().int().min(0).optional().describe("Errors per minute tolerated"),
  lambdaThrottles: z.number().int().min(0).optional().describe("Throttles per minute tolerated"),
  durationP90PercentOfTimeout: positiveInt(100).optional(),
  concurrencyPercentOfReserved: positiveInt(100).optional(),
  queueAgeSeconds: positiveInt(1_209_600).optional(),
  dynamodbThrottles: z.number().int().min(0).optional(),
  dynamodbSystemErrors: z.number().int().min(0).optional(),
  quotaWarningPercent: positiveInt(100).optional(),
  quotaCriticalPercent: positiveInt(100).optional(),
});
export type AlarmSettings = z.infer<typeof alarmSettings>;

export const organizationFile = z.strictObject({
  $schema: z.string().optional(),
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
  existingOrganization: z
    .strictObject({
      organizationId: z
        .string()
        .regex(/^o-[a-z0-9]{10,32}$/, "must be an organization id like o-a1b2c3d4e5"),
      organizationalUnitIds: z
        .record(
          ouPath,
          z
            .string()
            .regex(/^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/, "must be an OU id like ou-ab12-cd34ef56"),
        )
        .default({}),
    })
    .optional()
    .describe(
      "Adopt an organization that already exists: import blocks take over it and the listed OUs (accounts with an accountId are imported too)",
    ),
  organizationalUnits: z.array(organizationalUnit).min(1),
  environments: z
    .record(lowerName("an environment name", 16), environmentDefinition)
    .describe("Environments teams may declare, and their defaults"),
  coreAccounts: z.strictObject({
    logArchive: coreAccount,
    security: coreAccount,
    observability: coreAccount,
  }),
  teamAccounts: z.strictObject({
    emailTemplate: z
      .string()
      .regex(/\{team\}/, "must contain {team}")
      .regex(/\{env\}/, "must contain {env}")
      .describe("Default email of a team account, e.g. aws+{team}-{env}@example.com"),
    nameTemplate: z.string().default("{team}-{env}").describe("Account name of a team account"),
  }),
  tags: z.strictObject({
    mandatory: z
      .array(z.string().regex(/^[a-z][a-z0-9-]*$/, "tag keys are lowercase with '-'"))
      .default(["team", "environment", "cost-center", "owner", "managed-by"])
      .describe(
        "Tag keys every resource carries; team, environment, cost-center and owner are filled in",
      ),
    defaults: z.record(z.string().min(1).max(128), z.string().max(256)).default({}),
  }),
  stateBackend: stateBackend.default({ type: "local", directory: "terraform-state" }),
  serviceControlPolicies: z.strictObject({
    maxPerTarget: positiveInt(10)
      .default(5)
      .describe("SCPs allowed per target, counting the AWS-managed FullAWSAccess"),
    policies: z.array(serviceControlPolicy),
  }),
  cloudTrail: z
    .strictObject({
      name: z
        .string()
        .regex(/^[A-Za-z0-9._-]{3,128}$/)
        .default("organization-trail"),
      bucketName: z
        .string()
        .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
        .optional()
        .describe("Trail bucket in the log archive account (default <org>-cloudtrail-<id>)"),
      glacierAfterDays: positiveInt(3650).default(90),
      expireAfterDays: positiveInt(36500).default(2557),
    })
    .prefault({}),
  observability: z
    .strictObject({
      alarmTopics: z
        .strictObject({
          critical: z.array(subscription).default([]),
          warning: z.array(subscription).default([]),
        })
        .prefault({}),
    })
    .prefault({}),
  quotas: quotaDefaults
    .extend({
      organizationAccounts: positiveInt(100_000)
        .default(10)
        .describe(
          "Accounts the organization may hold, management included (AWS default 10; declare the raised value once an increase is granted)",
        ),
    })
    .prefault({}),
  alarms: alarmSettings.default({}).describe("Organization-wide alarm threshold defaults"),
  guardrails: z
    .strictObject({
      waivers: z
        .array(
          z.strictObject({
            rule: z.enum(GUARDRAIL_RULE_IDS).describe("Guardrail rule id (README, Guardrails)"),
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
              .max(500),
          }),
        )
        .default([])
        .describe("Each waives one guardrail rule for one resource, with a written reason"),
    })
    .prefault({}),
});
export type OrganizationFile = z.infer<typeof organizationFile>;

// ---------------------------------------------------------------------------------------------
// Team file
// ---------------------------------------------------------------------------------------------

export const syncTraffic = z
  .strictObject({
    requestsPerSecond: z
      .number()
      .positive()
      .max(100_000)
      .describe("Expected steady requests per second"),
    averageDurationMs: positiveInt(29_000).describe("Average handler duration"),
    p99DurationMs: positiveInt(29_000).describe("p99 handler duration (API Gateway allows 29 s)"),
  })
  .refine((t) => t.p99DurationMs >= t.averageDurationMs, {
    message: "p99DurationMs must be at least averageDurationMs",
    path: ["p99DurationMs"],
  });

export const asyncTraffic = z.strictObject({
  messagesPerSecond: z.number().positive().max(100_000).describe("Expected messages per second"),
  averageDurationMs: positiveInt(900_000).describe("Average worker time per message"),
});

const functionCode = z.union([
  z.strictObject({ reference: z.literal(true) }).describe("The bundled reference service"),
  z.strictObject({
    s3: z.strictObject({
      bucket: z.string().min(3).max(63),
      key: z.string().min(1).max(1024),
      objectVersion: z.string().optional(),
    }),
    handler: z.string().min(1).default("index.handler"),
  }),
  z.strictObject({
    path: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+\.zip$/, "must be a relative path to a .zip file")
      .describe("A zip relative to the repository root"),
    handler: z.string().min(1).default("index.handler"),
  }),
]);

const functionSettings = z.strictObject({
  memoryMb: z.number().int().min(128).max(10240).optional(),
  timeoutSeconds: positiveInt(900).optional(),
  provisionedConcurrency: z.number().int().min(0).max(1000).optional(),
  code: functionCode.optional(),
  canary: z
    .strictObject({
      stableVersion: z.string().regex(/^\d+$/, "must be a published version number"),
      weight: z
        .number()
        .gt(0)
        .lt(1)
        .describe("Share of traffic sent to the newly published version"),
    })
    .optional()
    .describe("Weighted alias: live stays on stableVersion and sends `weight` to the new version"),
});

export const blueprintSettings = z.strictObject({
  headroom: z
    .number()
    .min(1)
    .max(10)
    .optional()
    .describe("Multiplier on declared traffic when reserving concurrency (default 1.2)"),
  api: z
    .strictObject({
      authorization: z.enum(["iam", "api-key", "none"]).optional(),
      throttleHeadroom: z.number().min(1).max(10).optional(),
      burstMultiplier: z.number().min(1).max(10).optional(),
      usagePlanQuotaPerDay: positiveInt(1_000_000_000).optional(),
      cache: z
        .strictObject({
          enabled: z.boolean().optional(),
          sizeGb: z.enum(["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"]).optional(),
          ttlSeconds: z.number().int().min(0).max(3600).optional(),
        })
        .optional(),
    })
    .optional(),
  functions: z
    .strictObject({ api: functionSettings.optional(), worker: functionSettings.optional() })
    .optional(),
  queue: z
    .strictObject({
      maxReceiveCount: positiveInt(1000).optional(),
      retentionSeconds: z.number().int().min(60).max(1_209_600).optional(),
      batchSize: positiveInt(10000).optional(),
      maximumBatchingWindowSeconds: z.number().int().min(0).max(300).optional(),
    })
    .optional(),
  table: z
    .strictObject({
      kmsKeyArn: z
        .string()
        .regex(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/)
        .optional(),
      ttlAttribute: z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/)
        .optional(),
    })
    .optional(),
});
export type BlueprintSettings = z.infer<typeof blueprintSettings>;

export const accountStatus = z.enum(["active", "suspended", "closed"]);

const teamEnvironment = z.strictObject({
  ou: ouPath.optional().describe("OU path; defaults to the environment's OU"),
  email: accountEmail.optional().describe("Account email; defaults to the organization template"),
  accountId: accountId
    .optional()
    .describe("Recorded once the account exists; else looked up by email at plan time"),
  region: region.optional().describe("Region of the blueprint; defaults to the home region"),
  status: accountStatus.default("active"),
  traffic: z.strictObject({ sync: syncTraffic, async: asyncTraffic.optional() }),
  quotas: z
    .strictObject({
      lambdaConcurrentExecutions: positiveInt(1_000_000).optional(),
      apiGatewayRequestsPerSecond: positiveInt(1_000_000).optional(),
    })
    .optional()
    .describe("Quotas this account has or requests; a value here files an increase request"),
  blueprint: blueprintSettings.optional().describe("Overrides of the team blueprint settings"),
  alarms: alarmSettings.optional(),
});
export type TeamEnvironmentInput = z.infer<typeof teamEnvironment>;

export const teamFile = z.strictObject({
  $schema: z.string().optional(),
  name: lowerName("a team name", 24).describe("Team name; stack ids are team-<name>-<env>"),
  description: z.string().max(256).optional(),
  owners: z
    .array(z.strictObject({ name: z.string().min(1).max(128), email: accountEmail }))
    .min(1)
    .describe("People accountable for the team's accounts"),
  costCenter: z
    .string()
    .regex(/^[A-Za-z0-9_.:/=+@-]{1,64}$/, "must be a tag-safe code like CC-1042")
    .describe("Cost center, tagged on every resource"),
  environments: z
    .record(lowerName("an environment name", 16), teamEnvironment)
    .refine((envs) => Object.keys(envs).length > 0, {
      message: "declare at least one environment",
    }),
  blueprint: blueprintSettings.optional(),
  alarms: alarmSettings.optional(),
});
export type TeamFile = z.infer<typeof teamFile>;

// ---------------------------------------------------------------------------------------------
// Lifecycle ledger (accounts/ledger.yaml)
// ---------------------------------------------------------------------------------------------

/** Every status a team account has had, oldest first; the last one must match the team file. */
export const ledgerFile = z.strictObject({
  $schema: z.string().optional(),
  teams: z
    .record(
      lowerName("a team name", 24),
      z.record(lowerName("an environment name", 16), z.array(accountStatus).min(1)),
    )
    .default({})
    .describe(
      "team -> environment -> statuses in order, e.g. payments: { dev: [active, suspended] }",
    ),
});
export type LedgerFile = z.infer<typeof ledgerFile>;

// Settings written at more than one level: traffic, quotas, alarm thresholds and the service
// blueprint. Each default is declared here, once, on the lowest level a user writes (alarms in
// organization.yaml, the blueprint in a team file); the levels above take `overridesOf` the same
// schema, so an unset field keeps the value below it (merging: config/layers.ts).
import { z } from "zod";
import { positiveInt, quotaValue } from "./common";
import { kmsKeyArn, lambdaHandler, s3BucketName, s3ObjectKey } from "./aws-names";

// ---------------------------------------------------------------------------------------------
// Traffic a team declares
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
  })
  .describe("The synchronous API: sizes the API function, stage throttling and alarms");

export const asyncTraffic = z
  .strictObject({
    messagesPerSecond: z.number().positive().max(100_000).describe("Expected messages per second"),
    averageDurationMs: positiveInt(900_000).describe("Average worker time per message"),
  })
  .describe("The queue worker: sizes its concurrency; omit when the service has no async work");

export const traffic = z
  .strictObject({ sync: syncTraffic, async: asyncTraffic.optional() })
  .describe("Traffic this environment must carry; capacity and alarms are derived from it");

// ---------------------------------------------------------------------------------------------
// Account quotas
// ---------------------------------------------------------------------------------------------

export const quotaDefaults = z.strictObject({
  lambdaConcurrentExecutions: quotaValue
    .default(1000)
    .describe("Lambda concurrent executions quota assumed for an account that declares none"),
  lambdaUnreservedMinimum: z
    .number()
    .int()
    .min(100)
    .default(100)
    .describe("Concurrency Lambda keeps unreserved in every account (AWS requires at least 100)"),
  apiGatewayRequestsPerSecond: quotaValue
    .default(10000)
    .describe("API Gateway steady-state requests per second, per account and region"),
  apiGatewayBurst: quotaValue.default(5000).describe("API Gateway burst, per account and region"),
});

// ---------------------------------------------------------------------------------------------
// Alarm thresholds: static defaults here; the ones that follow from traffic are computed in
// config/layers.ts unless a level sets them.
// ---------------------------------------------------------------------------------------------

const percent = positiveInt(100);
const perMinute = z.number().int().min(0);

export const alarmSettings = z.strictObject({
  api5xxRate: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe("Share of API requests answered 5XX (average) that alarms"),
  api4xxRate: z
    .number()
    .min(0)
    .max(1)
    .default(0.05)
    .describe("Share of API requests answered 4XX (average) that alarms"),
  apiLatencyP90Ms: positiveInt(29000)
    .optional()
    .describe(
      "API p90 latency in ms that alarms; derived from traffic when unset: the declared p99DurationMs, at least 2500",
    ),
  lambdaErrors: perMinute
    .optional()
    .describe(
      "Lambda errors per minute tolerated; derived from traffic when unset: 1 % of a minute's declared requests, at least 1",
    ),
  lambdaThrottles: perMinute.default(0).describe("Lambda throttles per minute tolerated"),
  durationP90PercentOfTimeout: percent
    .default(80)
    .describe("Function p90 duration, as a percentage of its timeout, that alarms"),
  concurrencyPercentOfReserved: percent
    .default(90)
    .describe("Function concurrency, as a percentage of its reserved concurrency, that alarms"),
  queueAgeSeconds: positiveInt(1_209_600)
    .optional()
    .describe(
      "Age in seconds of the oldest queued job that alarms; derived from the worker when unset: 1.5 × its timeoutSeconds, at least 60",
    ),
  dynamodbThrottles: perMinute
    .default(0)
    .describe("Table read or write throttles per minute tolerated"),
  dynamodbSystemErrors: perMinute.default(0).describe("Table system errors per minute tolerated"),
  quotaWarningPercent: percent
    .default(80)
    .describe("Quota use, in percent, that raises a warning; below quotaCriticalPercent"),
  quotaCriticalPercent: percent
    .default(100)
    .describe("Quota use, in percent, that raises a critical alarm (pages in production)"),
});

// ---------------------------------------------------------------------------------------------
// Service blueprint
// ---------------------------------------------------------------------------------------------

export const functionCode = z.union([
  z.strictObject({
    reference: z.literal(true).describe("The bundled reference service (services/reference)"),
  }),
  z.strictObject({
    s3: z
      .strictObject({
        bucket: s3BucketName.describe("Bucket holding the zip, in the same region"),
        key: s3ObjectKey.describe("Object key of the zip"),
        objectVersion: z
          .string()
          .min(1)
          .max(1024)
          .regex(/^[\x21-\x7E]+$/, "an S3 version id is printable ASCII without spaces")
          .optional()
          .describe("Object version, to pin the exact upload"),
      })
      .describe("A zip in S3"),
    handler: lambdaHandler.default("index.handler").describe("Handler, as file.export"),
  }),
  z.strictObject({
    path: z
      .string()
      .regex(/^[A-Za-z0-9._/-]+\.zip$/, "must be a relative path to a .zip file")
      .describe("A zip relative to the repository root"),
    handler: lambdaHandler.default("index.handler").describe("Handler, as file.export"),
  }),
]);

/** One of the blueprint's two functions; only the timeout's default differs between them. */
const functionSettings = (defaultTimeoutSeconds: number, what: string) =>
  z
    .strictObject({
      memoryMb: z
        .number()
        .int()
        .min(128)
        .max(10240)
        .default(512)
        .describe("Memory in MB (CPU grows with it)"),
      timeoutSeconds: positiveInt(900)
        .default(defaultTimeoutSeconds)
        .describe("Timeout in seconds"),
      provisionedConcurrency: z
        .number()
        .int()
        .min(0)
        .max(1000)
        .default(0)
        .describe("Provisioned concurrency on the `live` alias; at most the reserved concurrency"),
      code: functionCode
        .optional()
        .describe(
          "Code to run: {reference: true}, {path, handler} or {s3, handler}; the bundled reference service when unset",
        ),
      canary: z
        .strictObject({
          stableVersion: z
            .string()
            .regex(/^\d+$/, "must be a published version number")
            .describe("Published version `live` stays on"),
          weight: z
            .number()
            .gt(0)
            .lt(1)
            .describe("Share of traffic sent to the newly published version"),
        })
        .optional()
        .describe(
          "Weighted alias: live stays on stableVersion and sends `weight` to the new version",
        ),
    })
    .prefault({})
    .describe(what);

export const blueprintSettings = z
  .strictObject({
    headroom: z
      .number()
      .min(1)
      .max(10)
      .default(1.2)
      .describe("Multiplier on declared traffic when reserving concurrency"),
    api: z
      .strictObject({
        authorization: z
          .enum(["iam", "api-key", "none"])
          .default("iam")
          .describe("iam (SigV4), api-key (usage plan and one key) or none (sandboxes)"),
        throttleHeadroom: z
          .number()
          .min(1)
          .max(10)
          .default(1.5)
          .describe("Stage throttling rate = declared requests per second × this"),
        burstMultiplier: z
          .number()
          .min(1)
          .max(10)
          .default(2)
          .describe("Stage throttling burst = throttling rate × this"),
        usagePlanQuotaPerDay: positiveInt(1_000_000_000)
          .optional()
          .describe("Daily request quota of the usage plan (api-key only)"),
        cache: z
          .strictObject({
            enabled: z
              .boolean()
              .default(false)
              .describe("Encrypted stage cache for GET /items/{id}"),
            sizeGb: z
              .enum(["0.5", "1.6", "6.1", "13.5", "28.4", "58.2", "118", "237"])
              .default("0.5")
              .describe("Cache cluster size in GB"),
            ttlSeconds: z
              .number()
              .int()
              .min(0)
              .max(3600)
              .default(300)
              .describe("Seconds a cached answer is served"),
          })
          .prefault({})
          .describe("API Gateway stage cache, keyed on the item id"),
      })
      .prefault({})
      .describe("The REST API"),
    functions: z
      .strictObject({
        api: functionSettings(10, "The API function (answers API Gateway, so at most 29 s)"),
        worker: functionSettings(60, "The queue worker function"),
      })
      .prefault({})
      .describe("The two Lambda functions"),
    queue: z
      .strictObject({
        maxReceiveCount: positiveInt(1000)
          .default(5)
          .describe("Receives before a message moves to the dead-letter queue"),
        retentionSeconds: z
          .number()
          .int()
          .min(60)
          .max(1_209_600)
          .default(345_600)
          .describe("Retention of the jobs queue (the dead-letter queue keeps 14 days)"),
        batchSize: positiveInt(10000).default(10).describe("Messages per worker invocation"),
        maximumBatchingWindowSeconds: z
          .number()
          .int()
          .min(0)
          .max(300)
          .default(5)
          .describe("Seconds the poller waits to fill a batch (at least 1 when batchSize > 10)"),
      })
      .prefault({})
      .describe("The jobs queue and how the worker drains it"),
    table: z
      .strictObject({
        kmsKeyArn: kmsKeyArn
          .optional()
          .describe(
            "Customer-managed KMS key of the table, in the table's region; an AWS-managed key when unset",
          ),
        ttlAttribute: z
          .string()
          .regex(/^[A-Za-z_][A-Za-z0-9_]{0,254}$/)
          .default("expiresAt")
          .describe("Item attribute DynamoDB expires items by"),
      })
      .prefault({})
      .describe("The items table"),
  })
  .describe("Settings of the service blueprint in every environment of the team");

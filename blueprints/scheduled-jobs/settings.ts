// The settings of `scheduled-jobs`, and the sizes that follow from them.
import { z } from "zod";
import { lowerName, positiveInt } from "../../config/schema/common";
import { functionCode } from "../../config/schema/settings";

/** EventBridge Scheduler's expressions: `rate(5 minutes)` or a six-field `cron(...)`. */
const RATE = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/;
const CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

export const job = z
  .strictObject({
    schedule: z
      .string()
      .refine((s) => RATE.test(s) || CRON.test(s), {
        message: "must be rate(<n> minutes|hours|days) or cron(<6 fields>)",
      })
      .describe("When the job runs: rate(15 minutes) or cron(0 2 * * ? *)"),
    timezone: z
      .string()
      .regex(
        /^[A-Za-z]+(\/[A-Za-z0-9_+-]+){0,2}$|^UTC$/,
        "must be an IANA time zone like Europe/Berlin",
      )
      .default("UTC")
      .describe("Time zone a cron expression is read in"),
    flexibleWindowMinutes: z
      .number()
      .int()
      .min(0)
      .max(1440)
      .default(0)
      .describe("Minutes Scheduler may delay a run to spread load; 0 runs it on time"),
    durationSeconds: positiveInt(900).describe("How long one run takes (declared, like traffic)"),
    overlap: positiveInt(100)
      .default(1)
      .describe("Runs of this job that may run at once (late runs, retries)"),
    timeoutSeconds: positiveInt(900)
      .optional()
      .describe("Function timeout; twice durationSeconds (at least 60, at most 900) when unset"),
    memoryMb: z.number().int().min(128).max(10240).default(512).describe("Memory in MB"),
    retries: z
      .number()
      .int()
      .min(0)
      .max(185)
      .default(2)
      .describe("Times Scheduler retries a failed invocation before the dead-letter queue"),
    maximumEventAgeSeconds: z
      .number()
      .int()
      .min(60)
      .max(86_400)
      .default(3600)
      .describe("Seconds Scheduler keeps retrying a run before the dead-letter queue"),
    code: functionCode
      .optional()
      .describe(
        "Code to run: {path, handler} or {s3, handler}; a stub that logs its event when unset",
      ),
  })
  .describe("One scheduled job: a Lambda function invoked by an EventBridge Scheduler schedule");

export const scheduledJobsSettings = z
  .strictObject({
    jobs: z
      .record(lowerName("a job name", 16).meta({ title: "job" }), job)
      .default({})
      .describe("The jobs, by name; an environment overrides a job field by field"),
  })
  .describe("Settings of the scheduled-jobs blueprint");

export type ScheduledJobsSettings = z.output<typeof scheduledJobsSettings>;
export type JobSettings = ScheduledJobsSettings["jobs"][string];

const SECONDS = { minute: 60, minutes: 60, hour: 3600, hours: 3600, day: 86_400, days: 86_400 };

/** Seconds between runs of a rate expression; undefined for cron (its gaps vary). */
export function rateSeconds(schedule: string): number | undefined {
  const m = RATE.exec(schedule);
  return m ? Number(m[1]) * SECONDS[m[2] as keyof typeof SECONDS] : undefined;
}

export const jobTimeoutSeconds = (j: JobSettings) =>
  j.timeoutSeconds ?? Math.min(900, Math.max(60, 2 * j.durationSeconds));

/**
 * Reserved concurrency of a job: runs that overlap because one lasts longer than the gap between
 * two (rate schedules), times the runs the team allows at once.
 */
export function jobConcurrency(j: JobSettings): number {
  const gap = rateSeconds(j.schedule);
  const consecutive = gap ? Math.ceil(j.durationSeconds / gap) : 1;
  return consecutive * j.overlap;
}

/** Runs a month: 730 hours, as the price tables count. */
export function runsPerMonth(j: JobSettings, hoursPerMonth: number): number {
  const gap = rateSeconds(j.schedule);
  // A cron expression is counted as daily: most are, and a tighter one should use a rate.
  return gap ? (hoursPerMonth * 3600) / gap : hoursPerMonth / 24;
}

// `scheduled-jobs`: cron jobs as Lambda functions invoked by EventBridge Scheduler. Each job has its
// own function and `live` alias, a schedule (rate or cron, time zone, flexible window) with a retry
// policy and a maximum event age, and a role that may invoke only that alias; runs Scheduler gives
// up on go to one encrypted dead-letter queue. Reserved concurrency follows from each job's declared
// duration and overlap, and counts against the account's Lambda quota with every other blueprint's.
import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SchedulerSchedule } from "@cdktf/provider-aws/lib/scheduler-schedule";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { ceilClean } from "../../config/capacity";
import { LZ_PREFIX } from "../../config/prefix";
import { assumeRolePolicy, policyDocument } from "../../modules/policy-statements";
import { deadLetterQueueAlarm, type AlarmSpec } from "../../modules/alarms";
import { LAMBDA_ARCHITECTURE, ServiceFunction } from "../../modules/service-blueprint/functions";
import { tlsOnlyQueuePolicy } from "../../modules/service-blueprint/iam";
import { DLQ_RETENTION_SECONDS } from "../../modules/service-blueprint/queue";
import { toCode } from "../../config/layers";
import { defineBlueprint, type BlueprintUse } from "../blueprint";
import {
  jobConcurrency,
  jobTimeoutSeconds,
  runsPerMonth,
  scheduledJobsSettings,
  type JobSettings,
  type ScheduledJobsSettings,
} from "./settings";

type Use = BlueprintUse<ScheduledJobsSettings>;

/** Names in the account; `-job-` keeps them apart from every other blueprint's. */
function names({ env }: Use) {
  const base = `${env.team.name}-${env.env}`;
  return {
    function: (job: string) => `${base}-job-${job}`,
    schedule: (job: string) => `${base}-job-${job}`,
    role: (job: string) => `${LZ_PREFIX}${base}-job-${job}-scheduler`,
    deadLetterQueue: `${base}-job-runs-dlq`,
    alarmPrefix: `${LZ_PREFIX}${base}-job-`,
  };
}

const jobsOf = (use: Use) =>
  Object.entries(use.settings.jobs).sort(([a], [b]) => a.localeCompare(b));

function alarmSpecs(use: Use): AlarmSpec[] {
  const n = names(use);
  const t = use.env.alarms;
  const specs: AlarmSpec[] = jobsOf(use).flatMap(([job, j]): AlarmSpec[] => {
    const fn = n.function(job);
    const dimensions = { FunctionName: fn };
    const timeout = jobTimeoutSeconds(j);
    return [
      {
        id: `${job}-errors`,
        description: `${fn} failed a scheduled run`,
        severity: "critical",
        metric: { namespace: "AWS/Lambda", metricName: "Errors", dimensions, statistic: "Sum" },
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        datapoints: 1,
      },
      {
        id: `${job}-throttles`,
        description: `${fn} was throttled more than ${t.lambdaThrottles} times a minute (reserved concurrency ${jobConcurrency(j)})`,
        severity: "warning",
        metric: { namespace: "AWS/Lambda", metricName: "Throttles", dimensions, statistic: "Sum" },
        comparisonOperator: "GreaterThanThreshold",
        threshold: t.lambdaThrottles,
        datapoints: 1,
      },
      {
        id: `${job}-duration`,
        description: `A run of ${fn} took more than ${t.durationP90PercentOfTimeout} % of its ${timeout} s timeout`,
        severity: "warning",
        metric: {
          namespace: "AWS/Lambda",
          metricName: "Duration",
          dimensions,
          statistic: "Maximum",
        },
        comparisonOperator: "GreaterThanThreshold",
        threshold: ceilClean((timeout * 1000 * t.durationP90PercentOfTimeout) / 100),
        datapoints: 1,
      },
    ];
  });
  if (specs.length > 0)
    specs.push(
      deadLetterQueueAlarm(
        "runs-dlq-not-empty",
        n.deadLetterQueue,
        "scheduled runs Scheduler gave up on",
      ),
    );
  return specs;
}

class ScheduledJobs extends Construct {
  readonly functions: ServiceFunction[] = [];

  constructor(scope: Construct, id: string, use: Use & { accountId: string; codeField: string }) {
    super(scope, id);
    const n = names(use);
    const { env } = use;
    const lifecycle = env.production ? { preventDestroy: true } : undefined;
    const dlq = new SqsQueue(this, "runs-dlq", {
      name: n.deadLetterQueue,
      sqsManagedSseEnabled: true,
      messageRetentionSeconds: DLQ_RETENTION_SECONDS,
      lifecycle,
    });
    new SqsQueuePolicy(this, "runs-dlq-policy", {
      queueUrl: dlq.url,
      policy: tlsOnlyQueuePolicy(dlq.arn),
    });
    for (const [job, j] of jobsOf(use)) {
      const scope = new Construct(this, job);
      const fn = new ServiceFunction(scope, "function", {
        kind: "job",
        functionName: n.function(job),
        aliasName: "live",
        settings: resolvedFunction(j),
        reservedConcurrency: jobConcurrency(j),
        logRetentionDays: env.logRetentionDays,
        environment: { JOB_NAME: job },
        statements: [],
        field: `${use.codeField}.jobs.${job}.code`,
      });
      this.functions.push(fn);
      const role = new IamRole(scope, "scheduler-role", {
        name: n.role(job),
        description: `EventBridge Scheduler invokes ${n.function(job)}:live`,
        // Only schedules of this account may assume it (the confused-deputy guard AWS recommends).
        assumeRolePolicy: assumeRolePolicy("scheduler.amazonaws.com", use.accountId),
      });
      new IamRolePolicy(scope, "scheduler-policy", {
        name: "least-privilege",
        role: role.id,
        policy: policyDocument([
          {
            Sid: "InvokeTheAlias",
            Effect: "Allow",
            Action: "lambda:InvokeFunction",
            Resource: fn.alias.arn,
          },
          {
            Sid: "DeadLetters",
            Effect: "Allow",
            Action: "sqs:SendMessage",
            Resource: dlq.arn,
          },
        ]),
      });
      new SchedulerSchedule(scope, "schedule", {
        name: n.schedule(job),
        description: `Runs ${job} (${j.schedule}, ${j.timezone})`,
        scheduleExpression: j.schedule,
        scheduleExpressionTimezone: j.timezone,
        flexibleTimeWindow:
          j.flexibleWindowMinutes > 0
            ? { mode: "FLEXIBLE", maximumWindowInMinutes: j.flexibleWindowMinutes }
            : { mode: "OFF" },
        target: {
          arn: fn.alias.arn,
          roleArn: role.arn,
          deadLetterConfig: { arn: dlq.arn },
          retryPolicy: {
            maximumRetryAttempts: j.retries,
            maximumEventAgeInSeconds: j.maximumEventAgeSeconds,
          },
        },
      });
    }
  }
}

function resolvedFunction(j: JobSettings) {
  return {
    memoryMb: j.memoryMb,
    timeoutSeconds: jobTimeoutSeconds(j),
    provisionedConcurrency: 0,
    code: toCode(j.code),
  };
}

export const scheduledJobs = defineBlueprint<ScheduledJobsSettings>({
  name: "scheduled-jobs",
  description:
    "Lambda functions on EventBridge Scheduler schedules (rate or cron), with retries and a dead-letter queue",
  settings: scheduledJobsSettings,
  validate(use, report) {
    // No jobs yet is allowed: a team onboarded with the blueprint adds them in a later change.
    for (const [job, j] of jobsOf(use)) {
      const timeout = jobTimeoutSeconds(j);
      if (j.durationSeconds > timeout)
        report(
          `scheduled-jobs.jobs.${job}.timeoutSeconds`,
          `is below the declared durationSeconds of ${j.durationSeconds}`,
          timeout,
        );
      if (j.code && "reference" in j.code)
        report(`scheduled-jobs.jobs.${job}.code`, "a job has no reference code; give path or s3");
    }
  },
  capacity(use) {
    const jobs = jobsOf(use);
    return {
      reservedConcurrency: jobs.reduce((sum, [, j]) => sum + jobConcurrency(j), 0),
      apiRequestsPerSecond: 0,
      queues: jobs.length > 0 ? 1 : 0,
      schedules: jobs.length,
    };
  },
  alarms(use) {
    return { id: "scheduled-jobs-alarms", prefix: names(use).alarmPrefix, specs: alarmSpecs(use) };
  },
  cost(use, prices) {
    let requests = 0;
    let gbSeconds = 0;
    for (const [, j] of jobsOf(use)) {
      const runs = runsPerMonth(j, prices.hoursPerMonth);
      requests += runs;
      gbSeconds += runs * j.durationSeconds * (j.memoryMb / 1024);
    }
    const cents = (x: number) => Math.round(x * 100) / 100;
    const lines = {
      lambdaRequests: cents((requests / 1e6) * prices.lambda.requestsPerMillion),
      lambdaDuration: cents(gbSeconds * prices.lambda.gbSecond[LAMBDA_ARCHITECTURE]),
    };
    return { total: cents(lines.lambdaRequests + lines.lambdaDuration), lines };
  },
  construct(scope, { env, settings, accountId }) {
    const jobs = new ScheduledJobs(scope, "scheduled-jobs", {
      env,
      settings,
      accountId,
      codeField: `${env.team.file}: scheduled-jobs`,
    });
    return {
      requireBeforeReserving(precondition) {
        for (const { function: fn } of jobs.functions) {
          const lifecycle = fn.lifecycle ?? {};
          fn.lifecycle = {
            ...lifecycle,
            precondition: [...(lifecycle.precondition ?? []), precondition],
          };
        }
      },
    };
  },
  resourceNames(use) {
    const n = names(use);
    return [
      `sqs:${n.deadLetterQueue}`,
      ...jobsOf(use).flatMap(([job]) => [
        `lambda:${n.function(job)}`,
        `scheduler:${n.schedule(job)}`,
        `iam:${n.role(job)}`,
      ]),
      ...alarmSpecs(use).map((s) => `alarm:${n.alarmPrefix}${s.id}`),
    ];
  },
});

// The jobs queue and its dead-letter queue: encrypted, TLS only, with a redrive policy and a
// visibility timeout derived from the worker timeout (config/capacity.ts).
import { Construct } from "constructs";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import type { ResolvedBlueprint } from "../../config/model";
import { tlsOnlyQueuePolicy } from "./iam";

/** SQS keeps messages at most 14 days; a dead letter should wait as long as possible for a human. */
export const DLQ_RETENTION_SECONDS = 1_209_600;

export interface JobQueuesProps {
  name: string;
  deadLetterName: string;
  settings: ResolvedBlueprint["queue"];
  visibilityTimeoutSeconds: number;
  /** Production queues hold work not yet done: Terraform must not destroy (or replace) them. */
  production: boolean;
}

export interface JobQueues {
  queue: SqsQueue;
  deadLetterQueue: SqsQueue;
}

export function jobQueues(scope: Construct, props: JobQueuesProps): JobQueues {
  const lifecycle = props.production ? { preventDestroy: true } : undefined;
  const deadLetterQueue = new SqsQueue(scope, "dead-letter-queue", {
    name: props.deadLetterName,
    sqsManagedSseEnabled: true,
    messageRetentionSeconds: DLQ_RETENTION_SECONDS,
    lifecycle,
  });
  const queue = new SqsQueue(scope, "queue", {
    name: props.name,
    sqsManagedSseEnabled: true,
    visibilityTimeoutSeconds: props.visibilityTimeoutSeconds,
    messageRetentionSeconds: props.settings.retentionSeconds,
    redrivePolicy: JSON.stringify({
      deadLetterTargetArn: deadLetterQueue.arn,
      maxReceiveCount: props.settings.maxReceiveCount,
    }),
    lifecycle,
  });
  for (const [id, q] of [
    ["queue-policy", queue],
    ["dead-letter-queue-policy", deadLetterQueue],
  ] as const) {
    new SqsQueuePolicy(scope, id, { queueUrl: q.url, policy: tlsOnlyQueuePolicy(q.arn) });
  }
  return { queue, deadLetterQueue };
}

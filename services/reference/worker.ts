// The asynchronous path: API Gateway puts POST /jobs bodies on the queue, this handler drains it in
// batches. Each record stands alone: a failed record is reported in batchItemFailures so only it is
// retried (and, after maxReceiveCount, lands in the dead-letter queue).
import { PutItemCommand, type DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import { isConditionFailure } from "./items";

export interface Job {
  jobId?: string;
  action: string;
  itemId?: string;
}

export interface WorkerDependencies {
  client: DynamoDBClient;
  tableName: string;
  ttlAttribute: string;
  /** Seconds a job result is kept before the table's TTL removes it. */
  resultTtlSeconds?: number;
  now?: () => number;
}

export type WorkerHandler = (event: SQSEvent) => Promise<SQSBatchResponse>;

export function parseJob(body: string): Job {
  const v = JSON.parse(body) as unknown;
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    throw new Error("job must be a JSON object");
  }
  const job = v as Record<string, unknown>;
  if (typeof job.action !== "string" || job.action.length === 0 || job.action.length > 64) {
    throw new Error("job.action must be a string of 1 to 64 characters");
  }
  for (const f of ["jobId", "itemId"] as const) {
    if (
      job[f] !== undefined &&
      (typeof job[f] !== "string" || !/^[A-Za-z0-9-]{1,64}$/.test(job[f] as string))
    ) {
      throw new Error(`job.${f} must be 1 to 64 letters, digits or '-'`);
    }
  }
  return job as unknown as Job;
}

export function createWorkerHandler(deps: WorkerDependencies): WorkerHandler {
  const now = deps.now ?? Date.now;
  const ttl = deps.resultTtlSeconds ?? 7 * 24 * 3600;

  async function processRecord(record: SQSRecord): Promise<void> {
    const job = parseJob(record.body);
    // The job id (or the SQS message id) is the key: a redelivered message writes nothing new.
    const jobId = job.jobId ?? record.messageId;
    try {
      await deps.client.send(
        new PutItemCommand({
          TableName: deps.tableName,
          Item: {
            pk: { S: `job#${jobId}` },
            jobId: { S: jobId },
            action: { S: job.action },
            ...(job.itemId && { itemId: { S: job.itemId } }),
            status: { S: "done" },
            messageId: { S: record.messageId },
            [deps.ttlAttribute]: { N: String(Math.floor(now() / 1000) + ttl) },
          },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
    } catch (e) {
      if (!isConditionFailure(e)) throw e;
    }
  }

  return async (event) => {
    const batchItemFailures: SQSBatchResponse["batchItemFailures"] = [];
    for (const record of event.Records) {
      try {
        await processRecord(record);
      } catch (e) {
        console.error(JSON.stringify({ messageId: record.messageId, error: String(e) }));
        batchItemFailures.push({ itemIdentifier: record.messageId });
      }
    }
    return { batchItemFailures };
  };
}

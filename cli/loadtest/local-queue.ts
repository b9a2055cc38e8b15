// The local stand-in for SQS and the event source mapping: a bounded queue, drained by the worker
// handler in batches of the blueprint's batch size, waiting up to the batching window for a batch to
// fill, with at most the derived maximum concurrency of batches in flight. A record the handler
// reports in batchItemFailures is delivered again until maxReceiveCount, then counted as sent to
// the dead-letter queue. Redelivery is immediate here (SQS waits for the visibility timeout).
import { createHash, randomUUID } from "node:crypto";
import type { SQSBatchResponse, SQSEvent } from "aws-lambda";

export interface QueueSettings {
  /** Messages the queue holds; a send beyond it is refused (API Gateway then answers 500). */
  capacity: number;
  batchSize: number;
  batchingWindowMs: number;
  maximumConcurrency: number;
  maxReceiveCount: number;
  queueArn: string;
  region: string;
}

export interface QueueStats {
  enqueued: number;
  refusedFull: number;
  invocations: number;
  processed: number;
  failedDeliveries: number;
  deadLettered: number;
  largestBatch: number;
  peakConcurrency: number;
}

interface Message {
  messageId: string;
  body: string;
  receiveCount: number;
  sentAt: number;
}

const POLL_MS = 20;

export class LocalQueue {
  private readonly messages: Message[] = [];
  private running = 0;
  private timer: NodeJS.Timeout | undefined;
  private lastSendAt = 0;
  private emptiedAt = 0;
  readonly stats: QueueStats = {
    enqueued: 0,
    refusedFull: 0,
    invocations: 0,
    processed: 0,
    failedDeliveries: 0,
    deadLettered: 0,
    largestBatch: 0,
    peakConcurrency: 0,
  };

  constructor(
    private readonly settings: QueueSettings,
    private readonly invoke: (event: SQSEvent) => Promise<SQSBatchResponse | void>,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poll(), POLL_MS);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }

  /** The message id, or undefined when the queue is full. */
  send(body: string): string | undefined {
    if (this.messages.length >= this.settings.capacity) {
      this.stats.refusedFull += 1;
      return undefined;
    }
    const messageId = randomUUID();
    this.messages.push({ messageId, body, receiveCount: 0, sentAt: Date.now() });
    this.stats.enqueued += 1;
    this.lastSendAt = Date.now();
    return messageId;
  }

  get depth(): number {
    return this.messages.length;
  }

  /**
   * Waits until every message is processed or dead-lettered and no batch runs; returns the seconds
   * from the last send until the queue was last found empty, or undefined when `maxWaitMs` passed
   * first.
   */
  async drained(maxWaitMs: number): Promise<number | undefined> {
    const until = Date.now() + maxWaitMs;
    while (this.messages.length > 0 || this.running > 0) {
      if (Date.now() > until) return undefined;
      await new Promise((r) => setTimeout(r, POLL_MS));
    }
    return this.lastSendAt === 0 ? 0 : Math.max(0, this.emptiedAt - this.lastSendAt) / 1000;
  }

  private poll(): void {
    const s = this.settings;
    while (this.running < s.maximumConcurrency && this.messages.length > 0) {
      const full = this.messages.length >= s.batchSize;
      if (!full && Date.now() - this.messages[0].sentAt < s.batchingWindowMs) return;
      const batch = this.messages.splice(0, s.batchSize);
      this.running += 1;
      this.stats.peakConcurrency = Math.max(this.stats.peakConcurrency, this.running);
      void this.deliver(batch).finally(() => {
        this.running -= 1;
        if (this.running === 0 && this.messages.length === 0) this.emptiedAt = Date.now();
      });
    }
  }

  private async deliver(batch: Message[]): Promise<void> {
    this.stats.invocations += 1;
    this.stats.largestBatch = Math.max(this.stats.largestBatch, batch.length);
    for (const m of batch) m.receiveCount += 1;
    let failed: Set<string>;
    try {
      const out = await this.invoke(this.event(batch));
      failed = new Set((out?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch {
      // A failed invocation returns the whole batch to the queue.
      failed = new Set(batch.map((m) => m.messageId));
    }
    for (const m of batch) {
      if (!failed.has(m.messageId)) {
        this.stats.processed += 1;
        continue;
      }
      this.stats.failedDeliveries += 1;
      if (m.receiveCount >= this.settings.maxReceiveCount) this.stats.deadLettered += 1;
      else this.messages.push({ ...m, sentAt: Date.now() });
    }
  }

  private event(batch: Message[]): SQSEvent {
    return {
      Records: batch.map((m) => ({
        messageId: m.messageId,
        receiptHandle: `local-${m.messageId}-${m.receiveCount}`,
        body: m.body,
        attributes: {
          ApproximateReceiveCount: String(m.receiveCount),
          SentTimestamp: String(m.sentAt),
          SenderId: "local-load-test",
          ApproximateFirstReceiveTimestamp: String(Date.now()),
        },
        messageAttributes: {},
        md5OfBody: createHash("md5").update(m.body).digest("hex"),
        eventSource: "aws:sqs",
        eventSourceARN: this.settings.queueArn,
        awsRegion: this.settings.region,
      })),
    };
  }
}

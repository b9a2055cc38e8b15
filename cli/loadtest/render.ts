// The text a person reads after a run: the per-route table, the API function's concurrency next to
// its reservation, the queue's drain, what the local target saw, and the verdict with each failure.
import type { LoadTestReport } from "./report";

const HEADER = [
  "stage",
  "route",
  "target/s",
  "sent",
  "achieved/s",
  "p50 ms",
  "p90 ms",
  "p99 ms",
  "errors",
  "429",
  "busy (L)",
];

export function renderText(r: LoadTestReport, files: string[]): string {
  const lines: string[] = [];
  const t = r.declared;
  lines.push(
    `Load test of ${r.team} ${r.env} (${r.stack}): profile ${r.profile}, target ${r.target}`,
    `Declared: sync ${t.sync.requestsPerSecond} req/s, average ${t.sync.averageDurationMs} ms, p99 ${t.sync.p99DurationMs} ms` +
      (t.async
        ? `; async ${t.async.messagesPerSecond} msg/s, worker average ${t.async.averageDurationMs} ms`
        : "; no async traffic"),
    `Derived: API reserved concurrency ${r.derived.apiReservedConcurrency}; worker maximum concurrency ${r.derived.workerMaximumConcurrency}, batch size ${r.derived.batchSize}`,
    "",
  );
  const rows = r.stages.flatMap((s) =>
    s.routes.map((x) => [
      s.label,
      x.route,
      num(x.targetRate),
      String(x.sent),
      num(x.achievedRate),
      x.latencyMs ? num(x.latencyMs.p50, 1) : "-",
      x.latencyMs ? num(x.latencyMs.p90, 1) : "-",
      x.latencyMs ? num(x.latencyMs.p99, 1) : "-",
      String(x.errors),
      String(x.throttled),
      num(x.observedConcurrency, 2),
    ]),
  );
  lines.push(...table([HEADER, ...rows]), "");
  for (const s of r.stages) {
    const f = s.apiFunction;
    lines.push(
      `${s.label}: API function busy ${num(f.observedConcurrency, 2)} on average (rate × mean latency), reserved ${f.reservedConcurrency}` +
        (f.observedConcurrency > f.reservedConcurrency ? "  <-- above the reservation" : "") +
        (f.meanLatencyMs === null
          ? ""
          : `; mean latency ${num(f.meanLatencyMs, 1)} ms, declared average ${t.sync.averageDurationMs} ms`),
    );
  }
  if (r.queue) {
    const q = r.queue;
    lines.push(
      `Queue: ${q.enqueued} jobs enqueued; at the declared ${q.declaredWorkerDurationMs} ms per job and maximum concurrency ${q.workerMaximumConcurrency} the worker drains ${num(q.drainCapacityPerSecond, 2)} jobs/s: ` +
        `${q.backlogAtEnd} left when the load stops, empty about ${num(q.drainSecondsAfterRun, 1)} s later`,
    );
  }
  if (r.local) {
    const a = r.local.api;
    const w = r.local.worker;
    lines.push(
      `Local target${r.local.delayMs ? ` (every invocation slowed by ${r.local.delayMs} ms)` : ""}: API function ${a.invocations} invocations, at most ${a.peakConcurrency} at once of ${a.reservedConcurrency} reserved, ${a.throttled} throttled (429)` +
        `; worker ${w.invocations} batches of up to ${w.largestBatch}, ${w.processed} of ${w.enqueued} jobs processed, ${w.deadLettered} dead-lettered` +
        (w.drainedSecondsAfterLastSend === null
          ? ", queue not empty in time"
          : `, queue empty ${num(w.drainedSecondsAfterLastSend, 2)} s after the last job`),
    );
  }
  lines.push("");
  const failed = r.verdict.checks.filter((c) => !c.ok);
  if (r.verdict.pass) {
    lines.push(`Verdict: PASS (${r.verdict.checks.length} checks)`);
  } else {
    lines.push(`Verdict: FAIL (${failed.length} of ${r.verdict.checks.length} checks failed)`);
    for (const c of failed) lines.push(`  x ${c.stage} ${c.route} ${c.check}: ${c.message}`);
    lines.push("What to change when the verdict fails: docs/loadtest.md");
  }
  lines.push(`Results: ${files.join(", ")}`);
  return `${lines.join("\n")}\n`;
}

function num(x: number, digits = 3): string {
  return String(Math.round(x * 10 ** digits) / 10 ** digits);
}

function table(rows: string[][]): string[] {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  // Text columns left, numbers right.
  return rows.map((r) =>
    r
      .map((cell, i) => (i < 2 ? cell.padEnd(widths[i]) : cell.padStart(widths[i])))
      .join("  ")
      .trimEnd(),
  );
}

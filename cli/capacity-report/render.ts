// The capacity report as aligned plain text (a terminal, the default), Markdown (docs, pull
// requests), CSV (spreadsheets) or JSON (tools).
import type { CapacityRow, PriceTable } from "../../config/cost/estimate";

export type Format = "text" | "markdown" | "csv" | "json";

/**
 * An active account whose blueprints declare no traffic (scheduled work only, or no workload): no
 * traffic columns, but what its blueprints reserve of the Lambda quota and what it costs a month.
 */
export interface BlueprintSizedRow {
  stack: string;
  team: string;
  env: string;
  region: string;
  blueprints: string[];
  reservedConcurrency: number;
  lambdaQuota: number;
  reservableConcurrency: number;
  schedules: number;
  queues: number;
  currency: string;
  /** The blueprints' estimate and the alarms, before headroom; undefined where none prices it. */
  monthlyEstimate?: number;
  /** The account's monthly budget (the estimate with headroom, or the declared limit). */
  budget?: number;
}

export const ASSUMPTIONS = [
  "steady declared traffic all month (730 hours); list prices, first tier, no free tier",
  "async messages enter through the API (direct SQS integration); the worker gets batches of min(batchSize, messages per batching window)",
  "SQS: 1 send per message, 1 receive and 1 delete per batch",
  "DynamoDB: each sync request is one operation on an item up to 1 KB (writePercent % writes at 1 WRU, the rest strongly consistent reads at 1 RRU); each async message writes once",
  "API cache hits are not subtracted from Lambda or DynamoDB (an upper bound)",
  "alarms: every metric of every alarm the team stack synthesizes",
];

const money = (x: number | undefined, currency = "USD") =>
  x === undefined ? "n/a" : `${currency === "USD" ? "$" : `${currency} `}${x.toFixed(2)}`;

function priceNote(rows: { region: string }[], tables: Map<string, PriceTable>): string[] {
  const regions = [...new Set(rows.map((r) => r.region))].sort();
  return regions.map((region) => {
    const t = tables.get(region);
    return t
      ? `Prices: ${region}, ${t.currency}, as of ${t.pricesAsOf} (cli/prices/${region}.json).`
      : `Prices: none for ${region}; add cli/prices/${region}.json for a cost estimate.`;
  });
}

export function renderMarkdown(
  rows: CapacityRow[],
  others: BlueprintSizedRow[],
  tables: Map<string, PriceTable>,
  writePercent: number,
): string {
  const out: string[] = ["## Capacity and monthly cost at declared traffic", ""];
  out.push(...priceNote([...rows, ...others], tables), "");
  out.push(
    "| stack | rps | msg/s | needed | reserved (api + worker) | Lambda quota | reservable | headroom | API throttle / quota | memory api/worker (arch) | monthly cost |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---:|",
  );
  for (const r of rows) {
    out.push(
      `| ${r.stack} | ${r.requestsPerSecond} | ${r.messagesPerSecond} | ${r.neededConcurrency} | ${r.reservedConcurrency} (${r.apiReservedConcurrency} + ${r.workerReservedConcurrency}) | ${r.lambdaQuota} | ${r.reservableConcurrency} | ${r.headroom} (${r.headroomPercent} %) | ${r.apiThrottleRateLimit} / ${r.apiGatewayQuota} | ${r.apiMemoryMb}/${r.workerMemoryMb} MB (${r.architecture}) | ${money(r.cost?.total, r.currency)} |`,
    );
  }
  if (others.length > 0) {
    out.push("", "Accounts sized by their blueprints (no declared traffic):", "");
    out.push(
      "| stack | blueprints | reserved | Lambda quota | reservable | schedules | queues | monthly cost | budget |",
      "|---|---|---:|---:|---:|---:|---:|---:|---:|",
    );
    for (const r of others) {
      out.push(
        `| ${r.stack} | ${r.blueprints.join(", ")} | ${r.reservedConcurrency} | ${r.lambdaQuota} | ${r.reservableConcurrency} | ${r.schedules} | ${r.queues} | ${money(r.monthlyEstimate, r.currency)} | ${money(r.budget, r.currency)} |`,
      );
    }
  }
  out.push("", "Monthly cost by service:", "");
  out.push(
    "| stack | Lambda requests | Lambda GB-s | provisioned | API requests | API cache | SQS | DynamoDB writes | DynamoDB reads | alarms | total |",
    "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
  );
  for (const r of rows) {
    const c = r.cost;
    const m = (x: number | undefined) => money(x, r.currency);
    out.push(
      `| ${r.stack} | ${m(c?.lambdaRequests)} | ${m(c?.lambdaDuration)} | ${m(c?.lambdaProvisioned)} | ${m(c?.apiRequests)} | ${r.cacheSizeGb ? `${m(c?.apiCache)} (${r.cacheSizeGb} GB)` : "-"} | ${m(c?.sqsRequests)} | ${m(c?.dynamodbWrites)} | ${m(c?.dynamodbReads)} | ${m(c?.alarms)} (${r.monthly.alarmMetrics}) | ${m(c?.total)} |`,
    );
  }
  out.push(...totalAndAssumptions(rows, others, writePercent));
  return `${out.join("\n")}\n`;
}

/** The closing lines both tables share: the priced total and what the estimate assumes. */
function totalAndAssumptions(
  rows: CapacityRow[],
  others: BlueprintSizedRow[],
  writePercent: number,
): string[] {
  const total =
    rows.reduce((s, r) => s + (r.cost?.total ?? 0), 0) +
    others.reduce((s, r) => s + (r.monthlyEstimate ?? 0), 0);
  return [
    "",
    `Total of the priced environments: ${money(Math.round(total * 100) / 100)} a month.`,
    "",
    `Assumptions (writePercent = ${writePercent}):`,
    ...ASSUMPTIONS.map((a) => `- ${a}`),
  ];
}

/** Columns padded to their widest cell; numbers (and money) right-aligned. */
function alignedTable(header: string[], rows: string[][]): string[] {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const right = header.map((_, i) => i > 0 && rows.every((r) => /^[-$\d]/.test(r[i])));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (right[i] ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join("  ")
      .trimEnd();
  return [line(header), line(widths.map((w) => "-".repeat(w))), ...rows.map(line)];
}

export function renderText(
  rows: CapacityRow[],
  others: BlueprintSizedRow[],
  tables: Map<string, PriceTable>,
  writePercent: number,
): string {
  const out: string[] = ["Capacity and monthly cost at declared traffic", ""];
  out.push(...priceNote([...rows, ...others], tables), "");
  out.push(
    ...alignedTable(
      [
        "stack",
        "rps",
        "msg/s",
        "needed",
        "reserved",
        "api+worker",
        "quota",
        "reservable",
        "headroom",
        "API throttle/quota",
        "memory api/worker",
        "monthly",
      ],
      rows.map((r) => [
        r.stack,
        String(r.requestsPerSecond),
        String(r.messagesPerSecond),
        String(r.neededConcurrency),
        String(r.reservedConcurrency),
        `${r.apiReservedConcurrency}+${r.workerReservedConcurrency}`,
        String(r.lambdaQuota),
        String(r.reservableConcurrency),
        `${r.headroom} (${r.headroomPercent} %)`,
        `${r.apiThrottleRateLimit}/${r.apiGatewayQuota}`,
        `${r.apiMemoryMb}/${r.workerMemoryMb} MB (${r.architecture})`,
        money(r.cost?.total, r.currency),
      ]),
    ),
  );
  if (others.length > 0) {
    out.push("", "Accounts sized by their blueprints (no declared traffic):", "");
    out.push(
      ...alignedTable(
        [
          "stack",
          "blueprints",
          "reserved",
          "quota",
          "reservable",
          "schedules",
          "queues",
          "monthly",
          "budget",
        ],
        others.map((r) => [
          r.stack,
          r.blueprints.join(", "),
          String(r.reservedConcurrency),
          String(r.lambdaQuota),
          String(r.reservableConcurrency),
          String(r.schedules),
          String(r.queues),
          money(r.monthlyEstimate, r.currency),
          money(r.budget, r.currency),
        ]),
      ),
    );
  }
  out.push(...totalAndAssumptions(rows, others, writePercent));
  out.push("", "Cost by service: npm run capacity -- --format markdown (or csv, json).");
  return `${out.join("\n")}\n`;
}

const CSV_COLUMNS: [string, (r: CapacityRow) => string | number | null | undefined][] = [
  ["stack", (r) => r.stack],
  ["team", (r) => r.team],
  ["environment", (r) => r.env],
  ["region", (r) => r.region],
  ["requests_per_second", (r) => r.requestsPerSecond],
  ["messages_per_second", (r) => r.messagesPerSecond],
  ["needed_concurrency", (r) => r.neededConcurrency],
  ["reserved_concurrency", (r) => r.reservedConcurrency],
  ["api_reserved_concurrency", (r) => r.apiReservedConcurrency],
  ["worker_reserved_concurrency", (r) => r.workerReservedConcurrency],
  ["lambda_quota", (r) => r.lambdaQuota],
  ["reservable_concurrency", (r) => r.reservableConcurrency],
  ["headroom", (r) => r.headroom],
  ["api_gateway_quota_rps", (r) => r.apiGatewayQuota],
  ["api_throttle_rate_limit", (r) => r.apiThrottleRateLimit],
  ["architecture", (r) => r.architecture],
  ["api_memory_mb", (r) => r.apiMemoryMb],
  ["worker_memory_mb", (r) => r.workerMemoryMb],
  ["cache_size_gb", (r) => r.cacheSizeGb],
  ["alarm_metrics", (r) => r.monthly.alarmMetrics],
  ["currency", (r) => r.currency],
  ["cost_lambda_requests", (r) => r.cost?.lambdaRequests],
  ["cost_lambda_duration", (r) => r.cost?.lambdaDuration],
  ["cost_lambda_provisioned", (r) => r.cost?.lambdaProvisioned],
  ["cost_api_requests", (r) => r.cost?.apiRequests],
  ["cost_api_cache", (r) => r.cost?.apiCache],
  ["cost_sqs_requests", (r) => r.cost?.sqsRequests],
  ["cost_dynamodb_writes", (r) => r.cost?.dynamodbWrites],
  ["cost_dynamodb_reads", (r) => r.cost?.dynamodbReads],
  ["cost_alarms", (r) => r.cost?.alarms],
  ["cost_total_monthly", (r) => r.cost?.total],
];

const csvCell = (v: string | number | null | undefined) => {
  const s = v === null || v === undefined ? "" : typeof v === "number" ? String(v) : v;
  return /[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

/** The columns a blueprint-sized account fills; the others (traffic, API, DynamoDB) stay empty. */
const CSV_SIZED_BY_BLUEPRINTS: Record<
  string,
  (r: BlueprintSizedRow) => string | number | undefined
> = {
  stack: (r) => r.stack,
  team: (r) => r.team,
  environment: (r) => r.env,
  region: (r) => r.region,
  reserved_concurrency: (r) => r.reservedConcurrency,
  lambda_quota: (r) => r.lambdaQuota,
  reservable_concurrency: (r) => r.reservableConcurrency,
  currency: (r) => r.currency,
  cost_total_monthly: (r) => r.monthlyEstimate,
};

export function renderCsv(rows: CapacityRow[], others: BlueprintSizedRow[]): string {
  const lines = [CSV_COLUMNS.map(([name]) => name).join(",")];
  for (const r of rows) lines.push(CSV_COLUMNS.map(([, get]) => csvCell(get(r))).join(","));
  for (const r of others)
    lines.push(CSV_COLUMNS.map(([name]) => csvCell(CSV_SIZED_BY_BLUEPRINTS[name]?.(r))).join(","));
  return `${lines.join("\n")}\n`;
}

export function renderJson(
  rows: CapacityRow[],
  others: BlueprintSizedRow[],
  tables: Map<string, PriceTable>,
  writePercent: number,
): string {
  const prices = Object.fromEntries(
    [...new Set([...rows, ...others].map((r) => r.region))]
      .sort()
      .map((region) => [region, tables.get(region)?.pricesAsOf ?? null]),
  );
  return `${JSON.stringify(
    {
      pricesAsOf: prices,
      writePercent,
      assumptions: ASSUMPTIONS,
      environments: rows,
      sizedByBlueprints: others,
    },
    null,
    2,
  )}\n`;
}

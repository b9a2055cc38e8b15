// Dashboards in the observability account: one per team environment, reading that account's
// metrics through the observability link (every metric names its accountId), and one organization
// overview whose Metrics Insights queries rank accounts, so its size does not grow with the teams.
// Bodies are built from literals in a fixed order, so the JSON is byte-for-byte deterministic.
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import type { BlueprintNames } from "../../config/names";
import { LZ_PREFIX } from "../../config/policies";

export const OVERVIEW_DASHBOARD_NAME = `${LZ_PREFIX}organization-overview`;

export interface TeamDashboardInput {
  /** Dashboard name, e.g. lz-payments-prod. */
  name: string;
  names: Omit<BlueprintNames, "alias" | "alarmPrefix">;
  region: string;
  /** The team account's id, quote-free (a literal or a `${local...}` reference). */
  accountId: string;
  apiReservedConcurrency: number;
  workerReservedConcurrency: number;
  apiLatencyP90Ms: number;
  queueAgeSeconds: number;
}

type MetricRow = (string | Record<string, string | number>)[];
interface Widget {
  type: "metric";
  x: number;
  y: number;
  width: number;
  height: number;
  properties: Record<string, unknown>;
}

const WIDTH = 12;
const HEIGHT = 6;

/** Widgets laid out two per row, in the order given. */
function grid(
  region: string,
  panels: { title: string; metrics: unknown[]; horizontal?: { label: string; value: number }[] }[],
): Widget[] {
  return panels.map((p, i) => ({
    type: "metric",
    x: (i % 2) * WIDTH,
    y: Math.floor(i / 2) * HEIGHT,
    width: WIDTH,
    height: HEIGHT,
    properties: {
      title: p.title,
      region,
      view: "timeSeries",
      stacked: false,
      period: 60,
      metrics: p.metrics,
      ...(p.horizontal && { annotations: { horizontal: p.horizontal } }),
    },
  }));
}

export function teamDashboardBody(d: TeamDashboardInput): string {
  const n = d.names;
  const m = (
    namespace: string,
    metric: string,
    dims: [string, string][],
    stat: string,
    label: string,
  ): MetricRow => [namespace, metric, ...dims.flat(), { accountId: d.accountId, label, stat }];
  const api: [string, string][] = [
    ["ApiName", n.restApi],
    ["Stage", n.stage],
  ];
  const fn = (name: string): [string, string][] => [["FunctionName", name]];
  const table: [string, string][] = [["TableName", n.table]];
  const widgets = grid(d.region, [
    {
      title: "API latency p90 / p99 (ms)",
      metrics: [
        m("AWS/ApiGateway", "Latency", api, "p90", "p90"),
        m("AWS/ApiGateway", "Latency", api, "p99", "p99"),
      ],
      horizontal: [{ label: "p90 alarm", value: d.apiLatencyP90Ms }],
    },
    {
      title: "API 5XX / 4XX responses",
      metrics: [
        m("AWS/ApiGateway", "5XXError", api, "Sum", "5XX"),
        m("AWS/ApiGateway", "4XXError", api, "Sum", "4XX"),
      ],
    },
    {
      title: "Lambda errors and throttles",
      metrics: [
        m("AWS/Lambda", "Errors", fn(n.apiFunction), "Sum", "api errors"),
        m("AWS/Lambda", "Throttles", fn(n.apiFunction), "Sum", "api throttles"),
        m("AWS/Lambda", "Errors", fn(n.workerFunction), "Sum", "worker errors"),
        m("AWS/Lambda", "Throttles", fn(n.workerFunction), "Sum", "worker throttles"),
      ],
    },
    {
      title: "Lambda concurrency against reserved",
      metrics: [
        m("AWS/Lambda", "ConcurrentExecutions", fn(n.apiFunction), "Maximum", "api"),
        m("AWS/Lambda", "ConcurrentExecutions", fn(n.workerFunction), "Maximum", "worker"),
      ],
      horizontal: [
        { label: "api reserved", value: d.apiReservedConcurrency },
        { label: "worker reserved", value: d.workerReservedConcurrency },
      ],
    },
    {
      title: "SQS oldest message age (s) and DLQ depth",
      metrics: [
        m(
          "AWS/SQS",
          "ApproximateAgeOfOldestMessage",
          [["QueueName", n.queue]],
          "Maximum",
          "oldest message age",
        ),
        m(
          "AWS/SQS",
          "ApproximateNumberOfMessagesVisible",
          [["QueueName", n.deadLetterQueue]],
          "Maximum",
          "DLQ depth",
        ),
      ],
      horizontal: [{ label: "age alarm", value: d.queueAgeSeconds }],
    },
    {
      title: "DynamoDB throttles",
      metrics: [
        m("AWS/DynamoDB", "ReadThrottleEvents", table, "Sum", "read throttles"),
        m("AWS/DynamoDB", "WriteThrottleEvents", table, "Sum", "write throttles"),
      ],
    },
  ]);
  return JSON.stringify({ widgets });
}

/** Top accounts per region, across every linked account: constant size whatever the team count. */
export function overviewDashboardBody(regions: string[]): string {
  // Ranked by the query's own aggregate; Metrics Insights returns at most the top 20 accounts.
  const top = (id: string, query: string) => {
    const fn = query.slice("SELECT ".length, query.indexOf("("));
    return [{ expression: `${query} GROUP BY AWS.AccountId ORDER BY ${fn}() DESC LIMIT 20`, id }];
  };
  const widgets = regions.flatMap((region, r) =>
    grid(region, [
      {
        title: `${region}: Lambda concurrent executions by account`,
        metrics: [top("concurrency", `SELECT MAX(ConcurrentExecutions) FROM SCHEMA("AWS/Lambda")`)],
      },
      {
        title: `${region}: API 5XX by account`,
        metrics: [
          top("api5xx", `SELECT SUM("5XXError") FROM SCHEMA("AWS/ApiGateway", ApiName, Stage)`),
        ],
      },
      {
        title: `${region}: Lambda throttles by account`,
        metrics: [
          top("throttles", `SELECT SUM(Throttles) FROM SCHEMA("AWS/Lambda", FunctionName)`),
        ],
      },
      {
        title: `${region}: SQS oldest message age by account`,
        metrics: [
          top("age", `SELECT MAX(ApproximateAgeOfOldestMessage) FROM SCHEMA("AWS/SQS", QueueName)`),
        ],
      },
      {
        title: `${region}: DynamoDB throttled requests by account`,
        metrics: [
          top(
            "ddb",
            `SELECT SUM(ThrottledRequests) FROM SCHEMA("AWS/DynamoDB", Operation, TableName)`,
          ),
        ],
      },
    ]).map((w) => ({ ...w, y: w.y + r * 3 * HEIGHT })),
  );
  return JSON.stringify({ widgets });
}

export interface DashboardsProps {
  provider?: AwsProvider;
  teams: TeamDashboardInput[];
  regions: string[];
}

export class Dashboards extends Construct {
  constructor(scope: Construct, id: string, props: DashboardsProps) {
    super(scope, id);
    // Dashboards are global in CloudWatch; each widget names the region it reads.
    new CloudwatchDashboard(this, "overview", {
      provider: props.provider,
      dashboardName: OVERVIEW_DASHBOARD_NAME,
      dashboardBody: overviewDashboardBody(props.regions),
    });
    for (const t of props.teams) {
      new CloudwatchDashboard(this, t.name, {
        provider: props.provider,
        dashboardName: t.name,
        dashboardBody: teamDashboardBody(t),
      });
    }
  }
}

// The run as a picture: per route, latency percentiles each second against the declared p99, and the
// rate achieved each second against the rate asked for. A Vega-Lite spec rendered to SVG headlessly
// (no browser, no canvas). Vega is ESM with top-level await, so it is loaded with import().
import type { Series } from "./analyze";

export interface ChartInput {
  title: string;
  p99Limit: number;
  series: Series[];
}

export function chartSpec(input: ChartInput): Record<string, unknown> {
  const latency = input.series.flatMap((s) =>
    (["p50", "p90", "p99"] as const)
      .filter((p) => s[p] !== null)
      .map((p) => ({
        second: s.second,
        route: s.route,
        percentile: p,
        ms: s[p],
        limit: s.route === "POST /jobs" ? null : input.p99Limit,
      })),
  );
  const rate = input.series.flatMap((s) => [
    { second: s.second, route: s.route, kind: "achieved", perSecond: s.sent },
    { second: s.second, route: s.route, kind: "target", perSecond: s.targetRate },
  ]);
  const x = { field: "second", type: "quantitative", title: "seconds since start" };
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: input.title,
    background: "white",
    // Percentiles and routes are different things: each panel keeps its own colours and legend.
    resolve: { scale: { color: "independent" }, legend: { color: "independent" } },
    vconcat: [
      {
        data: { values: latency },
        facet: { row: { field: "route", type: "nominal", title: null } },
        spec: {
          width: 640,
          height: 140,
          layer: [
            {
              mark: { type: "line", point: true },
              encoding: {
                x,
                y: { field: "ms", type: "quantitative", title: "latency (ms)" },
                color: {
                  field: "percentile",
                  type: "nominal",
                  scale: {
                    domain: ["p50", "p90", "p99"],
                    range: ["#4c78a8", "#f58518", "#e45756"],
                  },
                },
              },
            },
            {
              transform: [{ filter: "datum.limit !== null" }],
              mark: { type: "rule", strokeDash: [6, 4], color: "#b00" },
              encoding: { y: { field: "limit", type: "quantitative", aggregate: "max" } },
            },
          ],
        },
        resolve: { scale: { y: "independent" } },
      },
      {
        data: { values: rate },
        width: 640,
        height: 160,
        title: "requests per second, 5 s moving average (dashed: asked for)",
        encoding: {
          x,
          y: { field: "perSecond", type: "quantitative", title: "requests / s" },
          color: { field: "route", type: "nominal" },
        },
        layer: [
          {
            transform: [{ filter: "datum.kind === 'target'" }],
            mark: { type: "line", interpolate: "step-after", strokeDash: [6, 4] },
          },
          {
            // Whole requests per second alternate around a fractional rate (2, 3, 2 for 2.5/s):
            // the moving average shows the rate held, or lost.
            transform: [
              { filter: "datum.kind === 'achieved'" },
              {
                window: [{ op: "mean", field: "perSecond", as: "average" }],
                frame: [-2, 2],
                groupby: ["route"],
                sort: [{ field: "second" }],
              },
            ],
            mark: { type: "line" },
            encoding: { y: { field: "average", type: "quantitative", title: "requests / s" } },
          },
        ],
      },
    ],
  };
}

const VEGA_LITE = "vega-lite";

export async function renderChartSvg(input: ChartInput): Promise<string> {
  const vega = await import("vega");
  // vega-lite declares its types through package exports only, which this project's module
  // resolution (node10, for CommonJS) does not read: the types are named by path instead.
  const vl = (await import(VEGA_LITE)) as typeof import("vega-lite/build/index");
  const view = new vega.View(vega.parse(vl.compile(chartSpec(input) as never).spec), {
    renderer: "none",
  });
  const svg = await view.toSVG();
  view.finalize();
  return svg;
}

// What the estimate reads besides the configuration: the checked-in price tables, and the alarms the
// team stacks really define (counted from their synthesized Terraform JSON, so the cost follows the
// alarms module instead of a copy of its list).
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import type { LandingZone } from "../../config/model";
import { planStacks } from "../../stacks";
import { synthesize } from "../../stacks/synth";
import type { AlarmMetrics, PriceTable } from "./estimate";

/** The repository root: the nearest folder above this file (or its build/ copy) with package.json. */
function repoRoot(from = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, "package.json"))) return dir;
    if (dirname(dir) === dir) throw new Error(`no package.json above ${from}`);
  }
}

export const PRICES_DIR = join(repoRoot(), "cli", "prices");

export function loadPriceTables(dir = PRICES_DIR): Map<string, PriceTable> {
  const tables = new Map<string, PriceTable>();
  for (const file of readdirSync(dir).sort()) {
    if (!file.endsWith(".json")) continue;
    const table = JSON.parse(readFileSync(join(dir, file), "utf8")) as PriceTable;
    if (`${table.region}.json` !== file) {
      throw new Error(
        `cli/prices/${file}: region is ${table.region}; the file must be named after it`,
      );
    }
    tables.set(table.region, table);
  }
  return tables;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = Record<string, any>;

/** Metrics the alarms are billed for: one each, or each metric of a metric-math query. */
export function alarmMetricsOf(alarms: Json[]): AlarmMetrics {
  const out: AlarmMetrics = { standard: 0, highResolution: 0 };
  for (const alarm of alarms) {
    const queries: Json[] = alarm.metric_query ?? [];
    // A query-only alarm (Metrics Insights) is billed at least as one metric.
    const queried = queries.filter((q) => q.metric);
    const metrics = queried.length > 0 ? queried : [alarm];
    for (const m of metrics) {
      const period = m.metric ? (m.metric[0]?.period ?? m.metric.period) : m.period;
      if (typeof period === "number" && period < 60) out.highResolution++;
      else out.standard++;
    }
  }
  return out;
}

/** Synthesizes the team stacks into a scratch folder and counts their alarm metrics, by stack id. */
export function countTeamAlarms(lz: LandingZone): Map<string, AlarmMetrics> {
  const plans = planStacks(lz).filter((p) => p.id.startsWith("team-"));
  const scratch = mkdtempSync(join(tmpdir(), "lz-capacity-"));
  try {
    const outdir = join(scratch, "cdktf.out");
    synthesize(plans, outdir);
    const out = new Map<string, AlarmMetrics>();
    for (const { id } of plans) {
      const stack = JSON.parse(
        readFileSync(join(outdir, "stacks", id, "cdk.tf.json"), "utf8"),
      ) as Json;
      out.set(id, alarmMetricsOf(Object.values(stack.resource?.aws_cloudwatch_metric_alarm ?? {})));
    }
    return out;
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

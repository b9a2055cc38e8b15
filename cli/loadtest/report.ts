// The result of a run as one JSON document, and how it and its chart are written: both under
// deterministic names (`<team>-<env>-<profile>.json` and `.svg`), each written whole then renamed, so
// a reader never finds half a file and a failed run leaves the previous result untouched.
import { mkdirSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { TrafficProfile } from "../../config/capacity";
import type { Check, QueueReport, Series, StageReport } from "./analyze";
import type { Authorization } from "./auth";
import type { LocalStats } from "./local-target";
import type { Profile } from "./profile";

export interface LoadTestReport {
  team: string;
  env: string;
  stack: string;
  profile: Profile;
  /** `local`, or the stage URL. */
  target: string;
  authorization: Authorization;
  startedAt: string;
  declared: TrafficProfile;
  derived: {
    apiReservedConcurrency: number;
    workerMaximumConcurrency: number;
    workerReservedConcurrency: number;
    batchSize: number;
    apiThrottleRateLimit: number;
    apiThrottleBurstLimit: number;
  };
  stages: StageReport[];
  queue?: QueueReport;
  local?: LocalStats;
  verdict: { pass: boolean; checks: Check[] };
  series: Series[];
}

export function resultFiles(outDir: string, r: Pick<LoadTestReport, "team" | "env" | "profile">) {
  const base = join(outDir, `${r.team}-${r.env}-${r.profile}`);
  return { json: `${base}.json`, chart: `${base}.svg` };
}

export function writeResults(outDir: string, report: LoadTestReport, svg: string): string[] {
  const files = resultFiles(outDir, report);
  mkdirSync(outDir, { recursive: true });
  const parts: [string, string][] = [
    [files.json, `${JSON.stringify(report, null, 2)}\n`],
    [files.chart, svg],
  ];
  const partial = parts.map(([f]) => `${f}.${process.pid}.partial`);
  try {
    parts.forEach(([, text], i) => writeFileSync(partial[i], text));
    parts.forEach(([f], i) => renameSync(partial[i], f));
  } finally {
    for (const p of partial) rmSync(p, { force: true });
  }
  return [files.json, files.chart];
}

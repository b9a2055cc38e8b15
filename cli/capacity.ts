// `npm run capacity [-- --format text|markdown|csv|json] [--write-percent <0-100>]`: per active team
// environment, the declared traffic, needed and reserved concurrency, the account quota and headroom,
// and a monthly cost estimate of the blueprint from the checked-in price table (cli/prices/); then the
// accounts whose blueprints declare no traffic, with what they reserve, cost and budget.
import { loadLandingZone } from "../config/load";
import { allTeamEnvironments, isSized, type LandingZone } from "../config/model";
import { LAMBDA_ARCHITECTURE } from "../modules/service-blueprint/functions";
import { exitCodeOf, oneOf, parseFlags, UsageError } from "./args";
import { estimate } from "../config/cost/estimate";
import { countTeamAlarms, loadPriceTables } from "./capacity-report/inputs";
import { budgetLimit } from "../config/cost/budget";
import {
  type BlueprintSizedRow,
  renderCsv,
  renderJson,
  renderMarkdown,
  renderText,
  type Format,
} from "./capacity-report/render";

export const USAGE = `Usage: npm run capacity -- [--format text|markdown|csv|json] [--write-percent <0-100, default 20>]
  Per active team environment: declared traffic, concurrency, quota headroom and a monthly cost estimate.`;

/** The report for every active team environment, as the command prints it (npm run docs embeds it). */
export function renderCapacity(lz: LandingZone, format: Format, writePercent: number): string {
  const tables = loadPriceTables();
  const alarms = countTeamAlarms(lz);
  // Suspended and closed accounts serve no traffic and synthesize no blueprint.
  const rows = allTeamEnvironments(lz)
    .filter((e) => e.account.status === "active")
    // These rows describe declared traffic; accounts whose blueprints declare none follow below.
    .filter(isSized)
    .map((e) =>
      estimate(
        e,
        {
          architecture: LAMBDA_ARCHITECTURE,
          writePercent,
          alarms: alarms.get(e.account.stackId) ?? { standard: 0, highResolution: 0 },
        },
        tables.get(e.region),
      ),
    );
  // Accounts whose blueprints declare no traffic: what they reserve and cost, from the blueprints.
  const others: BlueprintSizedRow[] = allTeamEnvironments(lz)
    .filter((e) => e.account.status === "active" && !isSized(e))
    .map((e) => {
      const prices = tables.get(e.region);
      const budget = budgetLimit(
        e,
        { alarms: alarms.get(e.account.stackId) ?? { standard: 0, highResolution: 0 } },
        prices,
      );
      return {
        stack: e.account.stackId,
        team: e.team.name,
        env: e.env,
        region: e.region,
        blueprints: e.blueprints.map((u) => u.name),
        reservedConcurrency: e.capacity.reservedConcurrency,
        lambdaQuota: e.quotas.lambdaConcurrentExecutions,
        reservableConcurrency: e.capacity.reservableConcurrency,
        schedules: e.capacity.schedules,
        queues: e.capacity.queues,
        currency: prices?.currency ?? "USD",
        monthlyEstimate: budget?.estimate,
        budget: budget?.amount,
      };
    });
  return format === "csv"
    ? renderCsv(rows, others)
    : format === "json"
      ? renderJson(rows, others, tables, writePercent)
      : format === "markdown"
        ? renderMarkdown(rows, others, tables, writePercent)
        : renderText(rows, others, tables, writePercent);
}

export function main(argv: string[]): number {
  try {
    const { values } = parseFlags(
      {
        args: argv,
        options: { format: { type: "string" }, "write-percent": { type: "string" } },
      },
      USAGE,
    );
    const format = oneOf<Format>(
      "format",
      values.format,
      ["text", "markdown", "csv", "json"],
      "text",
    );
    const raw = values["write-percent"] ?? "20";
    const writePercent = Number(raw);
    if (
      raw.trim() === "" ||
      !Number.isFinite(writePercent) ||
      writePercent < 0 ||
      writePercent > 100
    ) {
      throw new UsageError(
        `--write-percent: must be a number from 0 to 100 (got ${JSON.stringify(raw)})`,
      );
    }

    process.stdout.write(renderCapacity(loadLandingZone(), format, writePercent));
    return 0;
  } catch (e) {
    return exitCodeOf(e);
  }
}

if (require.main === module) process.exitCode = main(process.argv.slice(2));

// Settings merge level by level: schema defaults <- organization <- team <- environment. Defaults
// are declared once, in the schema, on the lowest level a user writes; a level above leaves a field
// unset to keep the value below, so its schema must not fill in defaults of its own.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { loadLandingZone } from "../config/load";
import { allTeamEnvironments } from "../config/model";
import {
  removeDir,
  copyExampleAccounts,
  EXAMPLE_ACCOUNTS,
  REPO,
  synthAccounts,
  writeFiles,
  type TfJson,
} from "./helpers";

const TEAM = `name: layers
owners:
  - name: Someone
    email: someone@acme.example
costCenter: CC-1
blueprint:
  functions:
    api: { memoryMb: 1024 }
alarms:
  quotaWarningPercent: 70
environments:
  dev:
    traffic:
      sync: { requestsPerSecond: 4, averageDurationMs: 50, p99DurationMs: 3000 }
    blueprint:
      functions:
        api: { provisionedConcurrency: 1 }
    alarms:
      lambdaThrottles: 3
`;

describe("a team's settings under an environment's overrides", () => {
  let dir: string;
  let api: TfJson;
  let alarms: Record<string, TfJson>;
  beforeAll(() => {
    dir = copyExampleAccounts();
    writeFiles(dir, { "teams/layers.yaml": TEAM });
    const out = synthAccounts(dir, "team-layers-dev");
    api = Object.values(out.resources("team-layers-dev", "aws_lambda_function")).find((f) =>
      String(f.function_name).endsWith("-api"),
    )!;
    alarms = out.resources("team-layers-dev", "aws_cloudwatch_metric_alarm");
  });
  afterAll(() => removeDir(dir));

  test("the environment's override of one field keeps the team's others", () => {
    expect(api.memory_size).toBe(1024); // the team's, not the default 512
    expect(api.timeout).toBe(10); // the schema default, set by no level
  });

  test("thresholds: the team's, the environment's, the default and the derived", () => {
    const threshold = (suffix: string) =>
      Object.values(alarms).find((a) => String(a.alarm_name).endsWith(suffix))!.threshold;
    expect(threshold("quota-lambda-concurrency-warning")).toBe(70); // team
    expect(threshold("api-throttles")).toBe(3); // environment
    expect(threshold("quota-lambda-concurrency-critical")).toBe(100); // organization default
    expect(threshold("api-latency-p90")).toBe(3000); // derived from the declared p99
  });
});

test("the example's payments prod keeps the team's memory under its provisioned concurrency", () => {
  const prod = allTeamEnvironments(
    loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO }),
  ).find((e) => e.account.stackId === "team-payments-prod")!;
  expect(prod.blueprint.functions.api).toMatchObject({
    memoryMb: 1024,
    provisionedConcurrency: 10,
  });
});

test("editors see a default where a field is first written, and none where it is overridden", () => {
  const schema = JSON.parse(readFileSync(join(REPO, "schemas", "team.schema.json"), "utf8"));
  const api = (blueprint: TfJson) => blueprint.properties.functions.properties.api.properties;
  expect(api(schema.properties.blueprint).memoryMb.default).toBe(512);
  const env = schema.properties.environments.additionalProperties.properties;
  expect(api(env.blueprint).memoryMb).not.toHaveProperty("default");
  expect(api(env.blueprint).memoryMb.description).toBe("Memory in MB (CPU grows with it)");
  expect(env.alarms.properties.quotaWarningPercent).not.toHaveProperty("default");
});

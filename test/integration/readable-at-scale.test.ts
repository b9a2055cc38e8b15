// At 250 teams the human-facing outputs stay usable: `npm run validate` prints one screen, and the
// diagram collapses team accounts per OU so it renders within Mermaid's default limits.
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { renderMermaid } from "../../cli/diagram";
import { summarize } from "../../cli/validate";
import { loadLandingZone } from "../../config/load";
import type { LandingZone } from "../../config/model";
import { benchTeamName } from "../../cli/bench-organization";
import { generatedAccounts, removeDir } from "../helpers";

const TEAMS = 250;
const SUSPENDED = [7, 70, 170];
const WAIVED = 30;

let lz: LandingZone;
beforeAll(() => {
  // The example with 250 generated teams (scale-0001 ...) in dev, prod and staging, three of them
  // with dev suspended, and 30 waivers.
  const dir = generatedAccounts(TEAMS, { prefix: "scale", envs: 3, keepTeams: true });
  try {
    for (const i of SUSPENDED) {
      const file = join(dir, "teams", `${benchTeamName(i, "scale")}.yaml`);
      const team = parseDocument(readFileSync(file, "utf8"));
      team.setIn(["environments", "dev", "status"], "suspended");
      writeFileSync(file, team.toString());
    }
    const ledger = join(dir, "ledger.yaml");
    writeFileSync(
      ledger,
      readFileSync(ledger, "utf8") +
        SUSPENDED.map(
          (i) => `  ${benchTeamName(i, "scale")}:\n    dev: [active, suspended]\n`,
        ).join(""),
    );
    const org = join(dir, "organization.yaml");
    const waivers = Array.from(
      { length: WAIVED },
      (_, i) =>
        `    - { rule: ${i % 2 ? "table-pitr" : "queue-dlq"}, resource: team-${benchTeamName(i + 100, "scale")}-prod/service/x, reason: Load test fixture only }\n`,
    ).join("");
    writeFileSync(
      org,
      readFileSync(org, "utf8").replace(
        "\ncloudTrail:",
        `\nguardrails:\n  waivers:\n${waivers}\ncloudTrail:`,
      ),
    );
    lz = loadLandingZone({ accountsDir: dir, cwd: dir });
  } finally {
    removeDir(dir);
  }
});

test("npm run validate's summary stays one screen, with totals and the tightest environments", () => {
  const lines = summarize(lz).split("\n");
  expect(lines.length).toBeLessThanOrEqual(50);
  expect(lines).toContain(
    `Teams (${TEAMS + 4}): ${TEAMS * 3 + 9} environments, ${TEAMS * 3 + 9 - 3} active, 3 suspended, 0 closed`,
  );
  const tight = lines.slice(lines.indexOf("  closest to their Lambda quota:") + 1);
  expect(
    tight.slice(0, 10).every((l) => /^ {4}\S+ \S+ \d+ rps, \d+\/\d+ concurrency$/.test(l)),
  ).toBe(true);
  // payments prod reserves 160 of 900 (17.8 %), catalog prod 336 of 1900 (17.7 %).
  expect(tight[0]).toMatch(/^ {4}payments prod /);
  // Access: one line per environment, team groups by their template, inactive accounts counted.
  expect(lines).toContain(
    `  dev accounts (${TEAMS + 4 - 3} active): platform-admins: PlatformAdmin; {team}-developers: TeamDeveloper; {team}-readers: TeamReadOnly`,
  );
  expect(lines).toContain(
    `  prod accounts (${TEAMS + 3} active): platform-admins: PlatformAdmin; {team}-developers: TeamReadOnly; {team}-readers: TeamReadOnly`,
  );
  expect(lines).toContain("  3 suspended or closed account(s): no access");
  expect(lines).toContain("  1 team(s) name their own groups: notifications");
  expect(lines).toContain(`Guardrail waivers (${WAIVED}):`);
  expect(lines).toContain(
    "  queue-dlq 15, table-pitr 15 (each with its reason in organization.yaml)",
  );
});

test("the diagram collapses team accounts per OU and stays within Mermaid's limits", () => {
  const diagram = renderMermaid(lz);
  expect(diagram.length).toBeLessThan(50_000);
  const edges = diagram.split("\n").filter((l) => / (-->|---) /.test(l));
  expect(edges.length).toBeLessThan(500);
  expect(diagram).toContain(
    `  teams_Workloads_NonProd("${TEAMS * 2 + 6 - 3} team accounts (${TEAMS * 2 + 6 - 3} active)<br/>of ${TEAMS + 4} teams; npm run validate lists them")`,
  );
  expect(diagram).toContain("  ou_Workloads_NonProd --> teams_Workloads_NonProd");
  // Few enough suspended accounts are still drawn one by one, and the core accounts always are.
  expect(diagram).toContain("  ou_Suspended --> acct_team_scale_0007_dev");
  expect(diagram).toContain("  ou_Security --> acct_security");
});

// The pull-request comment at the scale the landing zone is sold for: 3,000 changed stacks, made
// from the fixture plans by renaming (test/fixtures/plans), stay under GitHub's 65,536 characters,
// identical changes grouped, every failed plan named, the truncation said in one truthful line.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as planSummaryMain } from "../cli/plan-summary";
import { runCommand } from "./cli";
import { removeDir, REPO } from "./helpers";

const FIXTURES = join(REPO, "test/fixtures/plans");
/** Only what the review reads: the fixture's changes and drift. */
function fixture(name: string): string {
  const plan = JSON.parse(readFileSync(join(FIXTURES, `${name}.json`), "utf8"));
  return JSON.stringify({
    format_version: plan.format_version,
    resource_changes: plan.resource_changes,
    resource_drift: plan.resource_drift,
  });
}

/** The team fixture as team `team`'s stack in account `account`, its Lambda memory `memory` MB. */
function teamPlan(source: string, team: string, env: string, account: string, memory?: number) {
  let text = source
    .replaceAll("payments-prod", `${team}-${env}`)
    .replaceAll('"team": "payments"', `"team": "${team}"`)
    .replaceAll('"team":"payments"', `"team":"${team}"`)
    .replaceAll("210987654321", account);
  if (memory !== undefined) text = text.replace('"memory_size":1536', `"memory_size":${memory}`);
  return text;
}

let dir: string;
let files: string[];
const failed = ["team-f001-prod", "team-f002-prod", "team-f003-dev"];
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "lz-comment-"));
  const team = fixture("team-payments-prod");
  files = [];
  const write = (stack: string, text: string) => {
    const file = join(dir, `${stack}.json`);
    writeFileSync(file, text);
    files.push(file);
  };
  write("organization", fixture("organization"));
  // 2,000 stacks making the same changes, each under its own names and account.
  for (let i = 0; i < 2000; i++) {
    const t = `t${String(i).padStart(4, "0")}`;
    write(`team-${t}-prod`, teamPlan(team, t, "prod", String(100000000000 + i)));
  }
  // 999 stacks that each set another memory size: as many groups, more than the comment can show.
  for (let i = 0; i < 999; i++) {
    const t = `u${String(i).padStart(4, "0")}`;
    write(`team-${t}-prod`, teamPlan(team, t, "prod", String(200000000000 + i), 2048 + i));
  }
});
afterAll(() => removeDir(dir));

const comment = (args: string[]) => runCommand(planSummaryMain, [...args, "--format", "markdown"]);

test("3,000 changed stacks: under 65,536 characters, grouped, failures named, the rest counted truthfully", () => {
  expect(files).toHaveLength(3000);
  const r = comment([...files, "--failed", failed.join(",")]);
  expect(r.code).toBe(0);
  const text = r.stdout;
  expect(text.length).toBeLessThanOrEqual(65_000);
  const lines = text.split("\n");
  expect(lines[0]).toBe("<!-- landing-zone-plan -->");
  expect(lines[1]).toBe("## Plan review: 3,003 stack(s), 3,000 with changes");
  expect(text).toContain(
    "**3 plan(s) failed**, their changes are not reviewed here: `team-f001-prod`, `team-f002-prod`, `team-f003-dev`.",
  );
  // The 2,000 identical stacks are one group, their changes shown once with placeholders.
  expect(text).toContain(
    "#### the same 6 change(s) in 2,000 stacks: 1 to create, 3 to update, 1 to replace, 1 to delete; 4 need(s) attention",
  );
  expect(text).toContain("table/<team>-<env>-items");
  // Counted per phase: the organization, then the team stacks (by kind without --graph).
  expect(text).toContain("| 1 | 1 | 1 | 1 | 3 | 0 | 0 | 1 |");
  expect(text).toContain("| 3 | 2,999 | 2,999 | 2,999 | 8,997 | 2,999 | 2,999 | 2,999 |");
  // Every stack is in a group shown (its heading counts it) or in the closing line's count.
  const shown = [
    ...text.matchAll(/^#### (?:the same [\d,]+ change\(s\) in ([\d,]+) stacks|`[^`]+`):/gm),
  ]
    .map((m) => (m[1] ? Number(m[1].replaceAll(",", "")) : 1))
    .reduce((a, b) => a + b, 0);
  const more =
    /^…and ([\d,]+) more stack\(s\) with changes in ([\d,]+) more group\(s\); full summary in the job summary \/ artifact\.$/m.exec(
      text,
    );
  expect(more).not.toBeNull();
  expect(shown + Number(more![1].replaceAll(",", ""))).toBe(3000);
  // Every stack of the 999 groups of one is named: with its changes, or in the list of stacks
  // needing attention whose changes did not fit.
  expect(text).toMatch(
    /^Also changed, and needing attention \(their changes are not shown here; /m,
  );
  for (let i = 0; i < 999; i++)
    expect(text).toContain(`\`team-u${String(i).padStart(4, "0")}-prod\``);
  // The most severe first: the organization's account change is not left out for team stacks.
  expect(text.indexOf("#### the same 6 change(s) in 2,000 stacks")).toBeGreaterThan(0);
  // The comment ends with the closing line, not inside a table or a code block.
  expect(lines.at(-2)).toBe(more![0]);
  expect((text.match(/```/g) ?? []).length % 2).toBe(0);
});

test("the same plans in another order give the same comment, byte for byte", () => {
  const a = comment(files.slice(0, 300)).stdout;
  const b = comment([...files.slice(0, 300)].reverse()).stdout;
  expect(b).toBe(a);
});

test("--max-chars bounds the comment; below the minimum is a usage error", () => {
  // 500 stacks with different changes each: 500 groups, far more than 10,000 characters.
  const r = comment([...files.slice(2001, 2501), "--max-chars", "10000"]);
  expect(r.stdout.length).toBeLessThanOrEqual(10_000);
  expect(r.stdout).toMatch(/^…and [\d,]+ more stack\(s\)/m);
  const bad = comment([files[0], "--max-chars", "100"]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(
    /^--max-chars: must be a whole number of characters from 2000 to 10000000 \(got "100"\)/m,
  );
});

test("text and JSON stay complete: every stack is in them", () => {
  const some = files.slice(0, 120);
  const text = runCommand(planSummaryMain, some).stdout;
  expect(text.match(/^== /gm)).toHaveLength(120);
  const json = JSON.parse(
    runCommand(planSummaryMain, [...some, "--format", "json", "--failed", "team-x-dev"]).stdout,
  );
  expect(json.stacks).toHaveLength(120);
  expect(json.failed).toEqual(["team-x-dev"]);
});

test("--graph: the phases of npm run validate -- --graph --format json", () => {
  const graph = join(dir, "graph.json");
  // The organization in phase 1, the first 10 team stacks in phase 2, the rest unlisted (last).
  const teams = files.slice(1, 11).map((f) =>
    f
      .split("/")
      .at(-1)!
      .replace(/\.json$/, ""),
  );
  writeFileSync(graph, JSON.stringify({ phases: [["organization"], teams], needs: {} }));
  const r = comment([...files.slice(0, 20), "--graph", graph]);
  expect(r.stdout).toContain("| 1 | 1 | 1 | 1 | 3 | 0 | 0 | 1 |");
  expect(r.stdout).toContain("| 2 | 10 | 10 | 10 | 30 | 10 | 10 | 10 |");
  expect(r.stdout).toContain("| 5 | 9 | 9 | 9 | 27 | 9 | 9 | 9 |");
  writeFileSync(graph, JSON.stringify({ phases: "organization" }));
  const bad = comment([files[0], "--graph", graph]);
  expect(bad.code).toBe(2);
  expect(bad.stderr).toMatch(
    /^--graph: .*graph\.json: phases: must be a list of lists of stack ids/m,
  );
});

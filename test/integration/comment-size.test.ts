// The pull-request comment at the scale the landing zone is sold for: a change to a default plans
// the same changes in 3,006 stacks (1,000 teams in dev and prod), a few stacks need attention and a
// few plans failed. The comment the workflow posts (`plan-summary --format markdown --failed`) stays
// under GitHub's 65,536 characters, starts with the sticky comment's marker, and names every stack
// that needs attention and every failed plan. (The renderer is the plan review's, issue #20's
// contract between branches; this is the workflow's side of it.)
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, removeDir } from "../helpers";

const TEAMS = 1000;
let work: string;
afterAll(() => removeDir(work));

type Actions = string[];
const change = (address: string, actions: Actions, before: unknown, after: unknown) => {
  const [type, name] = address.split(".");
  return { address, mode: "managed", type, name, change: { actions, before, after } };
};

/** A plan.json as `terraform show -json` writes it (the fields the review reads). */
function plan(changes: ReturnType<typeof change>[]): string {
  return JSON.stringify({ format_version: "1.2", resource_changes: changes });
}

test("3,006 changed stacks: the comment is under 65,536 characters and names what needs attention", () => {
  work = mkdtempSync(join(tmpdir(), "lz-comment-size-"));
  const core = [
    "organization",
    "log-archive",
    "access",
    "organization-trail",
    "security",
    "observability",
  ];
  const teams = Array.from({ length: TEAMS }, (_, i) => `bench-${String(i + 1).padStart(4, "0")}`);
  const ids = [
    ...core,
    ...teams.flatMap((t) => [`team-${t}-dev`, `team-${t}-prod`, `access-${t}`]),
  ];
  expect(ids).toHaveLength(3006);
  // The same three tag updates everywhere (a changed default), a replaced bucket in five stacks.
  const tags = (n: string) => ({ tags: { organization: n } });
  const same = [
    change("aws_s3_bucket.logs", ["update"], tags("acme"), tags("acme-corp")),
    change("aws_iam_role.deploy", ["update"], tags("acme"), tags("acme-corp")),
    change("aws_kms_key.main", ["update"], tags("acme"), tags("acme-corp")),
  ];
  const attention = ids.filter((id) => id.endsWith("-prod")).slice(0, 5);
  const failed = ["team-bench-0999-dev", "access-bench-1000"];
  const args: string[] = [];
  for (const id of ids.filter((id) => !failed.includes(id))) {
    const changes = attention.includes(id)
      ? [
          ...same,
          change("aws_s3_bucket.data", ["delete", "create"], { bucket: "a" }, { bucket: "b" }),
        ]
      : same;
    mkdirSync(join(work, id));
    writeFileSync(join(work, id, "plan.json"), plan(changes));
    args.push(`${id}=${join(work, id, "plan.json")}`);
  }
  const r = spawnSync(
    process.execPath,
    [
      join(REPO, "build", "cli", "plan-summary.js"),
      ...args,
      "--format",
      "markdown",
      "--failed",
      failed.join(","),
    ],
    { encoding: "utf8", maxBuffer: 256 * 1024 * 1024 },
  );
  expect([r.status, r.stderr]).toEqual([0, expect.any(String)]);
  const comment = r.stdout;
  expect(comment.split("\n")[0]).toBe("<!-- landing-zone-plan -->");
  expect(comment.length).toBeLessThan(65_536);
  for (const id of [...attention, ...failed])
    expect([id, comment.includes(id)]).toEqual([id, true]);
  process.stderr.write(`comment for ${ids.length} changed stacks: ${comment.length} characters\n`);
});

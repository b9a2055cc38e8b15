// The workflow's shell (scripts/ci/): what it decides, with gh, npm and terraform replaced by stubs
// on the PATH that log their calls. Applying exactly what was reviewed, the sticky comment found by
// its marker, and the one drift issue.
import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, removeDir } from "./helpers";

let work: string;
let stub: string;
beforeEach(() => {
  work = mkdtempSync(join(tmpdir(), "lz-ci-"));
  stub = join(work, "stub");
  mkdirSync(join(stub, "bin"), { recursive: true });
  mkdirSync(join(work, "repo", "scripts"), { recursive: true });
  // The scripts call each other as scripts/ci/<name>: run them from a folder that has them.
  spawnSync("cp", ["-r", join(REPO, "scripts", "ci"), join(work, "repo", "scripts", "ci")]);
});
afterEach(() => removeDir(work));

/** A stub command: logs its arguments (one call per line) to stub/<name>.log, then runs `body`. */
function command(name: string, body: string): void {
  const file = join(stub, "bin", name);
  writeFileSync(
    file,
    `#!/usr/bin/env bash\nprintf '%s\\n' "$*" >> "${join(stub, name)}.log"\nSTUB="${stub}"\n${body}\n`,
  );
  chmodSync(file, 0o755);
}
const calls = (name: string) =>
  existsSync(join(stub, `${name}.log`))
    ? readFileSync(join(stub, `${name}.log`), "utf8")
        .trim()
        .split("\n")
    : [];

function run(script: string, args: string[], env: Record<string, string> = {}) {
  const r = spawnSync("bash", [join("scripts", "ci", script), ...args], {
    cwd: join(work, "repo"),
    encoding: "utf8",
    env: {
      ...process.env,
      PATH: `${join(stub, "bin")}:${process.env.PATH}`,
      GITHUB_REPOSITORY: "acme/landing-zone",
      GITHUB_SERVER_URL: "https://github.com",
      GITHUB_RUN_ID: "42",
      GITHUB_STEP_SUMMARY: join(work, "summary.md"),
      RUNNER_TEMP: join(work, "runner"),
      ...env,
    },
  });
  const summary = existsSync(join(work, "summary.md"))
    ? readFileSync(join(work, "summary.md"), "utf8")
    : "";
  return { code: r.status, stdout: r.stdout, stderr: r.stderr, summary };
}

const file = (path: string, text: string) => {
  mkdirSync(join(path, ".."), { recursive: true });
  writeFileSync(path, text);
};

describe("apply-shard.sh: exactly what was reviewed, or nothing", () => {
  beforeEach(() => {
    // npm run plan writes each stack's new plan from stub/new/<id>.json (no file: that plan failed);
    // --compare is equality; --fail-on destroy trips on a plan that deletes.
    command(
      "npm",
      `shift 2
case "$1" in
  plan) shift 2; for id in "$@"; do case "$id" in --*) break;; esac
          if [ -f "$STUB/new/$id.json" ]; then mkdir -p "cdktf.out/stacks/$id"; cp "$STUB/new/$id.json" "cdktf.out/stacks/$id/plan.json"; fi; done ;;
  plan-summary) shift
    if [ "$2" = --compare ]; then cmp -s "$3" "$4" && exit 0; echo "aws_s3_bucket.logs: update differs" >&2; echo "gate: the plans differ" >&2; exit 3; fi
    grep -q delete "\${2#*=}" && exit 3; exit 0 ;;
esac`,
    );
    command("terraform", "exit 0");
  });

  test("same plan applies; a different one, none reviewed, a failed plan or an unlabelled destroy does not", () => {
    const reviewed = (id: string, text: string, allow = false) => {
      file(join(work, "repo", "reviewed", id, "plan.json"), text);
      file(join(work, "repo", "reviewed", id, "source"), "#12 (run 7)");
      if (allow) file(join(work, "repo", "reviewed", id, "allow-destroy"), "");
    };
    const planned = (id: string, text: string) => file(join(stub, "new", `${id}.json`), text);
    reviewed("same", '{"update":1}');
    planned("same", '{"update":1}');
    reviewed("differs", '{"update":1}');
    planned("differs", '{"update":2}');
    planned("unreviewed", '{"update":1}');
    reviewed("failed", '{"update":1}');
    reviewed("destroys", '{"delete":1}');
    planned("destroys", '{"delete":1}');
    reviewed("allowed", '{"delete":1}', true);
    planned("allowed", '{"delete":1}');
    const ids = ["same", "differs", "unreviewed", "failed", "destroys", "allowed"];
    const r = run("apply-shard.sh", ["change", "", ...ids]);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("Not applied: differs unreviewed failed destroys");
    // Terraform applied the two stacks whose new plan is the reviewed one, and nothing else.
    expect(calls("terraform")).toEqual([
      "-chdir=cdktf.out/stacks/same apply -input=false -no-color tfplan",
      "-chdir=cdktf.out/stacks/allowed apply -input=false -no-color tfplan",
    ]);
    expect(calls("npm")[0]).toBe(
      `run --silent plan -- ${ids.join(" ")} --role apply --format text`,
    );
    expect(r.summary).toContain("- `same`: applied (change)");
    expect(r.summary).toContain(
      "- `differs`: **not applied**: the plan differs from the one reviewed in #12 (run 7):\n    aws_s3_bucket.logs: update differs",
    );
    expect(r.summary).toContain("- `unreviewed`: **not applied**: no reviewed plan");
    expect(r.summary).toContain("- `failed`: **not applied**: its plan with the apply role failed");
    expect(r.summary).toContain(
      "- `destroys`: **not applied**: it destroys resources, and the pull request that reviewed it is not labelled allow-destroy",
    );
    expect(r.summary).toContain("- `allowed`: applied (change)");
  });

  test("a shard where every stack matches its reviewed plan succeeds", () => {
    file(join(work, "repo", "reviewed", "a", "plan.json"), "{}");
    file(join(stub, "new", "a.json"), "{}");
    const r = run("apply-shard.sh", ["change", "", "a"]);
    expect(r.code).toBe(0);
    expect(calls("terraform")).toHaveLength(1);
  });
});

describe("sticky-comment.sh: one comment, found by its marker", () => {
  const body = () => {
    file(join(work, "comment.md"), "<!-- landing-zone-plan -->\n## Plan\n");
    return join(work, "comment.md");
  };

  test("creates the comment when there is none, updates it in place when there is", () => {
    command("gh", `case "$*" in *--paginate*) cat "$STUB/existing" 2>/dev/null ;; esac; exit 0`);
    expect(run("sticky-comment.sh", ["7", body()]).stdout).toContain("created the plan comment");
    expect(calls("gh")[1]).toBe(
      `api --method POST repos/acme/landing-zone/issues/7/comments -F body=@${body()}`,
    );
    file(join(stub, "existing"), "991\n");
    expect(run("sticky-comment.sh", ["7", body()]).stdout).toContain(
      "updated the plan comment 991",
    );
    expect(calls("gh")[3]).toBe(
      `api --method PATCH repos/acme/landing-zone/issues/comments/991 -F body=@${body()}`,
    );
    // The lookup selects by the marker, never "the last comment".
    expect(calls("gh")[0]).toContain('select(.body | startswith("<!-- landing-zone-plan -->"))');
  });

  test("--update-only (a pull request that changes no stack) updates a comment but never creates one", () => {
    command("gh", `case "$*" in *--paginate*) cat "$STUB/existing" 2>/dev/null ;; esac; exit 0`);
    expect(run("sticky-comment.sh", ["7", body(), "--update-only"]).stdout).toContain(
      "no plan comment to update",
    );
    expect(calls("gh")).toHaveLength(1);
    file(join(stub, "existing"), "991\n992\n");
    run("sticky-comment.sh", ["7", body(), "--update-only"]);
    expect(calls("gh")[2]).toMatch(
      /^api --method PATCH repos\/acme\/landing-zone\/issues\/comments\/991 /,
    );
  });

  test("refuses a body without the marker on its first line", () => {
    command("gh", "exit 0");
    file(join(work, "plain.md"), "## Plan\n");
    const r = run("sticky-comment.sh", ["7", join(work, "plain.md")]);
    expect(r.code).toBe(2);
    expect(calls("gh")).toEqual([]);
  });
});

describe("drift-issue.sh: one issue, updated, closed when clean", () => {
  beforeEach(() => {
    command(
      "gh",
      `case "$1 $2" in
  "issue list") cat "$STUB/open" 2>/dev/null ;;
  "issue edit"|"issue create") while [ $# -gt 0 ]; do [ "$1" = --body-file ] && cp "$2" "$STUB/body"; shift; done ;;
esac
exit 0`,
    );
  });
  const shard = (n: number, code: string, md = "") => {
    file(join(work, "drift", String(n), "exit"), `${code}\n`);
    file(join(work, "drift", String(n), "drift.md"), md);
  };

  test("drift creates the issue with what drifted; the next run updates it; clean closes it", () => {
    shard(0, "0");
    shard(1, "2", "- `team-a-dev`: aws_s3_bucket.logs updated in place (tags)\n");
    let r = run("drift-issue.sh", [join(work, "drift")]);
    expect(r.code).toBe(0);
    expect(
      calls("gh")
        .slice(1, 3)
        .map((c) => c.split(" ").slice(0, 2).join(" ")),
    ).toEqual(["label create", "issue create"]);
    const body = readFileSync(join(stub, "body"), "utf8");
    expect(body).toContain("1 shard(s) with drift, 0 failed, 1 clean");
    expect(body).toContain("`team-a-dev`: aws_s3_bucket.logs updated in place (tags)");

    file(join(stub, "open"), "5\n");
    run("drift-issue.sh", [join(work, "drift")]);
    expect(calls("gh")[4]).toMatch(/^issue edit 5 /);

    shard(1, "0");
    r = run("drift-issue.sh", [join(work, "drift")]);
    expect(r.stdout).toContain("closed #5");
    expect(calls("gh")[6]).toMatch(/^issue close 5 /);
  });

  test("a failed shard keeps the issue open; the body stays under GitHub's 65,536 characters", () => {
    shard(0, "4");
    shard(1, "2", "- `team-x-dev`: drifted\n".repeat(10_000));
    run("drift-issue.sh", [join(work, "drift")]);
    const body = readFileSync(join(stub, "body"), "utf8");
    expect(body.length).toBeLessThan(65_536);
    expect(body).toContain("shard 0: the drift check failed (exit 4)");
    expect(body).toContain("cut at 60000 characters");
  });
});

describe("reviewed-plans.sh: the plans of the pull requests merged since the last apply", () => {
  const git = (...args: string[]) =>
    execFileSync("git", args, { cwd: join(work, "repo"), encoding: "utf8" }).trim();
  /** A merged pull request: its merge commit on main, its head, its run's reviewed plans. */
  const merge = (pr: number, plans: Record<string, string>, allowDestroy = false) => {
    git("commit", "-q", "--allow-empty", "-m", `#${pr}`);
    const sha = git("rev-parse", "HEAD");
    file(join(stub, "pulls", sha), `${pr} head${pr}\n`);
    // The newest run was for another label: it planned nothing and has no artifact.
    file(join(stub, "runs", `head${pr}`), `${pr}99\n${pr}00\n`);
    file(join(stub, "allow", String(pr)), allowDestroy ? "true\n" : "false\n");
    const dir = join(stub, "plans", String(pr));
    for (const [id, text] of Object.entries(plans)) file(join(dir, id, "plan.json"), text);
    mkdirSync(join(stub, "artifacts", `${pr}00`), { recursive: true });
    execFileSync("tar", [
      "-czf",
      join(stub, "artifacts", `${pr}00`, "reviewed-plans.tgz"),
      "-C",
      dir,
      ".",
    ]);
    return sha;
  };

  test("every merged pull request's plans, the newest winning, with its allow-destroy label", () => {
    command(
      "gh",
      `case "$1 $2" in
  "api repos/acme/landing-zone/commits/"*) sha=\${2#repos/acme/landing-zone/commits/}; cat "$STUB/pulls/\${sha%/pulls}" 2>/dev/null ;;
  "api repos/acme/landing-zone/pulls/"*) cat "$STUB/allow/\${2##*/}" ;;
  "run list") while [ $# -gt 0 ]; do [ "$1" = --commit ] && cat "$STUB/runs/$2" 2>/dev/null; shift; done ;;
  "run download") run=$3; [ -d "$STUB/artifacts/$run" ] || exit 1
    while [ $# -gt 0 ]; do [ "$1" = --dir ] && cp "$STUB/artifacts/$run/reviewed-plans.tgz" "$2/"; shift; done ;;
esac
exit 0`,
    );
    git("init", "-q");
    git("config", "user.email", "ci@example.com");
    git("config", "user.name", "CI");
    const applied = merge(1, { organization: "old" });
    merge(2, { "team-a-dev": "a from #2", "team-b-dev": "b from #2" });
    git("commit", "-q", "--allow-empty", "-m", "pushed without a pull request");
    merge(3, { "team-a-dev": "a from #3", "team-gone-dev": "destroy" }, true);
    const r = run("reviewed-plans.sh", [applied, "reviewed"]);
    expect(r.code).toBe(0);
    const reviewed = (id: string, f = "plan.json") =>
      existsSync(join(work, "repo", "reviewed", id, f))
        ? readFileSync(join(work, "repo", "reviewed", id, f), "utf8").trim()
        : undefined;
    // #1 was applied already; #3 replaced #2's plan of team-a-dev.
    expect(reviewed("organization")).toBeUndefined();
    expect(reviewed("team-a-dev")).toBe("a from #3");
    expect(reviewed("team-a-dev", "source")).toBe("#3 (run 300)");
    expect(reviewed("team-b-dev")).toBe("b from #2");
    expect(reviewed("team-b-dev", "allow-destroy")).toBeUndefined();
    expect(reviewed("team-gone-dev", "allow-destroy")).toBe("");
  });
});

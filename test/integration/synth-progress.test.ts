// `npm run synth` of many stacks is never silent: worker threads report each stack as it is written,
// and off a terminal the main thread prints heartbeat lines (cli/progress.ts) on stderr. stdout keeps
// the one result line.
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, copyExampleAccounts, removeDir, writeFiles } from "../helpers";

const TEAMS = 15;

test("a parallel synth reports its stacks in heartbeat lines", () => {
  const accounts = copyExampleAccounts();
  const project = mkdtempSync(join(tmpdir(), "lz-progress-"));
  try {
    const files: Record<string, string> = {
      "organization.yaml": readFileSync(join(accounts, "organization.yaml"), "utf8").replace(
        /organizationAccounts: \d+/,
        "organizationAccounts: 100",
      ),
    };
    for (let i = 1; i <= TEAMS; i++) {
      files[`teams/progress-${i}.yaml`] = `name: progress-${i}
owners:
  - name: Someone
    email: progress-${i}-owner@acme.example
costCenter: CC-1
environments:
  dev:
    traffic:
      sync: { requestsPerSecond: 3, averageDurationMs: 80, p99DurationMs: 400 }
`;
    }
    writeFiles(accounts, files);
    const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
      cwd: project,
      env: {
        ...process.env,
        LZ_ACCOUNTS_DIR: accounts,
        LZ_SYNTH_WORKERS: "2",
        LZ_HEARTBEAT_SECONDS: "0.05",
      },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    // The example's 19 stacks, and a team and an access stack per generated team.
    const total = 19 + 2 * TEAMS;
    expect(r.stdout).toBe(`Synthesized ${total} stack(s) to cdktf.out/stacks\n`);
    const beats = r.stderr
      .trim()
      .split("\n")
      .map((l) => new RegExp(`^synth: (\\d+)/${total} \\(\\d+%\\) \\d+ s(?:, (\\S+))?$`).exec(l));
    expect(beats.length).toBeGreaterThan(0);
    expect(beats.every(Boolean)).toBe(true);
    const counts = beats.map((m) => Number(m![1]));
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
    // Each reported label is a stack just written.
    const labels = beats.map((m) => m![2]).filter(Boolean);
    expect(labels.length).toBeGreaterThan(0);
    for (const id of labels)
      expect(id).toMatch(/^(team-|access|organization|log-archive|security|observability)/);
  } finally {
    removeDir(accounts);
    removeDir(project);
  }
});

// `npm run scan` is never silent while checkov installs or runs: off a terminal a heartbeat line
// (cli/progress.ts) says what is running. A stand-in .venv (checkov "installed", a checkov that
// takes a moment) keeps the test off PyPI.
import { spawnSync } from "node:child_process";
import { chmodSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { REPO, removeDir, writeFiles } from "./helpers";

test("scan prints heartbeat lines on stderr while checkov runs, its report on stdout", () => {
  const dir = mkdtempSync(join(tmpdir(), "lz-scan-progress-"));
  try {
    writeFiles(dir, {
      ".venv/bin/python": '#!/bin/sh\necho "Name: checkov"\necho "Version: 3.3.30"\n',
      ".venv/bin/checkov":
        '#!/bin/sh\nsleep 1\necho \'{"summary": {"passed": 3, "parsing_errors": 0}, "results": {"failed_checks": []}}\'\n',
      "cdktf.out/stacks/organization/cdk.tf.json": '{"resource": {}}',
      // No waivers: the stand-in fails no check, so any waiver would be stale (exit 3).
      ".checkov.yaml": "framework: [terraform_json]\n",
    });
    chmodSync(join(dir, ".venv/bin/python"), 0o755);
    chmodSync(join(dir, ".venv/bin/checkov"), 0o755);
    const r = spawnSync(process.execPath, [join(REPO, "scripts", "scan.mjs"), "cdktf.out"], {
      cwd: dir,
      env: { ...process.env, LZ_HEARTBEAT_SECONDS: "0.2" },
      encoding: "utf8",
    });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^checkov 3\.3\.30 over 1 stacks: 3 passed, 0 failed/);
    const lines = r.stderr.trim().split("\n");
    expect(lines.length).toBeGreaterThan(0);
    for (const line of lines) expect(line).toMatch(/^checkov over 1 stacks: \d+ s$/);
  } finally {
    removeDir(dir);
  }
});

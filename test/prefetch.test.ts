// A large organization's team files are read on a worker thread while synth loads its modules
// (config/prefetch.ts). What synth then writes or reports must be exactly what the loader gives when
// it reads the files itself (as it does here, in-process, from the TypeScript sources).
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ConfigError } from "../config/errors";
import { loadLandingZone } from "../config/load";
import { PREFETCH_MIN_TEAMS } from "../config/prefetch";
import { REPO, copyExampleAccounts, removeDir, synthAccounts, writeFiles } from "./helpers";

let accounts: string;
beforeAll(() => {
  accounts = copyExampleAccounts();
  const files: Record<string, string> = {
    "organization.yaml": readFileSync(join(accounts, "organization.yaml"), "utf8").replace(
      /organizationAccounts: \d+/,
      `organizationAccounts: ${PREFETCH_MIN_TEAMS + 50}`,
    ),
  };
  for (let i = 1; i <= PREFETCH_MIN_TEAMS; i++) {
    files[`teams/many-${i}.yaml`] = `name: many-${i}
owners:
  - name: Someone
    email: many-${i}-owner@acme.example
costCenter: CC-1
environments:
  dev:
    traffic:
      sync: { requestsPerSecond: ${i}, averageDurationMs: 80, p99DurationMs: 400 }
`;
  }
  writeFiles(accounts, files);
});
afterAll(() => removeDir(accounts));

function synth(stacks: string) {
  const project = mkdtempSync(join(tmpdir(), "lz-prefetch-"));
  const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
    cwd: project,
    env: { ...process.env, LZ_ACCOUNTS_DIR: accounts, LZ_STACKS: stacks },
    encoding: "utf8",
  });
  return { ...r, project };
}

test("a stack of a large organization is written as the loader on one thread would write it", () => {
  const r = synth("team-many-7-dev,team-payments-prod");
  expect(r.status).toBe(0);
  const local = synthAccounts(accounts, "team-many-7-dev,team-payments-prod");
  for (const id of ["team-many-7-dev", "team-payments-prod"]) {
    expect(
      JSON.parse(readFileSync(join(r.project, "cdktf.out", "stacks", id, "cdk.tf.json"), "utf8")),
    ).toEqual(local.stack(id));
  }
  removeDir(r.project);
});

test("problems in team files are reported exactly as the loader on one thread reports them", () => {
  const broken = copyExampleAccounts();
  try {
    writeFiles(broken, {
      "organization.yaml": readFileSync(join(accounts, "organization.yaml"), "utf8"),
    });
    for (let i = 1; i <= PREFETCH_MIN_TEAMS; i++) {
      const text = readFileSync(join(accounts, "teams", `many-${i}.yaml`), "utf8");
      writeFiles(broken, {
        [`teams/many-${i}.yaml`]:
          i === 3
            ? text.replace("costCenter: CC-1", 'costCenter: "not a code!"')
            : i === 5
              ? "name: [\n"
              : text,
      });
    }
    mkdirSync(join(broken, "teams", "folder.yaml"));
    const project = mkdtempSync(join(tmpdir(), "lz-prefetch-"));
    let expected = "";
    try {
      loadLandingZone({ accountsDir: broken, cwd: project });
    } catch (e) {
      expected = (e as ConfigError).message;
    }
    expect(expected).toContain("many-3.yaml: costCenter:");
    expect(expected).toContain("many-5.yaml: (document): invalid YAML");
    expect(expected).toContain("folder.yaml: (document): is a folder");
    const r = spawnSync(process.execPath, [join(REPO, "build", "main.js")], {
      cwd: project,
      env: { ...process.env, LZ_ACCOUNTS_DIR: broken, LZ_STACKS: "team-many-1-dev" },
      encoding: "utf8",
    });
    removeDir(project);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(expected);
  } finally {
    removeDir(broken);
  }
});

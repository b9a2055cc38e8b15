// What the documentation says that no command prints, kept true by tests: the Node versions the
// project supports (package.json, CI, the workflow and the README agree), the README's command table
// (every npm command, nothing but commands in it), and the references the example organization's
// comments make to the documentation (the example in test/fixtures, a copy of accounts/).
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse } from "yaml";
import { EXAMPLE_ACCOUNTS, REPO } from "./helpers";

const read = (path: string) => readFileSync(join(REPO, path), "utf8");
const pkg = JSON.parse(read("package.json")) as {
  engines: { node: string };
  scripts: Record<string, string>;
};

test("one Node policy: engines, the README, the workflow and .ci/run agree, and this Node satisfies it", () => {
  const m = /^\^(\d+)\.(\d+)\.0 \|\| >=(\d+)\.(\d+)\.0$/.exec(pkg.engines.node);
  expect(m).not.toBeNull();
  const [tested, testedMinor, next, nextMinor] = m!.slice(1).map(Number);
  expect(read("README.md")).toContain(
    `**Node.js ${tested}.${testedMinor} or later on the ${tested} line, or ${next}.${nextMinor} or later**`,
  );
  const workflow = parse(read(".github/workflows/landing-zone.yml")) as {
    env: { NODE_VERSION: string };
  };
  expect(workflow.env.NODE_VERSION).toBe(String(tested));
  expect(read(".ci/run")).toMatch(/^phase "npm ci" 'npm ci .*--engine-strict'$/m);
  const [major, minor] = process.versions.node.split(".").map(Number);
  const supported =
    (major === tested && minor >= testedMinor) ||
    (major === next && minor >= nextMinor) ||
    major > next;
  expect(supported).toBe(true);
});

test("the README's command table lists every npm command, and only commands", () => {
  const readme = read("README.md");
  const section = readme.slice(readme.indexOf("## Commands"), readme.indexOf("### Exit codes"));
  // The rows under the header: every one a command and what it does, no prose spilling over.
  const rows = section
    .split("\n")
    .filter((l) => l.startsWith("|"))
    .slice(2);
  for (const row of rows) {
    expect(row).toMatch(/^\| `/);
    expect(row.split(/(?<!\\)\|/).length).toBe(4);
  }
  const tooling = ["build", "typecheck", "format", "format:check"];
  for (const name of Object.keys(pkg.scripts).filter((n) => !tooling.includes(n))) {
    const listed = name === "test" ? "`npm test`" : `\`npm run ${name}`;
    expect(rows.some((r) => r.startsWith(`| ${listed}`))).toBe(true);
  }
});

test("the example organization's comments point at documentation that exists", () => {
  const files = [
    "organization.yaml",
    "ledger.yaml",
    ...readdirSync(join(EXAMPLE_ACCOUNTS, "teams")).map((f) => `teams/${f}`),
  ];
  let references = 0;
  for (const file of files) {
    const comments = readFileSync(join(EXAMPLE_ACCOUNTS, file), "utf8")
      .split("\n")
      .filter((l) => l.trimStart().startsWith("#"))
      .map((l) => l.replace(/^\s*#\s?/, ""))
      .join(" ");
    expect(comments).not.toMatch(/README[^.]*"/); // sections of the README moved to docs/
    for (const m of comments.matchAll(/((?:docs\/[\w/.-]+|README)\.md)(?:, "([^"]+)")?/g)) {
      references++;
      expect(existsSync(join(REPO, m[1]))).toBe(true);
      if (m[2])
        expect(read(m[1])).toMatch(
          new RegExp(`^#+ ${m[2].replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`, "m"),
        );
    }
  }
  expect(references).toBeGreaterThanOrEqual(3);
});

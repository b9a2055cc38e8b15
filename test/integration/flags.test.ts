// Every command's flags, the same way: an unknown flag or a single-value flag given twice is a usage
// error (exit 2, nothing else runs), and --help prints the usage and exits 0.
import { buildCli } from "../cli";

let cli: ReturnType<typeof buildCli>;
beforeAll(() => {
  cli = buildCli("flags");
});
afterAll(() => cli.cleanup());

const COMMANDS: [name: string, script: string, repeated: string[]][] = [
  ["validate", "cli/validate.js", ["--base", "HEAD", "--base", "HEAD"]],
  ["schema", "cli/write-schemas.js", []],
  ["capacity", "cli/capacity.js", ["--format", "csv", "--format", "json"]],
  ["diagram", "cli/diagram.js", ["--check", "--check"]],
  ["onboard", "cli/onboard.js", ["--team", "a", "--team", "b"]],
  ["plan-summary", "cli/plan-summary.js", ["--format", "text", "--format", "markdown"]],
  ["plan", "cli/plan.js", ["--fail-on", "any", "--fail-on", "destroy"]],
  ["rehearse", "cli/rehearse.js", ["--organization", "greenfield", "--organization", "adoption"]],
];

describe.each(COMMANDS)("npm run %s", (name, script, repeated) => {
  test("refuses an unknown flag with exit 2", () => {
    const r = cli.run(script, ["--no-such-flag"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--no-such-flag/);
    expect(r.stderr).toContain(`Usage: npm run ${name}`);
  });

  test("--help and -h print the usage and exit 0", () => {
    for (const flag of ["--help", "-h"]) {
      const r = cli.run(script, [flag]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(new RegExp(`^Usage: npm run ${name}\\b`));
      expect(r.stderr).toBe("");
    }
  });

  if (repeated.length > 0) {
    test("refuses a single-value flag given twice", () => {
      const r = cli.run(script, repeated);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(new RegExp(`^${repeated[0]}: given 2 times; give it once$`, "m"));
    });
  }
});

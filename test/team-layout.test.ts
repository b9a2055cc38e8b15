// A team file's two layouts (config/layout.ts): the serverless API's settings and traffic under its
// own key, as the example writes them, and the former layout (`blueprint:` on the team and on an
// environment, `traffic:` on an environment), kept in test/fixtures/former-layout: the same
// organization in either layout synthesizes the same bytes, and a level writing both is refused.
import { cpSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { registerBlueprint, registeredBlueprints } from "../blueprints";
import { TEAM_FILE_FIELDS } from "../config/schema";
import { eventBus } from "./fixtures/blueprints/event-bus";
import { copyExampleAccounts, removeDir, synthAccounts } from "./helpers";

const FORMER = join(__dirname, "fixtures", "former-layout", "teams");

/** Every file under `dir`, relative, in order. */
function files(dir: string, rel = ""): string[] {
  return readdirSync(join(dir, rel), { withFileTypes: true })
    .sort((a, b) => a.name.localeCompare(b.name))
    .flatMap((e) => (e.isDirectory() ? files(dir, join(rel, e.name)) : [join(rel, e.name)]));
}

describe("the example in the former layout", () => {
  let former: string;
  let current: string;
  beforeAll(() => {
    current = copyExampleAccounts();
    former = copyExampleAccounts();
    cpSync(FORMER, join(former, "teams"), { recursive: true });
  });
  afterAll(() => {
    removeDir(former);
    removeDir(current);
  });

  test("the fixture is the example's teams in the former layout, and the example is not", () => {
    const rewritten = readdirSync(FORMER).sort();
    expect(rewritten).toEqual(["catalog.yaml", "notifications.yaml", "payments.yaml"]);
    for (const name of rewritten) {
      const old = readFileSync(join(FORMER, name), "utf8");
      const now = readFileSync(join(current, "teams", name), "utf8");
      expect(old).toMatch(/^blueprint:$/m);
      expect(old).toMatch(/^ {4}traffic:$/m);
      expect(old).not.toMatch(/serverless-api/);
      expect(now).not.toMatch(/^blueprint:$|^ {4}(traffic|blueprint):$/m);
      expect(now).toMatch(/^ {4}serverless-api:\n {6}traffic:$/m);
    }
  });

  test("synthesizes every cdk.tf.json byte for byte like the example", () => {
    const a = synthAccounts(current, undefined, { cache: false });
    const b = synthAccounts(former, undefined, { cache: false });
    try {
      const stacks = files(a.outdir).filter((f) => f.endsWith("cdk.tf.json"));
      expect(stacks.length).toBe(19);
      expect(files(b.outdir)).toEqual(files(a.outdir));
      const differing = stacks.filter(
        (f) => !readFileSync(join(a.outdir, f)).equals(readFileSync(join(b.outdir, f))),
      );
      expect(differing).toEqual([]);
    } finally {
      removeDir(join(a.outdir, ".."));
      removeDir(join(b.outdir, ".."));
    }
  });
});

test("the former layout's fields belong to one blueprint and name none", () => {
  expect(registeredBlueprints().filter((b) => b.formerLayout).length).toBe(1);
  expect(() => registerBlueprint({ ...eventBus, name: "my-api", formerLayout: true })).toThrow(
    "blueprint my-api: formerLayout is taken by a built-in blueprint",
  );
  for (const name of ["blueprint", "traffic"])
    expect(() => registerBlueprint({ ...eventBus, name }, TEAM_FILE_FIELDS)).toThrow(
      `blueprint name "${name}" is taken`,
    );
  expect(registeredBlueprints().map((b) => b.name)).not.toContain("my-api");
});

// What synth skips or shortcuts in cdktf for speed (stacks/synth-speed.ts, AccountStack.prepareStack)
// changes nothing a user sees: each shortcut is checked here against what cdktf itself would do, on
// every stack of the example organization.
import { App, TerraformStack, Tokenization } from "cdktf";
import { TokenMap } from "cdktf/lib/tokens/private/token-map";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { cdktfOwnResolve, speedUpCdktf } from "../stacks/synth-speed";
import { EXAMPLE_ACCOUNTS, REPO, synthAccounts } from "./helpers";

function exampleApp(): { app: App; stacks: TerraformStack[] } {
  const lz = loadLandingZone({ accountsDir: EXAMPLE_ACCOUNTS, cwd: REPO });
  const app = new App({ outdir: "unused", skipValidation: true });
  for (const plan of planStacks(lz)) plan.build(app);
  return { app, stacks: app.node.children.filter((c) => TerraformStack.isStack(c)) };
}

test("no stack references another, so cdktf's preparing pass (which synth skips) would add nothing", () => {
  const { app, stacks } = exampleApp();
  expect(stacks.length).toBeGreaterThan(10);
  const before = app.node.findAll().map((c) => c.node.path);
  // cdktf's own pass: a cross-stack reference would add an output to one stack and remote state to
  // the other.
  for (const stack of stacks) TerraformStack.prototype.prepareStack.call(stack);
  expect(app.node.findAll().map((c) => c.node.path)).toEqual(before);
});

test("resolving plain values directly gives exactly cdktf's own result for every stack", () => {
  speedUpCdktf();
  const { stacks } = exampleApp();
  const fast = Tokenization.resolve;
  expect(fast).not.toBe(cdktfOwnResolve());
  for (const stack of stacks) {
    const quick = JSON.stringify(stack.toTerraform());
    Tokenization.resolve = cdktfOwnResolve();
    try {
      expect(quick).toBe(JSON.stringify(stack.toTerraform()));
    } finally {
      Tokenization.resolve = fast;
    }
  }
});

test("a batch's tokens are forgotten once it is written, and a second synth in the process still works", () => {
  const maps = TokenMap.instance() as unknown as { stringTokenMap: Map<string, unknown> };
  synthAccounts(EXAMPLE_ACCOUNTS, "team-payments-dev");
  const after = maps.stringTokenMap.size;
  const again = synthAccounts(EXAMPLE_ACCOUNTS, "team-payments-dev");
  expect(maps.stringTokenMap.size).toBe(after);
  expect(Object.keys(again.resources("team-payments-dev", "aws_lambda_function"))).toHaveLength(2);
});

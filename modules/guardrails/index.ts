// Synth-time guardrails: every stack registered with addGuardrails is judged, right after
// app.synth(), on the Terraform JSON cdktf just wrote for it, with the rules of rules/index.ts.
// Judging the written JSON (the value cdktf wrote, or else the file read back) instead of resolving
// the stack a second time in an aspect is what a user reviews, and costs nothing extra. stacks/synth.ts calls
// assertGuardrails(app), which fails the whole synth listing every violation of every stack at once
// (stack, construct path, rule id); the staging folder is then discarded, so nothing is written.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { App, TerraformStack } from "cdktf";
import type { IConstruct } from "constructs";
import { UNUSED_WAIVER_RULE, type GuardrailWaiver } from "../../config/guardrails";
import type { Finding } from "./rule";
import { GUARDRAIL_RULES } from "./rules";
import { stackView, type Json } from "./stack-view";
import { GuardrailError, type Violation } from "./error";

export { GuardrailError, type Violation };

export interface GuardrailOptions {
  mandatoryTags: string[];
  waivers: GuardrailWaiver[];
}

const registered = new WeakMap<TerraformStack, GuardrailOptions>();
const synthesized = new WeakMap<TerraformStack, Json>();

/** Judge this stack whenever its app is synthesized. */
export function addGuardrails(stack: TerraformStack, options: GuardrailOptions): void {
  registered.set(stack, options);
}

/**
 * The Terraform JSON cdktf resolved for a stack, the value it then writes to cdk.tf.json (plain JSON
 * data), so judging needs no second read and parse of the file (a few % of synth at 3,000 stacks).
 */
export function recordSynthesized(stack: TerraformStack, tf: Json): void {
  if (registered.has(stack)) synthesized.set(stack, tf);
}

/** The violations of one stack, given the Terraform JSON synthesized for it. */
export function judgeStack(
  stack: TerraformStack,
  tf: Json,
  options: GuardrailOptions,
): Violation[] {
  const view = stackView(stack, tf);
  const findings: Finding[] = GUARDRAIL_RULES.flatMap((rule) => rule.check(view, options));
  const applied = new Set<GuardrailWaiver>();
  const violations: Violation[] = [];
  for (const f of findings) {
    const waiver = options.waivers.find((w) => w.rule === f.rule && w.resource === f.resource.path);
    if (waiver) {
      applied.add(waiver);
      continue;
    }
    violations.push({
      stack: view.stackId,
      path: f.resource.path,
      rule: f.rule,
      message: f.message,
    });
  }
  for (const w of options.waivers) {
    if (w.resource.startsWith(`${view.stackId}/`) && !applied.has(w)) {
      violations.push({
        stack: view.stackId,
        path: w.resource,
        rule: UNUSED_WAIVER_RULE,
        message: `the waiver of ${w.rule} matches no violation; remove it from guardrails.waivers`,
      });
    }
  }
  return violations.sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule));
}

/** Every violation of the app's registered stacks, read from what app.synth() wrote. */
export function guardrailViolations(app: App): Violation[] {
  return app.node
    .findAll()
    .filter((n: IConstruct): n is TerraformStack => TerraformStack.isStack(n))
    .flatMap((stack) => {
      const options = registered.get(stack);
      if (!options) return [];
      const file = join(app.outdir, "stacks", stack.node.id, "cdk.tf.json");
      const tf = synthesized.get(stack) ?? (JSON.parse(readFileSync(file, "utf8")) as Json);
      return judgeStack(stack, tf, options);
    });
}

/** Call right after app.synth(): throws when any stack recorded a violation. */
export function assertGuardrails(app: App): void {
  const violations = guardrailViolations(app);
  if (violations.length > 0) throw new GuardrailError(violations);
}

// Synth-time guardrails: an Aspect on every stack judges the stack's resolved Terraform JSON with the
// rules of config/guardrails.ts and records what it finds. cdktf invokes aspects inside app.synth();
// stacks/synth.ts then calls assertGuardrails(app), which fails the whole synth listing every
// violation of every stack at once (stack, construct path, rule id), so nothing is written.
import { Aspects, TerraformStack, type IAspect } from "cdktf";
import type { IConstruct } from "constructs";
import { UNUSED_WAIVER_RULE, type GuardrailWaiver } from "../../config/guardrails";
import { iamWildcardAction, iamWriteAnyResource } from "./iam-rules";
import { RESOURCE_RULES, type Finding } from "./resource-rules";
import { stackView } from "./stack-view";

export interface GuardrailOptions {
  mandatoryTags: string[];
  waivers: GuardrailWaiver[];
}

export interface Violation {
  stack: string;
  /** Construct path, the key a waiver uses. */
  path: string;
  rule: string;
  message: string;
}

const RULES = [...RESOURCE_RULES, iamWildcardAction, iamWriteAnyResource];

export class GuardrailAspect implements IAspect {
  violations: Violation[] = [];
  /** Waivers that matched a finding, for reports. */
  applied: GuardrailWaiver[] = [];

  constructor(
    private readonly stack: TerraformStack,
    private readonly options: GuardrailOptions,
  ) {}

  visit(node: IConstruct): void {
    // Judge once per stack, on the stack node: by then the whole tree exists.
    if (node !== this.stack) return;
    const view = stackView(this.stack);
    const findings: Finding[] = RULES.flatMap((rule) => rule(view, this.options));
    const waiverOf = (f: Finding) =>
      this.options.waivers.find((w) => w.rule === f.rule && w.resource === f.resource.path);
    this.violations = [];
    this.applied = [];
    for (const f of findings) {
      const waiver = waiverOf(f);
      if (waiver) {
        if (!this.applied.includes(waiver)) this.applied.push(waiver);
        continue;
      }
      this.violations.push({
        stack: view.stackId,
        path: f.resource.path,
        rule: f.rule,
        message: f.message,
      });
    }
    for (const w of this.options.waivers) {
      if (w.resource.startsWith(`${view.stackId}/`) && !this.applied.includes(w)) {
        this.violations.push({
          stack: view.stackId,
          path: w.resource,
          rule: UNUSED_WAIVER_RULE,
          message: `the waiver of ${w.rule} matches no violation; remove it from guardrails.waivers`,
        });
      }
    }
    this.violations.sort((a, b) => a.path.localeCompare(b.path) || a.rule.localeCompare(b.rule));
  }
}

export function addGuardrails(stack: TerraformStack, options: GuardrailOptions): GuardrailAspect {
  const aspect = new GuardrailAspect(stack, options);
  Aspects.of(stack).add(aspect);
  return aspect;
}

/** Every violation recorded during app.synth(), stack by stack in synthesis order. */
export function guardrailViolations(app: IConstruct): Violation[] {
  return app.node
    .findAll()
    .filter((n): n is TerraformStack => TerraformStack.isStack(n))
    .flatMap((stack) =>
      Aspects.of(stack)
        .all.filter((a): a is GuardrailAspect => a instanceof GuardrailAspect)
        .flatMap((a) => a.violations),
    );
}

export class GuardrailError extends Error {
  constructor(readonly violations: Violation[]) {
    super(
      [
        `Guardrails failed (${violations.length} violation(s)); nothing was written:`,
        ...violations.map((v) => `${v.stack}: ${v.path}: [${v.rule}] ${v.message}`),
        "Fix the resource, or waive one rule for one resource in organization.yaml under guardrails.waivers with a reason.",
      ].join("\n"),
    );
    this.name = "GuardrailError";
  }
}

/** Call right after app.synth(): throws when any stack recorded a violation. */
export function assertGuardrails(app: IConstruct): void {
  const violations = guardrailViolations(app);
  if (violations.length > 0) throw new GuardrailError(violations);
}

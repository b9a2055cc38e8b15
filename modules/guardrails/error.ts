// What a failed guardrail check throws. Its own module, free of cdktf, so every command's exit-code
// mapping (cli/args.ts) can recognise it without loading the construct library.

export interface Violation {
  stack: string;
  /** Construct path, the key a waiver uses. */
  path: string;
  rule: string;
  message: string;
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

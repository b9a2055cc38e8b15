// What every file in rules/ exports: one rule, its id (the key a waiver names), the description
// docs/guardrails.md's rule table is generated from, and its check.
import type { StackView, TfResource } from "./stack-view";

export interface Finding {
  rule: string;
  resource: TfResource;
  message: string;
}

export interface RuleOptions {
  mandatoryTags: string[];
}

export interface GuardrailRule {
  id: string;
  /** One line of Markdown: the "checks" cell of the docs/guardrails.md table. */
  description: string;
  check(view: StackView, options: RuleOptions): Finding[];
}

export const finding = (rule: string, resource: TfResource, message: string): Finding => ({
  rule,
  resource,
  message,
});

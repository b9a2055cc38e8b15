// Synth-time guardrail rule ids, as organization.yaml's waivers name them: the loader must reject a
// waiver for a rule that does not exist. The rules themselves (id, description, check) are one file
// each in modules/guardrails/rules/; config/ may not import modules/, so the ids come from
// guardrail-rule-ids.ts, which `npm run docs` generates from that catalogue (a test checks it).
import { GUARDRAIL_RULE_IDS } from "./guardrail-rule-ids";

export { GUARDRAIL_RULE_IDS };

export type GuardrailRuleId = (typeof GUARDRAIL_RULE_IDS)[number];

/** Reported, never waivable: a waiver that matched nothing must be removed, not kept "just in case". */
export const UNUSED_WAIVER_RULE = "unused-waiver";

export interface GuardrailWaiver {
  rule: GuardrailRuleId;
  /** Construct path, exactly as synth reports it: `team-payments-prod/service/queue`. */
  resource: string;
  reason: string;
}

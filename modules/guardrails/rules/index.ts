// The catalogue: the one list of synth-time guardrail rules, one file each, in the order they run.
// Everything else derives from it: the guardrail engine (../index.ts) runs it, and `npm run docs`
// writes from it docs/guardrails.md's rule table and config/guardrail-rule-ids.ts, the waiver enum's ids
// (config/ may not import modules/, so it reads that generated copy; a test fails when it drifts).
// A new rule: add its file here, then run `npm run docs`.
import type { GuardrailRule } from "../rule";
import mandatoryTags from "./mandatory-tags";
import encryptionAtRest from "./encryption-at-rest";
import logRetention from "./log-retention";
import queueDlq from "./queue-dlq";
import functionReservedConcurrency from "./function-reserved-concurrency";
import tablePitr from "./table-pitr";
import tlsOnly from "./tls-only";
import noPublicBucket from "./no-public-bucket";
import iamWildcardAction from "./iam-wildcard-action";
import iamWriteAnyResource from "./iam-write-any-resource";

export const GUARDRAIL_RULES: readonly GuardrailRule[] = [
  mandatoryTags,
  encryptionAtRest,
  logRetention,
  queueDlq,
  functionReservedConcurrency,
  tablePitr,
  tlsOnly,
  noPublicBucket,
  iamWildcardAction,
  iamWriteAnyResource,
];

/** Not a rule (never waivable): the engine reports waivers that matched nothing. */
export const UNUSED_WAIVER_DESCRIPTION =
  "(not waivable) a waiver that matches no violation must be removed";

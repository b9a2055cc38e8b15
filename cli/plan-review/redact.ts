// Plan artifacts without secrets. `terraform show -json` prints sensitive values in clear text and
// says which they are only in masks beside them (`before_sensitive`, `after_sensitive`,
// `sensitive_values`, an output's `sensitive`). `npm run plan` writes plan.json with every value a
// mask marks replaced by a digest marker, so the file can be uploaded as a CI artifact and two plans
// of the same value still compare equal (`plan-summary --compare`). The `configuration` block is
// dropped: it repeats the stack's literals (the synthesized cdk.tf.json has them) and has no masks.
// The binary `tfplan` still holds every value in clear text: it is never uploaded.
//
// The digest is SHA-256 over the value's JSON, keyed (HMAC) by $LZ_PLAN_DIGEST_KEY when set. Without
// a key a low-entropy secret (a short password) could be guessed from its digest by trying values;
// CI sets the key from a secret shared by the plan and the apply jobs.
import { createHash, createHmac } from "node:crypto";

export const DIGEST_KEY_ENV = "LZ_PLAN_DIGEST_KEY";

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function sensitiveMarker(value: unknown, key = process.env[DIGEST_KEY_ENV]): string {
  const json = JSON.stringify(value) ?? "null";
  const digest = key
    ? createHmac("sha256", key).update(json).digest("hex")
    : createHash("sha256").update(json).digest("hex");
  return `(sensitive ${key ? "hmac-" : ""}sha256:${digest})`;
}

/** `value` with every part `mask` marks true replaced by its marker. */
export function redactValue(value: unknown, mask: unknown, key?: string): unknown {
  if (mask === true)
    return value === null || value === undefined ? value : sensitiveMarker(value, key);
  if (Array.isArray(value) && Array.isArray(mask)) {
    return value.map((v, i) => redactValue(v, mask[i], key));
  }
  if (isObject(value) && isObject(mask)) {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, redactValue(v, mask[k], key)]),
    );
  }
  return value;
}

function redactChange(c: unknown, key?: string): void {
  if (!isObject(c) || !isObject(c.change)) return;
  const ch = c.change;
  ch.before = redactValue(ch.before, ch.before_sensitive, key);
  ch.after = redactValue(ch.after, ch.after_sensitive, key);
}

function redactModule(m: unknown, key?: string): void {
  if (!isObject(m)) return;
  for (const r of Array.isArray(m.resources) ? m.resources : []) {
    if (isObject(r)) r.values = redactValue(r.values, r.sensitive_values, key);
  }
  for (const child of Array.isArray(m.child_modules) ? m.child_modules : [])
    redactModule(child, key);
}

function redactValues(v: unknown, key?: string): void {
  if (!isObject(v)) return;
  redactModule(v.root_module, key);
  if (isObject(v.outputs)) {
    for (const o of Object.values(v.outputs)) {
      if (isObject(o) && o.sensitive === true) o.value = redactValue(o.value, true, key);
    }
  }
}

/** A `terraform show -json` plan, redacted in place and returned. */
export function redactPlan(plan: unknown, key = process.env[DIGEST_KEY_ENV]): unknown {
  if (!isObject(plan)) return plan;
  for (const list of [plan.resource_changes, plan.resource_drift]) {
    for (const c of Array.isArray(list) ? list : []) redactChange(c, key);
  }
  if (isObject(plan.output_changes)) {
    for (const o of Object.values(plan.output_changes)) {
      if (!isObject(o)) continue;
      o.before = redactValue(o.before, o.before_sensitive, key);
      o.after = redactValue(o.after, o.after_sensitive, key);
    }
  }
  redactValues(plan.planned_values, key);
  if (isObject(plan.prior_state)) redactValues(plan.prior_state.values, key);
  // Input variables have no mask in the plan; their sensitivity is in the configuration.
  const declared =
    isObject(plan.configuration) && isObject(plan.configuration.root_module)
      ? plan.configuration.root_module.variables
      : undefined;
  if (isObject(plan.variables) && isObject(declared)) {
    for (const [name, v] of Object.entries(plan.variables)) {
      const d = declared[name];
      if (isObject(v) && isObject(d) && d.sensitive === true)
        v.value = redactValue(v.value, true, key);
    }
  }
  delete plan.configuration;
  return plan;
}

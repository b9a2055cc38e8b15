// `plan-summary --compare <reviewed> <new>`: does the plan about to be applied make the same changes
// as the plan a human reviewed? Same addresses, same actions and, for every change, the same planned
// values (`change.after`). Ignored, because Terraform cannot know them before apply or they change
// nothing: values `after_unknown` marks in either plan (ids, ARNs, versions the apply assigns),
// `prior_state` and `resource_drift` (a refresh that changes no action), and the values of
// resources that do not change (no-op, read), whose `after` is only what the refresh saw. Sensitive
// values compare by the digest `npm run plan` put in their place (./redact.ts); a difference is
// reported by its path, never its value, so nothing secret reaches a log.
import { fieldPath } from "../../config/errors";
import type { StackPlan } from "./read";

const CHANGING = new Set(["create", "update", "delete", "forget"]);
const MAX_PATHS = 5;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** The paths where `a` and `b` differ, skipping what either unknown mask marks. */
function differences(
  a: unknown,
  b: unknown,
  unknownA: unknown,
  unknownB: unknown,
  path: (string | number)[],
  out: (string | number)[][],
): void {
  if (out.length > MAX_PATHS) return;
  if (unknownA === true || unknownB === true) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) {
      out.push(path);
      return;
    }
    a.forEach((x, i) => differences(x, b[i], at(unknownA, i), at(unknownB, i), [...path, i], out));
    return;
  }
  if (isObject(a) && isObject(b)) {
    for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort()) {
      differences(a[k], b[k], at(unknownA, k), at(unknownB, k), [...path, k], out);
    }
    return;
  }
  // Terraform writes a value unknown before apply as absent from `after`, its mask saying true.
  if (JSON.stringify(a) !== JSON.stringify(b)) out.push(path);
}

function at(mask: unknown, key: string | number): unknown {
  if (Array.isArray(mask) && typeof key === "number") return mask[key];
  if (isObject(mask) && typeof key === "string") return mask[key];
  return undefined;
}

interface Entry {
  actions: string[];
  after: unknown;
  unknown: unknown;
}

function entries(plan: StackPlan): Map<string, Entry> {
  const out = new Map<string, Entry>();
  for (const c of plan.changes) {
    const key = c.deposed ? `${c.address} (deposed ${c.deposed})` : c.address;
    out.set(key, {
      actions: c.change.actions,
      after: c.change.after,
      unknown: c.change.after_unknown,
    });
  }
  for (const [name, o] of Object.entries(plan.outputs)) {
    out.set(`output.${name}`, { actions: o.actions, after: o.after, unknown: o.after_unknown });
  }
  return out;
}

const changes = (actions: string[]) => actions.some((a) => CHANGING.has(a));
const actionsText = (a: string[]) => (a.length === 0 ? "[]" : a.join(","));

/** One line per difference, `<address>: <what differs>`; empty when the plans make the same changes. */
export function comparePlans(reviewed: StackPlan, fresh: StackPlan): string[] {
  const a = entries(reviewed);
  const b = entries(fresh);
  const out: string[] = [];
  for (const address of [...new Set([...a.keys(), ...b.keys()])].sort()) {
    const x = a.get(address);
    const y = b.get(address);
    if (!x || !y) {
      const only = (x ?? y)!;
      // A resource that does not change in one plan and is absent from the other changes nothing.
      if (!changes(only.actions)) continue;
      out.push(
        `${address}: only in the ${x ? "reviewed" : "new"} plan (${actionsText(only.actions)})`,
      );
      continue;
    }
    if (actionsText(x.actions) !== actionsText(y.actions)) {
      out.push(
        `${address}: actions differ (reviewed ${actionsText(x.actions)}, new ${actionsText(y.actions)})`,
      );
      continue;
    }
    if (!changes(x.actions) || x.actions.join() === "delete") continue;
    const paths: (string | number)[][] = [];
    differences(x.after, y.after, x.unknown, y.unknown, [], paths);
    if (paths.length > 0) {
      const shown = paths
        .slice(0, MAX_PATHS)
        .map((p) => (p.length === 0 ? "(the whole value)" : fieldPath(p)));
      out.push(
        `${address}: planned value differs at ${shown.join(", ")}${paths.length > MAX_PATHS ? " and more" : ""}`,
      );
    }
  }
  return out;
}

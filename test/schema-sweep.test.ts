// Every string a configuration file holds may reach an AWS API, where a value AWS refuses fails the
// apply halfway. This sweeps the schema for string fields without a pattern or refinement: each must
// be on the allow-list below, with the reason it needs none. A new field without a rule fails here.
import type { z } from "zod";
import { ledgerFile, organizationFile, teamFileSchema } from "../config/schema";

type Def = {
  type: string;
  checks?: { _zod: { def: { check: string } } }[];
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
  keyType?: z.ZodType;
  valueType?: z.ZodType;
  innerType?: z.ZodType;
  options?: z.ZodType[];
  getter?: () => z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
};

const defOf = (s: z.ZodType) => (s as unknown as { _zod: { def: Def } })._zod.def;

/** A rule beyond length: a regular expression or a refinement. */
const constrained = (def: Def) =>
  (def.checks ?? []).some((c) => ["string_format", "custom"].includes(c._zod.def.check));

/** Field paths (`a.b[].c`, `<key>` for a record key) of every string without a rule. */
function unconstrained(schema: z.ZodType, path: string, seen = new Set<z.ZodType>()): string[] {
  const def = defOf(schema);
  const at = (p: string) => (path === "" ? p : `${path}.${p}`);
  switch (def.type) {
    case "string":
      return constrained(def) ? [] : [path];
    case "object":
      return Object.entries(def.shape!).flatMap(([k, v]) => unconstrained(v, at(k), seen));
    case "array":
      return unconstrained(def.element!, `${path}[]`, seen);
    case "record":
      return [
        ...unconstrained(def.keyType!, at("<key>"), seen),
        ...unconstrained(def.valueType!, at("<value>"), seen),
      ];
    case "optional":
    case "default":
    case "prefault":
    case "nullable":
      return unconstrained(def.innerType!, path, seen);
    case "union":
      return def.options!.flatMap((o) => unconstrained(o, path, seen));
    case "lazy": {
      // The OU tree refers to itself: each lazy schema is walked once.
      if (seen.has(schema)) return [];
      seen.add(schema);
      return unconstrained(def.getter!(), path, seen);
    }
    case "pipe":
      return [...unconstrained(def.in!, path, seen), ...unconstrained(def.out!, path, seen)];
    default:
      // enum, literal, number, boolean: a closed set or not a string.
      return [];
  }
}

/** Strings that need no pattern, and why. */
const ALLOWED: Record<string, string> = {
  "organization.yaml: $schema": "read by editors only, never sent to AWS",
  "team.yaml: $schema": "read by editors only, never sent to AWS",
  "ledger.yaml: $schema": "read by editors only, never sent to AWS",
  "organization.yaml: coreAccounts.logArchive.name":
    "1-50 characters in the schema; printable ASCII is checked by checkAccountName",
  "organization.yaml: coreAccounts.security.name":
    "1-50 characters in the schema; printable ASCII is checked by checkAccountName",
  "organization.yaml: coreAccounts.observability.name":
    "1-50 characters in the schema; printable ASCII is checked by checkAccountName",
  "organization.yaml: teamAccounts.nameTemplate":
    "the names it makes are checked per account by checkAccountName",
  "organization.yaml: serviceControlPolicies.policies[].description":
    "AWS Organizations takes any text up to 512 characters, the schema's maximum",
  "organization.yaml: resourceControlPolicies.policies[].description":
    "AWS Organizations takes any text up to 512 characters, the schema's maximum",
  "organization.yaml: ec2DeclarativePolicy.exceptionMessage":
    "free text EC2 shows when the policy refuses a change: trimmed, 1-1,024 characters in the schema, and the whole document is held to the declarative policy's 10,000 characters by checkManagementPolicies",
  "organization.yaml: observability.alarmTopics.critical[].endpoint":
    "checked per protocol (email address or https:// URL) by the subscription's refinement",
  "organization.yaml: observability.alarmTopics.warning[].endpoint":
    "checked per protocol (email address or https:// URL) by the subscription's refinement",
  "organization.yaml: guardrails.waivers[].reason": "read by reviewers, never sent to AWS",
  "team.yaml: description": "read by people, never sent to AWS",
  "team.yaml: owners[].name": "read by people, never sent to AWS",
};

test("every string of every configuration file has a pattern, or a reason on the allow-list", () => {
  const found = [
    ...unconstrained(organizationFile, "").map((p) => `organization.yaml: ${p}`),
    ...unconstrained(teamFileSchema(), "").map((p) => `team.yaml: ${p}`),
    ...unconstrained(ledgerFile, "").map((p) => `ledger.yaml: ${p}`),
  ];
  expect(found.filter((p) => !(p in ALLOWED))).toEqual([]);
  // The allow-list holds nothing the schema no longer has, and nothing it already constrains.
  expect(Object.keys(ALLOWED).filter((p) => !found.includes(p))).toEqual([]);
});

// Value rules shared by every configuration file, and `overridesOf`, which turns a schema with
// defaults into the schema of a layer written above it.
import { z } from "zod";
import { RESERVED_NAMES, reservedNameMessage } from "../keys";

const LOWER_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

export const lowerName = (what: string, max: number) =>
  z
    .string()
    .max(max)
    .regex(
      LOWER_NAME,
      `${what} must be lowercase ASCII letters and digits separated by single '-', starting with a letter`,
    )
    // `constructor` would name a team, an environment and a ledger key: refused everywhere alike.
    .refine((name) => !RESERVED_NAMES.has(name), { message: reservedNameMessage(what) });

/** Map keys: the title names the key in docs/reference/configuration.md (`environments.<env>`). */
export const teamName = lowerName("a team name", 24).meta({ title: "team" });
export const environmentName = lowerName("an environment name", 16).meta({ title: "env" });

// AWS account root emails: at most 64 characters, one '@', no spaces. Uniqueness is checked across files.
/** What the landing zone accepts as an email address (account roots, owners, alarm subscribers). */
export const EMAIL_PATTERN = /^[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$/;

export const accountEmail = z
  .string()
  .max(64, "an AWS account email is at most 64 characters")
  .regex(EMAIL_PATTERN, "must be an email address like name@example.com");

export const accountId = z
  .string()
  .regex(/^\d{12}$/, "must be a 12-digit AWS account id, quoted in YAML so it stays a string");

export const region = z
  .string()
  .regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, "must be an AWS region name like eu-west-1");

export const ouPath = z
  .string()
  .regex(
    /^[A-Za-z][A-Za-z0-9]*(\/[A-Za-z][A-Za-z0-9]*)*$/,
    "must be an OU path like Workloads/Prod",
  );

export const positiveInt = (max: number) => z.number().int().positive().max(max);

/** A service quota value (AWS quotas are whole numbers). */
export const quotaValue = positiveInt(1_000_000);

export const configRecorder = z
  .enum(["landing-zone", "existing"])
  .default("landing-zone")
  .describe(
    "Who records the account with AWS Config: the landing zone (a recorder delivering to the log archive bucket), or a recorder that already exists (Control Tower's, say), which the landing zone leaves alone; AWS allows one recorder per account and region, so an adopted account that already records says existing",
  );

export const accountStatus = z
  .enum(["active", "suspended", "closed"])
  .describe("Lifecycle status: active -> suspended -> closed, one step per change");

/**
 * What a layer above the defaults may write: `schema` with every default removed, so a field left
 * unset keeps the value of the layer below instead of being reset to the default. A field with a
 * default becomes optional; a field the schema requires stays required within its (optional)
 * object. Objects merge key by key (config/layers.ts), so nested objects are walked too; any other
 * value (a union, a list) is replaced whole and kept as it is.
 */
export function overridesOf<S extends z.ZodObject>(schema: S) {
  return (
    withoutDefaults(schema) as z.ZodType<Overrides<z.output<S>>, Overrides<z.input<S>>>
  ).optional();
}

/** Every field optional, all the way down through plain objects; lists are replaced whole. */
export type Overrides<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: Overrides<T[K]> }
    : T;

function withoutDefaults(schema: z.ZodType): z.ZodType {
  if (!(schema instanceof z.ZodObject)) return schema;
  // Refinements and non-strict objects would be lost in the copy below; none is used where layers merge.
  if (
    (schema._zod.def.checks ?? []).length > 0 ||
    !(schema._zod.def.catchall instanceof z.ZodNever)
  )
    throw new Error("overridesOf: only strict objects without refinements can be layered");
  const shape: Record<string, z.ZodType> = {};
  for (const [key, field] of Object.entries(schema.shape)) {
    let inner: z.ZodType = field;
    let description = field.description;
    let optional = false;
    while (
      inner instanceof z.ZodDefault ||
      inner instanceof z.ZodPrefault ||
      inner instanceof z.ZodOptional
    ) {
      inner = inner.unwrap() as z.ZodType;
      description ??= inner.description;
      optional = true;
    }
    const copy = optional ? withoutDefaults(inner).optional() : withoutDefaults(inner);
    shape[key] = description === undefined ? copy : copy.describe(description);
  }
  return z.strictObject(shape);
}

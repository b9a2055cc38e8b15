// Values that reach an AWS API, held to the rules AWS applies to them, so that a value AWS would
// refuse halfway through an apply is refused at validate instead, with its file and field. Each rule
// says where it comes from; a rule of the landing zone's own (stricter than AWS) says why.
import { z } from "zod";
import { ARN_PARTITION, arn, awsManagedPolicyArn, roleArn } from "../partition";

const refined =
  (problem: (value: string) => string | undefined) =>
  (value: string, ctx: z.core.$RefinementCtx<string>) => {
    const message = problem(value);
    if (message) ctx.addIssue({ code: "custom", message, input: value });
  };

// --- S3 -------------------------------------------------------------------------------------------

const BUCKET_NAME = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
/** Prefixes and suffixes S3 reserves for access points, directory and table buckets. */
const RESERVED_BUCKET_PREFIXES = ["xn--", "sthree-", "amzn-s3-demo-"];
const RESERVED_BUCKET_SUFFIXES = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

/** Why S3 would refuse `name` as a general purpose bucket name, or undefined. */
export function bucketNameProblem(name: string): string | undefined {
  if (!BUCKET_NAME.test(name))
    return "must be an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit";
  if (name.includes("..")) return "an S3 bucket name must not contain two adjacent periods";
  if (/^\d+\.\d+\.\d+\.\d+$/.test(name))
    return "an S3 bucket name must not be formatted as an IP address";
  const prefix = RESERVED_BUCKET_PREFIXES.find((p) => name.startsWith(p));
  if (prefix) return `an S3 bucket name must not start with ${prefix} (S3 reserves it)`;
  const suffix = RESERVED_BUCKET_SUFFIXES.find((s) => name.endsWith(s));
  if (suffix) return `an S3 bucket name must not end with ${suffix} (S3 reserves it)`;
  return undefined;
}

export const s3BucketName = z
  .string()
  .regex(
    BUCKET_NAME,
    "must be an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit",
  )
  .superRefine(refined(bucketNameProblem));

/** S3 object keys are at most 1,024 bytes of UTF-8. */
export const s3ObjectKey = z
  .string()
  .min(1)
  .superRefine(
    refined((key) =>
      Buffer.byteLength(key, "utf8") > 1024
        ? "an S3 object key is at most 1,024 bytes (UTF-8)"
        : undefined,
    ),
  );

// --- ARNs -----------------------------------------------------------------------------------------

const REGION_PART = "[a-z]{2}(?:-gov)?-[a-z]+-\\d";
/** KMS key ids: a UUID, or `mrk-` and 32 hex digits for a multi-Region key. */
const KEY_ID = "(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})";

export const kmsKeyArn = z
  .string()
  .regex(
    new RegExp(`^${ARN_PARTITION}kms:${REGION_PART}:\\d{12}:key/${KEY_ID}$`),
    `must be a KMS key ARN like ${arn("kms", "eu-west-1", "111122223333", "key/1234abcd-12ab-34cd-56ef-1234567890ab")}`,
  );

/** The region of a KMS key or alias ARN. */
export const arnRegion = (arn: string) => arn.split(":")[3] ?? "";

/** A key id, key ARN, alias name or alias ARN, the forms S3 server-side encryption accepts. */
export const kmsKeyReference = z
  .string()
  .regex(
    new RegExp(
      `^(?:${KEY_ID}|alias/[A-Za-z0-9/_-]{1,250}|${ARN_PARTITION}kms:${REGION_PART}:\\d{12}:(?:key/${KEY_ID}|alias/[A-Za-z0-9/_-]{1,250}))$`,
    ),
    "must name a KMS key: a key id, key ARN, alias/<name> or alias ARN",
  );

/** IAM names: roles (64), policies (128); paths at most 512 characters. */
const IAM_NAME = "[\\w+=,.@-]";
export const iamRoleArn = z
  .string()
  .regex(
    new RegExp(`^${ARN_PARTITION}iam::\\d{12}:role/(?:${IAM_NAME}+/){0,32}${IAM_NAME}{1,64}$`),
    `must be an IAM role ARN like ${roleArn("111122223333", "state-access")}`,
  )
  .max(2048);

export const awsManagedPolicyArnValue = z
  .string()
  .regex(
    new RegExp(`^${ARN_PARTITION}iam::aws:policy/(?:${IAM_NAME}+/){0,32}${IAM_NAME}{1,128}$`),
    `must be the ARN of an AWS managed policy, like ${awsManagedPolicyArn("ReadOnlyAccess")}`,
  )
  .max(2048);

// --- Lambda ---------------------------------------------------------------------------------------

/** Lambda: at most 128 characters without whitespace; Node.js runs `<file>.<export>`. */
export const lambdaHandler = z
  .string()
  .max(128, "a Lambda handler is at most 128 characters")
  .regex(
    /^[^\s]+\.[^\s./]+$/,
    "a Lambda handler is <file>.<export> without spaces, like index.handler",
  );

// --- Tags -----------------------------------------------------------------------------------------

/** The characters every AWS service accepts in tags: letters, spaces, digits and _ . : / = + - @. */
const TAG_CHARS = "[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]";
export const tagKey = z
  .string()
  .min(1)
  .max(128)
  .regex(
    new RegExp(`^${TAG_CHARS}+$`, "u"),
    "a tag key is letters, spaces, digits and _ . : / = + - @",
  )
  .regex(/^(?![Aa][Ww][Ss]:)/, "a tag key must not start with aws: (AWS reserves it)");

export const tagValue = z
  .string()
  .max(256)
  .regex(
    new RegExp(`^${TAG_CHARS}*$`, "u"),
    "a tag value is letters, spaces, digits and _ . : / = + - @",
  );

/** Why AWS would refuse `value` as a tag value, or undefined. */
export function tagValueProblem(value: string): string | undefined {
  const r = tagValue.safeParse(value);
  return r.success ? undefined : r.error.issues[0].message;
}

// --- CloudTrail -----------------------------------------------------------------------------------

export const trailName = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]{1,126}[A-Za-z0-9]$/,
    "a trail name is 3 to 128 letters, digits, '.', '_' and '-', starting and ending with a letter or digit",
  )
  .regex(/^(?!.*[._-]{2})/, "a trail name has no adjacent periods, underscores or dashes")
  .regex(/^(?!\d+\.\d+\.\d+\.\d+$)/, "a trail name must not be formatted as an IP address");

// --- IAM Identity Center's identity store ---------------------------------------------------------

/** Identity store text: letters, marks, symbols, digits, punctuation, tab, newlines and spaces. */
const IDENTITY_STORE_TEXT = /^[\p{L}\p{M}\p{S}\p{N}\p{P}\t\n\r \u00A0\u3000]+$/u;
const IDENTITY_STORE_CHARS =
  "the identity store allows letters, marks, symbols, digits, punctuation, tabs, newlines and spaces";

export const identityStoreDescription = z
  .string()
  .min(1)
  .max(1024)
  .regex(IDENTITY_STORE_TEXT, IDENTITY_STORE_CHARS);

/** A group's display name; leading or trailing whitespace would name a different group. */
export const identityStoreDisplayName = z
  .string()
  .min(1)
  .max(1024, "the identity store allows display names of at most 1,024 characters")
  .regex(IDENTITY_STORE_TEXT, IDENTITY_STORE_CHARS)
  .regex(/^\S(?:[\s\S]*\S)?$/, "must not start or end with a space");

/** Why the identity store would refuse `name` as a display name, or undefined. */
export function displayNameProblem(name: string): string | undefined {
  const r = identityStoreDisplayName.safeParse(name);
  return r.success ? undefined : r.error.issues[0].message;
}

// --- SNS ------------------------------------------------------------------------------------------

/** An https subscription endpoint SNS accepts: an https:// URL with a host, no whitespace. */
export function httpsEndpointProblem(endpoint: string): string | undefined {
  const must = "must be an https:// URL for protocol https (SNS delivers to it with a POST)";
  if (/\s/.test(endpoint) || !endpoint.startsWith("https://")) return must;
  try {
    const url = new URL(endpoint);
    return url.protocol === "https:" && url.hostname !== "" ? undefined : must;
  } catch {
    return must;
  }
}

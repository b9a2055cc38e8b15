// Reads `terraform show -json <planfile>` output (Terraform's JSON plan format, format_version 1.x)
// and names the stack each plan belongs to. Any file is survived: only a regular file of at most
// MAX_PLAN_FILE_BYTES is opened (a FIFO or a device would block or never end), it must be UTF-8, its
// nesting is bounded before anything recurses into it, and every field the review reads is checked
// for its shape, so a malformed plan is a usage error `<file>: <JSON path>: <problem>` (exit 2),
// never a stack trace.
import { basename, dirname, resolve } from "node:path";
import { z } from "zod";
import { fieldPath, formatValue } from "../../config/errors";
import { decodeUtf8, readRegularFile } from "../../config/files";
import { tooDeep } from "../../config/nesting";
import { UsageError } from "../args";

/** Terraform plans of large stacks run to tens of megabytes; this leaves room and bounds memory. */
export const MAX_PLAN_FILE_BYTES = 256 * 1024 * 1024;
/** Plans nest modules, blocks and values a few dozen levels; deeper is no Terraform plan. */
export const MAX_PLAN_DEPTH = 256;
/** A broken plan lists its first problems, not thousands. */
const MAX_PROBLEMS = 20;

const pathSegment = z.union([z.string(), z.number()]);

/** One entry of resource_changes or resource_drift, as Terraform writes it (fields the review reads). */
const resourceChange = z.looseObject({
  address: z.string(),
  module_address: z.string().optional(),
  mode: z.string(),
  type: z.string(),
  name: z.string(),
  index: pathSegment.optional(),
  deposed: z.string().optional(),
  action_reason: z.string().optional(),
  change: z.looseObject({
    actions: z.array(z.string()),
    before: z.unknown(),
    after: z.unknown(),
    after_unknown: z.unknown().optional(),
    before_sensitive: z.unknown().optional(),
    after_sensitive: z.unknown().optional(),
    replace_paths: z.array(z.array(pathSegment)).optional(),
    importing: z.looseObject({ id: z.string().optional() }).optional(),
  }),
});
export type ResourceChange = z.infer<typeof resourceChange>;

const plan = z.looseObject({
  format_version: z.string(),
  resource_changes: z.array(resourceChange).optional(),
  resource_drift: z.array(resourceChange).optional(),
  output_changes: z
    .record(
      z.string(),
      z.looseObject({
        actions: z.array(z.string()),
        after: z.unknown(),
        after_unknown: z.unknown().optional(),
      }),
    )
    .optional(),
});

/** One entry of output_changes (fields --compare reads). */
export interface OutputChange {
  actions: string[];
  after?: unknown;
  after_unknown?: unknown;
}

export interface StackPlan {
  stack: string;
  file: string;
  changes: ResourceChange[];
  drift: ResourceChange[];
  outputs: Record<string, OutputChange>;
}

/**
 * A plan's stack: `<stack>=<file>` names it explicitly; `.../<stack>/plan.json` (where `npm run plan`
 * writes it) takes the folder's name; otherwise the file name without `.json` / `.plan.json`.
 */
export function stackOf(arg: string): { stack: string; file: string } {
  const labelled = /^([a-z0-9][a-z0-9-]*)=(.+)$/.exec(arg);
  if (labelled) return { stack: labelled[1], file: labelled[2] };
  const name = basename(arg);
  if (name === "plan.json") return { stack: basename(dirname(arg)), file: arg };
  return { stack: name.replace(/(\.plan)?\.json$/, ""), file: arg };
}

const NOT_A_PLAN =
  "not a Terraform JSON plan (no format_version with planned_values or resource_changes); give the output of terraform show -json <planfile>";

/** A plan file; `cwd` is where a relative path starts (the path as given is what messages show). */
export function readPlan(arg: string, cwd = process.cwd()): StackPlan {
  const { stack, file } = stackOf(arg);
  const fail = (path: string, message: string): never => {
    throw new UsageError(`${file}: ${path === "" ? "" : `${path}: `}${message}`);
  };
  const read = readRegularFile(resolve(cwd, file), MAX_PLAN_FILE_BYTES);
  if (!read.ok) return fail("", read.message);
  const decoded = decodeUtf8(read.bytes);
  if (!decoded.ok) return fail("", decoded.message);
  let json: unknown;
  try {
    json = JSON.parse(decoded.text);
  } catch (e) {
    return fail(
      "",
      `not JSON (${(e as Error).message}); give the output of terraform show -json <planfile>`,
    );
  }
  const deep = tooDeep(json, MAX_PLAN_DEPTH);
  if (deep) {
    const shown = deep.length > 8 ? `${fieldPath(deep.slice(0, 8))}...` : fieldPath(deep);
    return fail(shown, `nested more than ${MAX_PLAN_DEPTH} levels deep; no Terraform plan is`);
  }
  const top = typeof json === "object" && json !== null && !Array.isArray(json) ? json : {};
  const version = (top as { format_version?: unknown }).format_version;
  if (typeof version !== "string" || !("planned_values" in top || "resource_changes" in top))
    return fail("", NOT_A_PLAN);
  if (version.split(".")[0] !== "1")
    return fail("", `plan format_version ${version} is not supported (1.x is)`);
  const parsed = plan.safeParse(json);
  if (!parsed.success) {
    throw new UsageError(
      parsed.error.issues
        .slice(0, MAX_PROBLEMS)
        .map((issue) => {
          const got = issue.path.reduce<unknown>(
            (v, k) =>
              typeof v === "object" && v !== null
                ? (v as Record<PropertyKey, unknown>)[k]
                : undefined,
            json,
          );
          const problem =
            got === undefined
              ? "required field is missing"
              : issue.code === "invalid_type"
                ? `must be ${issue.expected === "array" ? "an array" : issue.expected === "object" ? "an object" : `a ${issue.expected}`} (got ${formatValue(got)})`
                : issue.code === "invalid_union"
                  ? `must be a string or a number (got ${formatValue(got)})`
                  : `${issue.message} (got ${formatValue(got)})`;
          return `${file}: ${fieldPath(issue.path)}: ${problem}`;
        })
        .join("\n") +
        (parsed.error.issues.length > MAX_PROBLEMS
          ? `\n${file}: more problems follow; fix the ones above first`
          : ""),
    );
  }
  return {
    stack,
    file,
    changes: parsed.data.resource_changes ?? [],
    drift: parsed.data.resource_drift ?? [],
    outputs: parsed.data.output_changes ?? {},
  };
}

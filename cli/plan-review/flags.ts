// The review flags `npm run plan`, `npm run plan-summary` and `npm run drift` share; `plan` adds
// --detailed-exitcode and --role, `plan-summary` the comment's --max-chars, --failed and --graph.
import { readFileSync } from "node:fs";
import { decimalNumber, oneOf, parseFlags, selection, UsageError } from "../args";
import { DEFAULT_MAX_CHARS, MIN_MAX_CHARS } from "./comment";
import { FORMATS, type Format } from "./render";
import { stackRank, type FailOn } from "./summarize";

/** Which role a plan assumes in member accounts: the read-only plan role or the platform role. */
export type PlanRole = "plan" | "apply";
export const PLAN_ROLES: PlanRole[] = ["plan", "apply"];

export interface ReviewFlags {
  format: Format;
  failOn?: FailOn;
  detailedExitcode: boolean;
  /** Undefined when not given: `plan` defaults to apply, `drift` to plan. */
  role?: PlanRole;
  maxChars: number;
  failed: string[];
  phaseOf: (stack: string) => number;
  compare: boolean;
  /** `--stacks`: ids or `*` globs, comma-separated (stacks/index.ts selectStacks). */
  stacks?: string;
  positionals: string[];
}

export interface ReviewFlagSet {
  detailedExitcode?: boolean;
  role?: boolean;
  summary?: boolean;
  stacks?: boolean;
}

export function parseReviewFlags(
  argv: string[],
  usage: string,
  set: ReviewFlagSet = {},
): ReviewFlags {
  const parsed = parseFlags(
    {
      args: argv,
      allowPositionals: !set.stacks,
      options: {
        format: { type: "string" },
        "fail-on": { type: "string" },
        ...(set.detailedExitcode && { "detailed-exitcode": { type: "boolean" as const } }),
        ...(set.role && { role: { type: "string" as const } }),
        ...(set.stacks && { stacks: { type: "string" as const } }),
        ...(set.summary && {
          "max-chars": { type: "string" as const },
          failed: { type: "string" as const },
          graph: { type: "string" as const },
          compare: { type: "boolean" as const },
        }),
      },
    },
    usage,
  );
  const values = parsed.values as Record<string, string | boolean | undefined>;
  const failOn = values["fail-on"] as string | undefined;
  return {
    format: oneOf<Format>("format", values.format as string | undefined, FORMATS, "text"),
    failOn:
      failOn === undefined
        ? undefined
        : oneOf<FailOn>("fail-on", failOn, ["destroy", "replace", "any"], "any"),
    detailedExitcode: values["detailed-exitcode"] === true,
    role:
      values.role === undefined
        ? undefined
        : oneOf<PlanRole>("role", values.role as string, PLAN_ROLES, "apply"),
    maxChars:
      decimalNumber("max-chars", values["max-chars"] as string | undefined, {
        unit: "characters",
        min: MIN_MAX_CHARS,
        max: 10_000_000,
        integer: true,
      }) ?? DEFAULT_MAX_CHARS,
    failed: values.failed === undefined ? [] : selection("--failed", values.failed as string),
    phaseOf: values.graph === undefined ? stackRank : phasesFrom(values.graph as string),
    compare: values.compare === true,
    stacks: values.stacks as string | undefined,
    positionals: parsed.positionals,
  };
}

/**
 * `--graph <file>`: the deploy phases as `npm run validate -- --graph --format json` prints them.
 * A stack it does not list is placed by its kind (organization, core, team), after the known phases.
 */
function phasesFrom(file: string): (stack: string) => number {
  let doc: unknown;
  try {
    doc = JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new UsageError(`--graph: ${file}: ${(e as Error).message}`);
  }
  const phases = (doc as { phases?: unknown }).phases;
  if (
    !Array.isArray(phases) ||
    !phases.every((p) => Array.isArray(p) && p.every((s) => typeof s === "string"))
  ) {
    throw new UsageError(
      `--graph: ${file}: phases: must be a list of lists of stack ids (npm run validate -- --graph --format json)`,
    );
  }
  const phaseOf = new Map<string, number>();
  (phases as string[][]).forEach((p, i) => p.forEach((s) => phaseOf.set(s, i)));
  return (stack) => phaseOf.get(stack) ?? phases.length + stackRank(stack);
}

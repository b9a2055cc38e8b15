// The review flags `npm run plan` and `npm run plan-summary` share; `plan` adds --detailed-exitcode.
import { oneOf, parseFlags } from "../args";
import { FORMATS, type Format } from "./render";
import type { FailOn } from "./summarize";

export interface ReviewFlags {
  format: Format;
  failOn?: FailOn;
  detailedExitcode: boolean;
  positionals: string[];
}

export function parseReviewFlags(
  argv: string[],
  usage: string,
  { detailedExitcode = false } = {},
): ReviewFlags {
  const parsed = parseFlags(
    {
      args: argv,
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "fail-on": { type: "string" },
        ...(detailedExitcode && { "detailed-exitcode": { type: "boolean" as const } }),
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
    positionals: parsed.positionals,
  };
}

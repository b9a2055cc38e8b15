// The review flags `npm run plan` and `npm run plan-summary` share.
import { parseArgs } from "node:util";
import { oneOf, UsageError } from "../args";
import type { Format } from "./render";
import type { FailOn } from "./summarize";

export interface ReviewFlags {
  format: Format;
  failOn?: FailOn;
  positionals: string[];
}

export function parseReviewFlags(argv: string[], usage: string): ReviewFlags {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { format: { type: "string" }, "fail-on": { type: "string" } },
    });
  } catch (e) {
    throw new UsageError(`${(e as Error).message}\n${usage}`);
  }
  const failOn = parsed.values["fail-on"];
  return {
    format: oneOf<Format>("format", parsed.values.format, ["text", "markdown"], "text"),
    failOn:
      failOn === undefined
        ? undefined
        : oneOf<FailOn>("fail-on", failOn, ["destroy", "replace", "any"], "any"),
    positionals: parsed.positionals,
  };
}

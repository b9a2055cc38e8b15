// The review flags `npm run plan` and `npm run plan-summary` share.
import { oneOf, parseFlags } from "../args";
import type { Format } from "./render";
import type { FailOn } from "./summarize";

export interface ReviewFlags {
  format: Format;
  failOn?: FailOn;
  positionals: string[];
}

export function parseReviewFlags(argv: string[], usage: string): ReviewFlags {
  const parsed = parseFlags(
    {
      args: argv,
      allowPositionals: true,
      options: { format: { type: "string" }, "fail-on": { type: "string" } },
    },
    usage,
  );
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

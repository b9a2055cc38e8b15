// Reads `terraform show -json <planfile>` output (Terraform's JSON plan format, format_version 1.x)
// and names the stack each plan belongs to.
import { readFileSync } from "node:fs";
import { basename, dirname, resolve } from "node:path";
import { UsageError } from "../args";

/** One entry of resource_changes or resource_drift, as Terraform writes it. */
export interface ResourceChange {
  address: string;
  module_address?: string;
  mode: "managed" | "data";
  type: string;
  name: string;
  index?: string | number;
  deposed?: string;
  action_reason?: string;
  change: {
    actions: string[];
    before: unknown;
    after: unknown;
    after_unknown?: unknown;
    before_sensitive?: unknown;
    after_sensitive?: unknown;
    replace_paths?: (string | number)[][];
    importing?: { id?: string };
  };
}

export interface StackPlan {
  stack: string;
  file: string;
  changes: ResourceChange[];
  drift: ResourceChange[];
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

/** A plan file; `cwd` is where a relative path starts (the path as given is what messages show). */
export function readPlan(arg: string, cwd = process.cwd()): StackPlan {
  const { stack, file } = stackOf(arg);
  let text: string;
  try {
    text = readFileSync(resolve(cwd, file), "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new UsageError(`${file}: ${code === "ENOENT" ? "file not found" : (e as Error).message}`);
  }
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch (e) {
    throw new UsageError(
      `${file}: not JSON (${(e as Error).message}); give the output of terraform show -json <planfile>`,
    );
  }
  const version = typeof json?.format_version === "string" ? json.format_version : undefined;
  if (!version || !("planned_values" in json || "resource_changes" in json)) {
    throw new UsageError(
      `${file}: not a Terraform JSON plan (no format_version with planned_values or resource_changes); give the output of terraform show -json <planfile>`,
    );
  }
  if (version.split(".")[0] !== "1") {
    throw new UsageError(`${file}: plan format_version ${version} is not supported (1.x is)`);
  }
  const list = (key: string): ResourceChange[] => {
    const value = json[key] ?? [];
    if (!Array.isArray(value) || value.some((c) => !Array.isArray(c?.change?.actions))) {
      throw new UsageError(`${file}: ${key} must be a list of changes with change.actions`);
    }
    return value as ResourceChange[];
  };
  return { stack, file, changes: list("resource_changes"), drift: list("resource_drift") };
}

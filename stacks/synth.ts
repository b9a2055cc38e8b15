// Writes the selected stacks to the output folder, all or nothing: stacks are synthesized into a
// sibling temporary folder that replaces the output folder only once everything succeeded.
import { App } from "cdktf";
import { existsSync, renameSync, rmSync } from "node:fs";
import type { StackPlan } from "./index";

export function defaultOutdir(): string {
  // The cdktf CLI passes its output folder in CDKTF_OUTDIR.
  return process.env.CDKTF_OUTDIR ?? "cdktf.out";
}

export function synthesize(plans: StackPlan[], outdir = defaultOutdir()): void {
  const staging = `${outdir}.staging-${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  try {
    const app = new App({ outdir: staging, skipBackendValidation: false });
    for (const plan of plans) plan.build(app);
    app.synth();
  } catch (e) {
    rmSync(staging, { recursive: true, force: true });
    throw e;
  }
  if (existsSync(outdir)) rmSync(outdir, { recursive: true, force: true });
  renameSync(staging, outdir);
}

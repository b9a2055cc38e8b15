// The AWS API emulator: moto, pinned, installed from PyPI into .venv-moto by the rehearsal itself
// (as `npm run scan` installs checkov), served on a free loopback port and always stopped.
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { join, resolve } from "node:path";
import { withHeartbeat } from "../progress";

export const MOTO_VERSION = "5.2.5";
const VENV = resolve(".venv-moto");
export const venvBin = (name: string) => join(VENV, "bin", name);

/**
 * Reuses .venv-moto when it holds the pinned moto; otherwise (re)creates it, with a heartbeat while
 * pip works (a minute or more on a fresh clone).
 */
export async function ensureMoto(log: (line: string) => void): Promise<void> {
  if (existsSync(venvBin("moto_server"))) {
    const show = spawnSync(venvBin("python"), ["-m", "pip", "show", "moto"], { encoding: "utf8" });
    if (/^Version: (.+)$/m.exec(show.stdout ?? "")?.[1] === MOTO_VERSION) return;
  }
  log(`Installing moto[server] ${MOTO_VERSION} into .venv-moto ...`);
  const python = process.env.PYTHON ?? "python3";
  await withHeartbeat(`installing moto ${MOTO_VERSION}`, async () => {
    for (const [cmd, args] of [
      [python, ["-m", "venv", VENV]],
      [
        venvBin("python"),
        [
          "-m",
          "pip",
          "install",
          "--quiet",
          "--disable-pip-version-check",
          `moto[server]==${MOTO_VERSION}`,
        ],
      ],
    ] as const) {
      await new Promise<void>((done, fail) => {
        const child = spawn(cmd, args, { stdio: ["ignore", "inherit", "inherit"] });
        child.on("error", (e) => fail(new Error(`${cmd} ${args.join(" ")} failed (${e.message})`)));
        child.on("close", (code) =>
          code === 0 ? done() : fail(new Error(`${cmd} ${args.join(" ")} failed (exit ${code})`)),
        );
      });
    }
  });
}

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => done(typeof address === "object" && address ? address.port : 0));
    });
  });
}

export class Emulator {
  private constructor(
    private readonly child: ChildProcess,
    readonly endpoint: string,
  ) {}

  /** Starts moto on 127.0.0.1 and waits until it answers; it stops with this process at the latest. */
  static async start(): Promise<Emulator> {
    const port = await freePort();
    const child = spawn(venvBin("moto_server"), ["-H", "127.0.0.1", "-p", String(port)], {
      stdio: ["ignore", "ignore", "pipe"],
      // AWS managed policies (AmazonAPIGatewayPushToCloudWatchLogs, ...) exist only when asked for.
      env: { ...process.env, MOTO_IAM_LOAD_MANAGED_POLICIES: "true" },
    });
    let stderr = "";
    child.stderr?.on("data", (d: Buffer) => {
      stderr = (stderr + d.toString()).slice(-4000);
    });
    const emulator = new Emulator(child, `http://127.0.0.1:${port}`);
    const stop = () => emulator.stop();
    process.once("exit", stop);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
      process.once(signal, () => {
        stop();
        process.exit(130);
      });
    }
    const deadline = Date.now() + 60_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const r = await fetch(`${emulator.endpoint}/moto-api/`);
        if (r.ok) return emulator;
      } catch {
        // not listening yet
      }
      await new Promise((r) => setTimeout(r, 200));
    }
    emulator.stop();
    throw new Error(`moto_server did not start on port ${port}:\n${stderr}`);
  }

  stop(): void {
    if (this.child.exitCode === null && !this.child.killed) this.child.kill("SIGTERM");
  }
}

// Progress for commands that can run longer than a few seconds, one way for all of them: on a
// terminal a live bar (cli-progress) on stderr; elsewhere (CI logs, pipes) a heartbeat line at most
// every LZ_HEARTBEAT_SECONDS (default 30), so a long step is never silent and a log stays short at
// 3,000 stacks. stdout stays free for what a command prints as its result.
import { SingleBar } from "cli-progress";

export interface Progress {
  /** `n` more units done; `label` says what is running now (a stack id, a step). */
  tick(n?: number, label?: string): void;
  /** Changes the label without counting anything (a step that has begun). */
  label(label: string): void;
  /** Stops the bar or the heartbeat; prints `summary`, when given, as one line. */
  done(summary?: string): void;
}

export interface ProgressOptions {
  /** Where the bar and the heartbeat go; default process.stderr. */
  stream?: NodeJS.WriteStream;
  /** Force the heartbeat form (tests); default: a bar when `stream` is a terminal and CI is unset. */
  interactive?: boolean;
  /** Print nothing at all (a command's --quiet, or work too small to report). */
  silent?: boolean;
}

/** Seconds between heartbeat lines when not on a terminal. */
export function heartbeatSeconds(): number {
  const n = Number(process.env.LZ_HEARTBEAT_SECONDS);
  return Number.isFinite(n) && n > 0 ? Math.min(n, 30) : 30;
}

/** A bar only on a terminal that can move the cursor; never colour (README, "Commands"). */
function isInteractive(stream: NodeJS.WriteStream): boolean {
  return Boolean(stream.isTTY) && !process.env.CI && process.env.TERM !== "dumb";
}

/**
 * Progress over `total` units (0 for work of unknown size: only the label and elapsed time show).
 * The heartbeat reads `<title>: 120/3006 (4%) 12 s, <label>`.
 */
export function startProgress(
  title: string,
  total: number,
  options: ProgressOptions = {},
): Progress {
  const stream = options.stream ?? process.stderr;
  if (options.silent) return { tick() {}, label() {}, done() {} };
  const started = Date.now();
  let count = 0;
  let current = "";
  const elapsed = () => `${Math.round((Date.now() - started) / 1000)} s`;
  const line = () => {
    const counted = total > 0 ? ` ${count}/${total} (${Math.floor((100 * count) / total)}%)` : "";
    return `${title}:${counted} ${elapsed()}${current ? `, ${current}` : ""}`;
  };

  if (options.interactive ?? isInteractive(stream)) {
    const bar = new SingleBar(
      {
        stream,
        format:
          total > 0
            ? `${title} [{bar}] {value}/{total} {duration_formatted} {label}`
            : `${title} {duration_formatted} {label}`,
        hideCursor: true,
        // cli-progress draws only on a TTY; a caller that forces the bar gets it anyway.
        noTTYOutput: options.interactive === true,
        clearOnComplete: true,
        etaBuffer: 50,
      },
      undefined,
    );
    bar.start(Math.max(total, 1), 0, { label: "" });
    return {
      tick(n = 1, label) {
        count += n;
        if (label !== undefined) current = label;
        bar.update(count, { label: current });
      },
      label(label) {
        current = label;
        bar.update(count, { label: current });
      },
      done(summary) {
        bar.stop();
        if (summary !== undefined) stream.write(`${summary}\n`);
      },
    };
  }

  // The timer beats while the work waits (workers, child processes); a tick beats too when one is
  // due, so work that keeps the event loop busy (a synchronous loop) is not silent either.
  const every = heartbeatSeconds() * 1000;
  let lastBeat = started;
  const beat = () => {
    lastBeat = Date.now();
    stream.write(`${line()}\n`);
  };
  const timer = setInterval(
    () => {
      if (Date.now() - lastBeat >= every) beat();
    },
    Math.min(every, 1000),
  );
  timer.unref();
  return {
    tick(n = 1, label) {
      count += n;
      if (label !== undefined) current = label;
      if (Date.now() - lastBeat >= every) beat();
    },
    label(label) {
      current = label;
    },
    done(summary) {
      clearInterval(timer);
      if (summary !== undefined) stream.write(`${summary}\n`);
    },
  };
}

/** Runs `work` under a progress of unknown size: a step that is one long wait (an install, an apply). */
export async function withHeartbeat<T>(
  title: string,
  work: () => Promise<T>,
  options: ProgressOptions = {},
): Promise<T> {
  const p = startProgress(title, 0, options);
  try {
    return await work();
  } finally {
    p.done();
  }
}

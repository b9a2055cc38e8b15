// Long commands are never silent: off a terminal (CI) a heartbeat line at most every 30 s says how
// far the work got; the final summary is one line.
import { PassThrough } from "node:stream";
import { heartbeatSeconds, startProgress } from "../cli/progress";

function capture(): { stream: NodeJS.WriteStream; text: () => string } {
  const s = new PassThrough();
  let out = "";
  s.on("data", (d: Buffer) => (out += d.toString()));
  return { stream: s as unknown as NodeJS.WriteStream, text: () => out };
}

beforeEach(() => jest.useFakeTimers());
afterEach(() => {
  jest.useRealTimers();
  delete process.env.LZ_HEARTBEAT_SECONDS;
});

test("off a terminal, a heartbeat line every 30 s with the count and the current label", async () => {
  const out = capture();
  const p = startProgress("synth", 3006, { stream: out.stream, interactive: false });
  p.tick(1200, "team-orders-dev");
  jest.advanceTimersByTime(29_000);
  await Promise.resolve();
  expect(out.text()).toBe("");
  jest.advanceTimersByTime(1_000);
  await Promise.resolve();
  expect(out.text()).toMatch(/^synth: 1200\/3006 \(39%\) \d+ s, team-orders-dev\n$/);
  p.done("Synthesized 3006 stack(s)");
  jest.advanceTimersByTime(120_000);
  await Promise.resolve();
  expect(out.text().trim().split("\n")).toHaveLength(2);
  expect(out.text()).toMatch(/Synthesized 3006 stack\(s\)\n$/);
});

test("a tick writes the heartbeat when one is due, so a synchronous loop is not silent either", () => {
  const out = capture();
  const p = startProgress("synth", 10, { stream: out.stream, interactive: false });
  p.tick(1, "organization");
  expect(out.text()).toBe("");
  // The clock moves on while the loop keeps the timer from running.
  jest.setSystemTime(Date.now() + 31_000);
  p.tick(1, "log-archive");
  expect(out.text()).toMatch(/^synth: 2\/10 \(20%\) \d+ s, log-archive\n$/);
  p.tick(1, "security");
  expect(out.text().trim().split("\n")).toHaveLength(1);
  p.done();
});

test("work of unknown size shows the label and the time only", async () => {
  const out = capture();
  const p = startProgress("installing moto", 0, { stream: out.stream, interactive: false });
  p.label("pip install");
  jest.advanceTimersByTime(30_000);
  await Promise.resolve();
  expect(out.text()).toMatch(/^installing moto: \d+ s, pip install\n$/);
  p.done();
});

test("the interval can be shortened, never lengthened past 30 s", () => {
  process.env.LZ_HEARTBEAT_SECONDS = "5";
  expect(heartbeatSeconds()).toBe(5);
  process.env.LZ_HEARTBEAT_SECONDS = "600";
  expect(heartbeatSeconds()).toBe(30);
  process.env.LZ_HEARTBEAT_SECONDS = "soon";
  expect(heartbeatSeconds()).toBe(30);
});

test("silent progress prints nothing", () => {
  const out = capture();
  const p = startProgress("synth", 10, { stream: out.stream, silent: true });
  p.tick(10);
  p.done("done");
  expect(out.text()).toBe("");
});

test("on a terminal, a bar that ends with the summary line", () => {
  jest.useRealTimers();
  const out = capture();
  const p = startProgress("synth", 4, { stream: out.stream, interactive: true });
  p.tick(2, "organization");
  p.done("Synthesized 4 stack(s)");
  expect(out.text()).toContain("synth [");
  expect(out.text()).toMatch(/Synthesized 4 stack\(s\)\n$/);
});

describe("colour and terminals (NO_COLOR, https://no-color.org)", () => {
  const saved = { CI: process.env.CI, TERM: process.env.TERM };
  afterEach(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });
  const tty = () => {
    const out = capture();
    (out.stream as { isTTY?: boolean }).isTTY = true;
    return out;
  };
  // SGR sequences (ESC [ ... m) set colours; cursor movement is no colour.
  const COLOUR = /\x1b\[[0-9;]*m/;

  test("the bar never prints colour, so NO_COLOR has nothing to turn off", () => {
    jest.useRealTimers();
    const out = capture();
    const p = startProgress("synth", 4, { stream: out.stream, interactive: true });
    p.tick(3, "team-payments-dev");
    p.done("Synthesized 4 stack(s)");
    expect(out.text()).not.toMatch(COLOUR);
  });

  test("a bar only on a terminal, and not with CI set or TERM=dumb", () => {
    jest.useRealTimers();
    delete process.env.CI;
    process.env.TERM = "xterm-256color";
    const terminal = tty();
    startProgress("synth", 4, { stream: terminal.stream }).done();
    expect(terminal.text()).toContain("synth [");
    for (const env of [{ CI: "true" }, { TERM: "dumb" }]) {
      Object.assign(process.env, env);
      const quiet = tty();
      startProgress("synth", 4, { stream: quiet.stream }).done();
      expect(quiet.text()).toBe("");
      delete process.env.CI;
      process.env.TERM = "xterm-256color";
    }
    const pipe = capture();
    startProgress("synth", 4, { stream: pipe.stream }).done();
    expect(pipe.text()).toBe("");
  });
});

// The requests of a run, in the shapes the blueprint's OpenAPI models accept (NewItem, Job): every
// POST /items a new item under its own Idempotency-Key, every GET /items/{id} an item the run created
// before the load started, every POST /jobs a job with its own id. Ids carry the run id, so the rows
// a run leaves in a stage's table can be told apart from real ones.
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import { authorize, type Caller, type HttpCall } from "./auth";
import type { Route } from "./profile";

export interface RunContext {
  /** Base URL of the stage, without a trailing slash: `https://<id>.execute-api.<region>.amazonaws.com/dev`. */
  stageUrl: string;
  runId: string;
  itemIds: string[];
}

/** Items created before the load so GET /items/{id} reads what exists (a 404 counts as an error). */
export const SEED_ITEMS = 4;
/** Seeds sent at once: the smallest reserved concurrency, so seeding itself is never throttled. */
const SEED_PARALLEL = 2;
const SEED_ATTEMPTS = 5;

export function routeCall(route: Route, seq: number, ctx: RunContext): HttpCall {
  const url = (path: string) => new URL(`${ctx.stageUrl}${path}`);
  const json = { "content-type": "application/json" };
  switch (route) {
    case "POST /items":
      return {
        method: "POST",
        url: url("/items"),
        headers: { ...json, "idempotency-key": `loadtest-${ctx.runId}-${seq}` },
        body: JSON.stringify({
          name: `loadtest ${ctx.runId} ${seq}`,
          quantity: seq,
          tags: ["loadtest"],
        }),
      };
    case "GET /items/{id}":
      return {
        method: "GET",
        url: url(`/items/${ctx.itemIds[seq % ctx.itemIds.length]}`),
        headers: {},
      };
    case "POST /jobs":
      return {
        method: "POST",
        url: url("/jobs"),
        headers: json,
        body: JSON.stringify({ jobId: `lt-${ctx.runId}-${seq}`, action: "loadtest" }),
      };
  }
}

/** One line of vegeta's JSON target format. */
export function vegetaTarget(call: HttpCall): string {
  const header: Record<string, string[]> = {};
  for (const [k, v] of Object.entries(call.headers)) {
    // Go's client sets Host from the URL, the same value the signature covers.
    if (k.toLowerCase() !== "host") header[k] = [v];
  }
  return JSON.stringify({
    method: call.method,
    url: call.url.toString(),
    header,
    ...(call.body !== undefined && { body: Buffer.from(call.body).toString("base64") }),
  });
}

export interface Response {
  status: number;
  body: string;
}

/** One request outside the load (seeding): node's client, so a signed Host header is kept. */
export function send(call: HttpCall, timeoutMs = 30_000): Promise<Response> {
  const request = call.url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = request(
      call.url,
      { method: call.method, headers: call.headers, timeout: timeoutMs },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (chunk: string) => (body += chunk));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("timeout", () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on("error", reject);
    req.end(call.body);
  });
}

/** Creates the items the GET route reads; idempotent, so a rerun against a stage adds nothing. */
export async function seedItems(
  caller: Caller,
  ctx: Omit<RunContext, "itemIds">,
): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < SEED_ITEMS; i += SEED_PARALLEL) {
    const chunk = Array.from({ length: Math.min(SEED_PARALLEL, SEED_ITEMS - i) }, (_, k) => i + k);
    ids.push(...(await Promise.all(chunk.map((n) => seedItem(caller, ctx.stageUrl, n)))));
  }
  return ids;
}

async function seedItem(caller: Caller, stageUrl: string, n: number): Promise<string> {
  const what = `POST ${stageUrl}/items (creating the items GET /items/{id} reads)`;
  for (let attempt = 1; ; attempt++) {
    // Signed again on every attempt: a signature carries its time.
    const call = await authorize(caller, {
      method: "POST",
      url: new URL(`${stageUrl}/items`),
      headers: { "content-type": "application/json", "idempotency-key": `loadtest-seed-${n}` },
      body: JSON.stringify({ name: `loadtest seed ${n}`, tags: ["loadtest"] }),
    });
    let res: Response;
    try {
      res = await send(call);
    } catch (e) {
      throw new Error(`${what} failed: ${(e as Error).message}`);
    }
    if (res.status === 429 && attempt < SEED_ATTEMPTS) {
      await new Promise((r) => setTimeout(r, 200 * attempt));
      continue;
    }
    const id = res.status < 300 ? idOf(res.body) : undefined;
    if (id === undefined) {
      throw new Error(`${what} answered ${res.status}: ${res.body.slice(0, 300)}`);
    }
    return id;
  }
}

function idOf(body: string): string | undefined {
  try {
    const id = (JSON.parse(body) as { id?: unknown }).id;
    return typeof id === "string" ? id : undefined;
  } catch {
    return undefined;
  }
}

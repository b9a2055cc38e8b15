// `--target local`: the reference service's own handlers behind a loopback HTTP server that answers
// as the blueprint's API stage does. POST /items and GET /items/{id} become Lambda proxy events for
// the API handler, run under the API function's reserved concurrency (an invocation beyond it gets
// 429, as Lambda throttles); POST /jobs is the SQS integration (202 {"messageId"}), the worker handler
// drains the queue. DynamoDB is dynalite, in memory, as in the handler tests. Nothing leaves
// 127.0.0.1, and everything stops with close().
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, SQSEvent } from "aws-lambda";
import type { SizedEnvironment } from "../../config/model";
import { blueprintNames } from "../../config/names";
import { createApiHandler } from "../../services/reference/api";
import { createWorkerHandler } from "../../services/reference/worker";
import { hasValidSignature, LOCAL_API_KEY, LOCAL_CREDENTIALS, type Caller } from "./auth";
import { LocalQueue, type QueueStats } from "./local-queue";

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: { createTableMs: number }) => Server;

/** Messages the local queue holds before POST /jobs answers 500 (SQS itself is unbounded). */
export const LOCAL_QUEUE_CAPACITY = 10_000;
const LOCAL_ACCOUNT = "000000000000";
/** API Gateway refuses payloads above 10 MB. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface LocalTargetOptions {
  env: SizedEnvironment;
  /** Added to every invocation of both functions: a rehearsal of a service slower than declared. */
  delayMs: number;
}

export interface LocalStats {
  api: {
    reservedConcurrency: number;
    invocations: number;
    throttled: number;
    peakConcurrency: number;
    failed: number;
  };
  worker: QueueStats & {
    maximumConcurrency: number;
    batchSize: number;
    batchingWindowSeconds: number;
    /** Seconds from the last POST /jobs until the queue was empty; null if it did not empty in time. */
    drainedSecondsAfterLastSend: number | null;
  };
  delayMs: number;
}

export interface LocalTarget {
  stageUrl: string;
  caller: Caller;
  /** Waits (bounded) for the worker to empty the queue, then reports. */
  finish(maxWaitMs: number): Promise<LocalStats>;
  close(): Promise<void>;
}

export async function startLocalTarget(opts: LocalTargetOptions): Promise<LocalTarget> {
  const { env, delayMs } = opts;
  const names = blueprintNames(env);
  const bp = env.blueprint;
  const d = env.derived;

  const db = dynalite({ createTableMs: 0 });
  await listen(db);
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(db.address() as AddressInfo).port}`,
    region: env.region,
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  try {
    // The table the blueprint synthesizes: one string partition key, pk.
    await client.send(
      new CreateTableCommand({
        TableName: names.table,
        AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
        KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
        BillingMode: "PAY_PER_REQUEST",
      }),
    );
  } catch (e) {
    // A listening dynalite would keep the command alive after it printed its error.
    db.close();
    throw e;
  }

  const api = createApiHandler({ client, tableName: names.table });
  const worker = createWorkerHandler({
    client,
    tableName: names.table,
    ttlAttribute: bp.table.ttlAttribute,
  });
  const apiStats: LocalStats["api"] = {
    reservedConcurrency: d.apiReservedConcurrency,
    invocations: 0,
    throttled: 0,
    peakConcurrency: 0,
    failed: 0,
  };
  let inFlight = 0;

  const queue = new LocalQueue(
    {
      capacity: LOCAL_QUEUE_CAPACITY,
      batchSize: bp.queue.batchSize,
      batchingWindowMs: bp.queue.maximumBatchingWindowSeconds * 1000,
      maximumConcurrency: d.workerMaximumConcurrency,
      maxReceiveCount: bp.queue.maxReceiveCount,
      queueArn: `arn:aws:sqs:${env.region}:${LOCAL_ACCOUNT}:${names.queue}`,
      region: env.region,
    },
    (event: SQSEvent) =>
      withTimeout(bp.functions.worker.timeoutSeconds, async () => {
        await sleep(delayMs);
        return worker(event);
      }),
  );
  queue.start();

  async function invokeApi(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
    if (inFlight >= d.apiReservedConcurrency) {
      apiStats.throttled += 1;
      return gatewayAnswer(429, { message: "Rate Exceeded." }, "TooManyRequestsException");
    }
    inFlight += 1;
    apiStats.invocations += 1;
    apiStats.peakConcurrency = Math.max(apiStats.peakConcurrency, inFlight);
    try {
      return await withTimeout(bp.functions.api.timeoutSeconds, async () => {
        await sleep(delayMs);
        return api(event, { awsRequestId: randomUUID() });
      });
    } catch {
      // A Lambda error or timeout reaches the client as API Gateway's 502.
      apiStats.failed += 1;
      return gatewayAnswer(502, { message: "Internal server error" });
    } finally {
      inFlight -= 1;
    }
  }

  const stage = names.stage;
  const authorization = bp.api.authorization;
  const server = createServer((req, res) => {
    void handle(req, res).catch((e: unknown) => {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `local target failure: ${String(e)}` }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomUUID();
    const body = await readBody(req);
    const url = new URL(req.url ?? "/", "http://local");
    const headers = flatHeaders(req);
    const send = (r: APIGatewayProxyResult) => {
      const out: Record<string, string | string[]> = { "x-amzn-requestid": requestId };
      for (const [k, v] of Object.entries(r.headers ?? {})) out[k] = String(v);
      for (const [k, v] of Object.entries(r.multiValueHeaders ?? {})) out[k] = v.map(String);
      res.writeHead(r.statusCode, out);
      res.end(r.isBase64Encoded ? Buffer.from(r.body, "base64") : r.body);
    };
    if (body === undefined) return send(gatewayAnswer(413, { message: "Request Too Long" }));

    const route = matchRoute(req.method ?? "", url.pathname, stage);
    if (!route) return send(gatewayAnswer(403, { message: "Missing Authentication Token" }));
    const denied = await authorizationProblem(authorization, env.region, {
      method: req.method ?? "",
      path: url.pathname,
      headers,
      body,
    });
    if (denied) return send(gatewayAnswer(403, { message: denied }));

    if (route.resource === "/jobs") {
      if (!isJob(body)) return send(gatewayAnswer(400, { message: "Invalid request body" }));
      const messageId = queue.send(body);
      return send(
        messageId
          ? gatewayAnswer(202, { messageId })
          : gatewayAnswer(500, { message: "the job could not be queued", requestId }),
      );
    }
    const event = {
      resource: route.resource,
      path: route.path,
      httpMethod: req.method,
      headers,
      multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([k, v]) => [k, [v]])),
      queryStringParameters: null,
      multiValueQueryStringParameters: null,
      pathParameters: route.pathParameters,
      stageVariables: null,
      body: body === "" ? null : body,
      isBase64Encoded: false,
      requestContext: {
        accountId: LOCAL_ACCOUNT,
        apiId: "local",
        stage,
        requestId,
        httpMethod: req.method,
        path: url.pathname,
        resourcePath: route.resource,
        protocol: `HTTP/${req.httpVersion}`,
        requestTimeEpoch: Date.now(),
        identity: { sourceIp: req.socket.remoteAddress ?? "127.0.0.1" },
      },
    } as unknown as APIGatewayProxyEvent;
    send(await invokeApi(event));
  }

  await listen(server);
  const port = (server.address() as AddressInfo).port;
  return {
    stageUrl: `http://127.0.0.1:${port}/${stage}`,
    caller: {
      authorization,
      region: env.region,
      credentials: LOCAL_CREDENTIALS,
      apiKey: LOCAL_API_KEY,
    },
    async finish(maxWaitMs) {
      const drained = await queue.drained(maxWaitMs);
      return {
        api: { ...apiStats },
        worker: {
          ...queue.stats,
          maximumConcurrency: d.workerMaximumConcurrency,
          batchSize: bp.queue.batchSize,
          batchingWindowSeconds: bp.queue.maximumBatchingWindowSeconds,
          drainedSecondsAfterLastSend: drained === undefined ? null : round3(drained),
        },
        delayMs,
      };
    },
    async close() {
      queue.stop();
      server.closeAllConnections();
      await new Promise((r) => server.close(r));
      client.destroy();
      await new Promise((r) => db.close(r));
    },
  };
}

interface RouteMatch {
  resource: "/items" | "/items/{id}" | "/jobs";
  path: string;
  pathParameters: Record<string, string> | null;
}

/** The blueprint's three methods under /<stage>; anything else is API Gateway's 403. */
function matchRoute(method: string, pathname: string, stage: string): RouteMatch | undefined {
  const prefix = `/${stage}`;
  if (!pathname.startsWith(`${prefix}/`)) return undefined;
  const path = pathname.slice(prefix.length);
  if (method === "POST" && path === "/items") {
    return { resource: "/items", path, pathParameters: null };
  }
  if (method === "POST" && path === "/jobs")
    return { resource: "/jobs", path, pathParameters: null };
  const m = /^\/items\/([^/]+)$/.exec(path);
  if (method === "GET" && m) {
    return { resource: "/items/{id}", path, pathParameters: { id: decodeURIComponent(m[1]) } };
  }
  return undefined;
}

async function authorizationProblem(
  authorization: Caller["authorization"],
  region: string,
  request: { method: string; path: string; headers: Record<string, string>; body: string },
): Promise<string | undefined> {
  if (authorization === "api-key") {
    return request.headers["x-api-key"] === LOCAL_API_KEY ? undefined : "Forbidden";
  }
  if (authorization === "iam") {
    if (!request.headers.authorization) return "Missing Authentication Token";
    return (await hasValidSignature(request, region, LOCAL_CREDENTIALS))
      ? undefined
      : "The request signature we calculated does not match the signature you provided.";
  }
  return undefined;
}

/** The Job model's one requirement API Gateway's validator enforces before anything is queued. */
function isJob(body: string): boolean {
  try {
    const v = JSON.parse(body) as unknown;
    return (
      typeof v === "object" &&
      v !== null &&
      !Array.isArray(v) &&
      typeof (v as { action?: unknown }).action === "string"
    );
  } catch {
    return false;
  }
}

function gatewayAnswer(status: number, body: unknown, errorType?: string): APIGatewayProxyResult {
  return {
    statusCode: status,
    headers: {
      "content-type": "application/json",
      ...(errorType && { "x-amzn-errortype": errorType }),
    },
    body: JSON.stringify(body),
  };
}

function flatHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers)) {
    if (v !== undefined) out[k] = Array.isArray(v) ? v.join(",") : v;
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY_BYTES) chunks.push(c);
    });
    req.on("end", () =>
      resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString("utf8")),
    );
    req.on("error", reject);
  });
}

async function withTimeout<T>(seconds: number, run: () => Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      run(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error("Task timed out")), seconds * 1000);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

const sleep = (ms: number) => (ms > 0 ? new Promise((r) => setTimeout(r, ms)) : Promise.resolve());
const round3 = (x: number) => Math.round(x * 1000) / 1000;

function listen(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
}

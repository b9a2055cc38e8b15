// The reference service's handlers against a real DynamoDB-compatible server (dynalite, on a random
// local port) through the real SDK client: idempotent create, not-found, validation, partial batch
// failure, redelivery. The last block runs the very zip that synth ships.
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { readFileSync } from "node:fs";
import { unzipSync, strFromU8 } from "fflate";
import {
  CreateTableCommand,
  DynamoDBClient,
  GetItemCommand,
  ScanCommand,
} from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, SQSEvent, SQSRecord } from "aws-lambda";
import { createApiHandler, type ApiHandler } from "../../services/reference/api";
import { createWorkerHandler } from "../../services/reference/worker";
import { referencePackage } from "../../modules/service-blueprint/reference-package";

// dynalite ships no type declarations.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const dynalite = require("dynalite") as (options: { createTableMs: number }) => Server;

const TABLE = "reference-test-items";
let server: Server;
let endpoint: string;
let client: DynamoDBClient;

beforeAll(async () => {
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  client = new DynamoDBClient({
    endpoint,
    region: "eu-west-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
  });
  // The table the blueprint synthesizes: one string partition key, pk.
  await client.send(
    new CreateTableCommand({
      TableName: TABLE,
      AttributeDefinitions: [{ AttributeName: "pk", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "pk", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
});

afterAll(async () => {
  client?.destroy();
  await new Promise((resolve) => server.close(resolve));
});

let seq = 0;
function event(
  method: string,
  resource: string,
  opts: { body?: string; headers?: Record<string, string>; id?: string } = {},
): APIGatewayProxyEvent {
  seq += 1;
  return {
    httpMethod: method,
    resource,
    path: resource.replace("{id}", opts.id ?? ""),
    body: opts.body ?? null,
    headers: opts.headers ?? {},
    pathParameters: opts.id !== undefined ? { id: opts.id } : null,
    requestContext: { requestId: `req-${seq}` },
  } as unknown as APIGatewayProxyEvent;
}
const ctx = { awsRequestId: "lambda-request" };
const body = (r: { body: string }) => JSON.parse(r.body) as Record<string, unknown>;

describe("API handler", () => {
  let api: ApiHandler;
  beforeAll(() => {
    api = createApiHandler({ client, tableName: TABLE });
  });

  test("POST /items stores an item that GET /items/{id} returns", async () => {
    const created = await api(
      event("POST", "/items", { body: JSON.stringify({ name: "lamp", quantity: 3 }) }),
      ctx,
    );
    expect(created.statusCode).toBe(201);
    const item = body(created);
    expect(item).toMatchObject({ name: "lamp", quantity: 3 });
    expect(created.headers?.location).toBe(`/items/${item.id}`);

    const read = await api(event("GET", "/items/{id}", { id: item.id as string }), ctx);
    expect(read.statusCode).toBe(200);
    expect(body(read)).toEqual(item);
  });

  test("a retry with the same Idempotency-Key and body returns the same item, stored once", async () => {
    const request = () =>
      event("POST", "/items", {
        body: JSON.stringify({ name: "desk", tags: ["oak"] }),
        headers: { "Idempotency-Key": "order-7781" },
      });
    const first = await api(request(), ctx);
    const second = await api(request(), ctx);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(200);
    expect(second.headers?.["idempotent-replayed"]).toBe("true");
    expect(body(second)).toEqual(body(first));
    const all = await client.send(new ScanCommand({ TableName: TABLE }));
    const desks = (all.Items ?? []).filter((i) => i.name?.S === "desk");
    expect(desks).toHaveLength(1);
  });

  test("the same Idempotency-Key with a different body is a 409 conflict", async () => {
    const post = (name: string) =>
      api(
        event("POST", "/items", {
          body: JSON.stringify({ name }),
          headers: { "idempotency-key": "order-9000" },
        }),
        ctx,
      );
    expect((await post("chair")).statusCode).toBe(201);
    const conflict = await post("sofa");
    expect(conflict.statusCode).toBe(409);
    expect(body(conflict).requestId).toMatch(/^req-/);
  });

  test("without an Idempotency-Key every POST creates a new item", async () => {
    const post = () => api(event("POST", "/items", { body: '{"name":"pen"}' }), ctx);
    const [a, b] = [body(await post()), body(await post())];
    expect(a.id).not.toBe(b.id);
  });

  test.each([
    ["not JSON", "{name:", "body must be a JSON object"],
    ["an array", "[]", "body must be a JSON object"],
    ["no name", '{"quantity":1}', "name must be a non-empty string of at most 200 characters"],
    [
      "a negative quantity",
      '{"name":"x","quantity":-1}',
      "quantity must be a whole number, 0 or more",
    ],
    ["an unknown field", '{"name":"x","colour":"red"}', "unknown field colour"],
    [
      "tags that are not strings",
      '{"name":"x","tags":[1]}',
      "tags must be a list of at most 20 strings of 1 to 50 characters",
    ],
  ])("POST /items with %s is a 400 naming the problem", async (_what, raw, detail) => {
    const r = await api(event("POST", "/items", { body: raw }), ctx);
    expect(r.statusCode).toBe(400);
    expect(r.headers?.["content-type"]).toBe("application/json");
    expect(body(r)).toMatchObject({ message: "invalid item", details: [detail] });
    expect(body(r).requestId).toMatch(/^req-\d+$/);
  });

  test("an Idempotency-Key with spaces is rejected before anything is written", async () => {
    const r = await api(
      event("POST", "/items", { body: '{"name":"x"}', headers: { "Idempotency-Key": "a b" } }),
      ctx,
    );
    expect(r.statusCode).toBe(400);
    expect(body(r).message).toBe("invalid Idempotency-Key header");
  });

  test("GET of an unknown id is a JSON 404 with the request id", async () => {
    const r = await api(
      event("GET", "/items/{id}", { id: "00000000-0000-0000-0000-000000000000" }),
      ctx,
    );
    expect(r.statusCode).toBe(404);
    expect(body(r)).toEqual({
      message: "item not found",
      requestId: expect.stringMatching(/^req-/),
    });
  });

  test("GET of a malformed id is a 400", async () => {
    const r = await api(event("GET", "/items/{id}", { id: "../etc" }), ctx);
    expect(r.statusCode).toBe(400);
  });

  test("a DynamoDB failure is a 500 that leaks nothing but the request id", async () => {
    const broken = createApiHandler({ client, tableName: "no-such-table" });
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const r = await broken(event("GET", "/items/{id}", { id: "abc" }), ctx);
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
    expect(r.statusCode).toBe(500);
    expect(body(r)).toEqual({
      message: "internal error",
      requestId: expect.stringMatching(/^req-/),
    });
  });

  test("without an API Gateway request id the Lambda request id is reported", async () => {
    const e = {
      ...event("GET", "/nowhere"),
      requestContext: undefined,
    } as unknown as APIGatewayProxyEvent;
    const r = await api(e, ctx);
    expect(r.statusCode).toBe(404);
    expect(body(r).requestId).toBe("lambda-request");
  });
});

function record(messageId: string, payload: string): SQSRecord {
  return { messageId, body: payload, receiptHandle: `rh-${messageId}` } as SQSRecord;
}

async function jobRecord(jobId: string) {
  const out = await client.send(
    new GetItemCommand({
      TableName: TABLE,
      Key: { pk: { S: `job#${jobId}` } },
      ConsistentRead: true,
    }),
  );
  return out.Item;
}

describe("worker handler", () => {
  test("reports only the failed records of a batch; the good ones are written", async () => {
    const worker = createWorkerHandler({ client, tableName: TABLE, ttlAttribute: "expiresAt" });
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await worker({
      Records: [
        record("m-1", JSON.stringify({ action: "reindex", itemId: "abc" })),
        record("m-2", "{not json"),
        record("m-3", JSON.stringify({ itemId: "abc" })),
        record("m-4", JSON.stringify({ action: "export", jobId: "export-42" })),
      ],
    } as SQSEvent);
    spy.mockRestore();
    expect(result.batchItemFailures).toEqual([
      { itemIdentifier: "m-2" },
      { itemIdentifier: "m-3" },
    ]);
    expect(await jobRecord("m-1")).toMatchObject({
      action: { S: "reindex" },
      itemId: { S: "abc" },
      status: { S: "done" },
    });
    expect(await jobRecord("export-42")).toMatchObject({ messageId: { S: "m-4" } });
    expect(await jobRecord("m-2")).toBeUndefined();
  });

  test("a redelivered message is a success that changes nothing", async () => {
    const run = (now: number) =>
      createWorkerHandler({
        client,
        tableName: TABLE,
        ttlAttribute: "expiresAt",
        resultTtlSeconds: 60,
        now: () => now,
      })({ Records: [record("m-10", JSON.stringify({ action: "notify" }))] } as SQSEvent);
    expect((await run(1_000_000)).batchItemFailures).toEqual([]);
    expect((await run(9_000_000)).batchItemFailures).toEqual([]);
    // The TTL of the first run (1000 s + 60 s) survived the second.
    expect((await jobRecord("m-10"))?.expiresAt).toEqual({ N: "1060" });
  });

  test("when the table cannot be written every record is reported for retry", async () => {
    const worker = createWorkerHandler({ client, tableName: "missing", ttlAttribute: "expiresAt" });
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await worker({
      Records: [record("m-20", '{"action":"a"}'), record("m-21", '{"action":"b"}')],
    } as SQSEvent);
    spy.mockRestore();
    expect(result.batchItemFailures.map((f) => f.itemIdentifier)).toEqual(["m-20", "m-21"]);
  });
});

describe("the packaged reference service", () => {
  // Loads index.js from the zip synth ships, with the Lambda environment the blueprint sets.
  function loadPackaged(fn: "api" | "worker"): {
    handler: (...args: unknown[]) => Promise<unknown>;
  } {
    const files = unzipSync(readFileSync(referencePackage(fn).file));
    expect(Object.keys(files)).toEqual(["index.js"]);
    const mod = { exports: {} as Record<string, unknown> };
    new Function("exports", "require", "module", strFromU8(files["index.js"]))(
      mod.exports,
      require,
      mod,
    );
    return mod.exports as { handler: (...args: unknown[]) => Promise<unknown> };
  }

  const saved = { ...process.env };
  beforeAll(() => {
    Object.assign(process.env, {
      TABLE_NAME: TABLE,
      TTL_ATTRIBUTE: "expiresAt",
      AWS_REGION: "eu-west-1",
      AWS_ACCESS_KEY_ID: "local",
      AWS_SECRET_ACCESS_KEY: "local",
      AWS_ENDPOINT_URL_DYNAMODB: endpoint,
    });
  });
  afterAll(() => {
    process.env = saved;
  });

  test("the api zip creates and reads an item through the table named in TABLE_NAME", async () => {
    const { handler } = loadPackaged("api");
    const created = (await handler(
      event("POST", "/items", {
        body: '{"name":"packaged"}',
        headers: { "Idempotency-Key": "zip-1" },
      }),
      ctx,
    )) as { statusCode: number; body: string };
    expect(created.statusCode).toBe(201);
    const read = (await handler(
      event("GET", "/items/{id}", { id: body(created).id as string }),
      ctx,
    )) as {
      statusCode: number;
      body: string;
    };
    expect(body(read).name).toBe("packaged");
  });

  test("the worker zip processes a batch", async () => {
    const { handler } = loadPackaged("worker");
    const spy = jest.spyOn(console, "error").mockImplementation(() => undefined);
    const result = await handler({
      Records: [record("zip-m", '{"action":"zip"}'), record("bad", "x")],
    });
    spy.mockRestore();
    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: "bad" }] });
    expect(await jobRecord("zip-m")).toBeDefined();
  });
});

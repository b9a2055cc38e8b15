// The synchronous path: API Gateway (Lambda proxy, through the `live` alias) -> this handler -> the
// table. POST /items creates an item (idempotent on the Idempotency-Key header), GET /items/{id} reads one.
import type { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { json, problem } from "./http";
import { ID_PATTERN, IDEMPOTENCY_KEY_PATTERN, ItemStore, parseNewItem } from "./items";

export interface ApiDependencies {
  client: DynamoDBClient;
  tableName: string;
}

export type ApiHandler = (
  event: APIGatewayProxyEvent,
  context: Pick<Context, "awsRequestId">,
) => Promise<APIGatewayProxyResult>;

export function createApiHandler({ client, tableName }: ApiDependencies): ApiHandler {
  const store = new ItemStore(client, tableName);
  return async (event, context) => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    try {
      if (event.httpMethod === "POST" && event.resource === "/items") {
        const key = header(event, "idempotency-key");
        if (key !== undefined && !IDEMPOTENCY_KEY_PATTERN.test(key)) {
          return problem(400, "invalid Idempotency-Key header", requestId, [
            "Idempotency-Key must be 1 to 128 characters: letters, digits, _ . : -",
          ]);
        }
        const parsed = parseNewItem(event.body);
        if (Array.isArray(parsed)) return problem(400, "invalid item", requestId, parsed);
        const result = await store.create(parsed, key);
        if (result.outcome === "conflict") {
          return problem(
            409,
            "this Idempotency-Key was already used with a different body",
            requestId,
          );
        }
        return result.outcome === "created"
          ? json(201, result.item, { location: `/items/${result.item.id}` })
          : json(200, result.item, { "idempotent-replayed": "true" });
      }
      if (event.httpMethod === "GET" && event.resource === "/items/{id}") {
        const id = event.pathParameters?.id ?? "";
        if (!ID_PATTERN.test(id)) return problem(400, "invalid item id", requestId);
        const item = await store.get(id);
        return item ? json(200, item) : problem(404, "item not found", requestId);
      }
      return problem(404, `no route for ${event.httpMethod} ${event.resource}`, requestId);
    } catch (e) {
      // The details go to the log (with the request id), never to the client.
      console.error(JSON.stringify({ requestId, error: String(e) }));
      return problem(500, "internal error", requestId);
    }
  };
}

function header(event: APIGatewayProxyEvent, name: string): string | undefined {
  for (const [k, v] of Object.entries(event.headers ?? {})) {
    if (k.toLowerCase() === name && v !== undefined) return v;
  }
  return undefined;
}

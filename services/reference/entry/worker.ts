// Lambda entry point of the worker function; the client is created once per execution environment.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createWorkerHandler } from "../worker";

export const handler = createWorkerHandler({
  client: new DynamoDBClient({}),
  tableName: process.env.TABLE_NAME ?? "",
  ttlAttribute: process.env.TTL_ATTRIBUTE ?? "expiresAt",
});

// Lambda entry point of the API function. The client lives outside the handler, so warm invocations
// reuse its connections.
import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { createApiHandler } from "../api";

export const handler = createApiHandler({
  client: new DynamoDBClient({}),
  tableName: process.env.TABLE_NAME ?? "",
});

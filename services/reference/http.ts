// JSON responses for API Gateway Lambda proxy integrations. Every error carries the request id, so a
// client's bug report leads straight to the log line.
import type { APIGatewayProxyResult } from "aws-lambda";

export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  };
}

export function problem(
  statusCode: number,
  message: string,
  requestId: string,
  details?: string[],
): APIGatewayProxyResult {
  return json(statusCode, { message, requestId, ...(details && { details }) });
}

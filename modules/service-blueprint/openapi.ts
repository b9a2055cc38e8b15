// The REST API's definition as one OpenAPI 3 document: routes, the POST body models, the request
// validators, authorization and the integrations. A pure function of its inputs, so the deployment
// trigger can hash the same definition with stable placeholders instead of Terraform references.
import type { ResolvedBlueprint } from "../../config/model";
import { arn } from "../../config/partition";

export interface ApiReferences {
  /** invoke_arn of the API function's `live` alias. */
  apiFunctionInvokeArn: string;
  /** Role API Gateway assumes to send to the queue. */
  queueRoleArn: string;
  /** Account id of the queue (part of the SQS integration path). */
  accountId: string;
}

export interface ApiDefinitionInput {
  title: string;
  region: string;
  queueName: string;
  authorization: ResolvedBlueprint["api"]["authorization"];
  refs: ApiReferences;
}

const SECURITY_SCHEMES = {
  iam: {
    sigv4: {
      type: "apiKey",
      name: "Authorization",
      in: "header",
      "x-amazon-apigateway-authtype": "awsSigv4",
    },
  },
  "api-key": { api_key: { type: "apiKey", name: "x-api-key", in: "header" } },
  none: {},
} as const;

/** The SQS query API: the request body becomes the message body, nothing else is forwarded. */
export const SEND_MESSAGE_TEMPLATE = "Action=SendMessage&MessageBody=$util.urlEncode($input.body)";
export const ENQUEUED_TEMPLATE =
  '{"messageId":"$input.path(\'$.SendMessageResponse.SendMessageResult.MessageId\')"}';

export function sqsIntegrationUri(region: string, accountId: string, queueName: string): string {
  return arn("apigateway", region, "sqs", `path/${accountId}/${queueName}`);
}

export function apiDefinition(input: ApiDefinitionInput): Record<string, unknown> {
  const schemeName = Object.keys(SECURITY_SCHEMES[input.authorization])[0];
  const security = schemeName ? { security: [{ [schemeName]: [] }] } : {};
  const jsonBody = (model: string) => ({
    required: true,
    content: { "application/json": { schema: { $ref: `#/components/schemas/${model}` } } },
  });
  const lambdaProxy = {
    type: "aws_proxy",
    httpMethod: "POST",
    uri: input.refs.apiFunctionInvokeArn,
    passthroughBehavior: "when_no_match",
  };
  return {
    openapi: "3.0.1",
    info: { title: input.title, version: "1" },
    "x-amazon-apigateway-api-key-source": "HEADER",
    "x-amazon-apigateway-request-validators": {
      body: { validateRequestBody: true, validateRequestParameters: true },
      params: { validateRequestBody: false, validateRequestParameters: true },
    },
    paths: {
      "/items": {
        post: {
          operationId: "createItem",
          "x-amazon-apigateway-request-validator": "body",
          parameters: [
            { name: "Idempotency-Key", in: "header", required: false, schema: { type: "string" } },
          ],
          requestBody: jsonBody("NewItem"),
          responses: { "201": { description: "created" } },
          ...security,
          "x-amazon-apigateway-integration": lambdaProxy,
        },
      },
      "/items/{id}": {
        get: {
          operationId: "getItem",
          "x-amazon-apigateway-request-validator": "params",
          parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }],
          responses: { "200": { description: "the item" } },
          ...security,
          // The cache key is the item id: the only parameter that changes the answer.
          "x-amazon-apigateway-integration": {
            ...lambdaProxy,
            cacheKeyParameters: ["method.request.path.id"],
          },
        },
      },
      "/jobs": {
        post: {
          operationId: "enqueueJob",
          "x-amazon-apigateway-request-validator": "body",
          requestBody: jsonBody("Job"),
          responses: {
            "202": { description: "queued" },
            "500": { description: "not queued" },
          },
          ...security,
          // No Lambda runs to enqueue: API Gateway calls SQS SendMessage with its own role.
          "x-amazon-apigateway-integration": {
            type: "aws",
            httpMethod: "POST",
            uri: sqsIntegrationUri(input.region, input.refs.accountId, input.queueName),
            credentials: input.refs.queueRoleArn,
            passthroughBehavior: "never",
            requestParameters: {
              "integration.request.header.Content-Type": "'application/x-www-form-urlencoded'",
            },
            requestTemplates: { "application/json": SEND_MESSAGE_TEMPLATE },
            responses: {
              "2\\d{2}": {
                statusCode: "202",
                responseTemplates: { "application/json": ENQUEUED_TEMPLATE },
              },
              default: {
                statusCode: "500",
                responseTemplates: {
                  "application/json":
                    '{"message":"the job could not be queued","requestId":"$context.requestId"}',
                },
              },
            },
          },
        },
      },
    },
    components: {
      schemas: {
        NewItem: {
          type: "object",
          required: ["name"],
          additionalProperties: false,
          properties: {
            name: { type: "string", minLength: 1, maxLength: 200 },
            quantity: { type: "integer", minimum: 0 },
            tags: {
              type: "array",
              maxItems: 20,
              items: { type: "string", minLength: 1, maxLength: 50 },
            },
          },
        },
        Job: {
          type: "object",
          required: ["action"],
          properties: {
            jobId: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$" },
            action: { type: "string", minLength: 1, maxLength: 64 },
            itemId: { type: "string", pattern: "^[A-Za-z0-9-]{1,64}$" },
          },
        },
      },
      securitySchemes: SECURITY_SCHEMES[input.authorization],
    },
  };
}

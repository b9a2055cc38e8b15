// Items: validation of a new item and its storage in the service table. Pure validation is kept apart
// from DynamoDB calls so both can be tested on their own.
import { createHash, randomUUID } from "node:crypto";
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from "@aws-sdk/client-dynamodb";

export interface NewItem {
  name: string;
  quantity?: number;
  tags?: string[];
}

export interface Item extends NewItem {
  id: string;
}

export const ID_PATTERN = /^[A-Za-z0-9-]{1,64}$/;
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_.:-]{1,128}$/;

/** Returns the item, or the list of what is wrong with the body. */
export function parseNewItem(body: string | null | undefined): NewItem | string[] {
  let value: unknown;
  try {
    value = JSON.parse(body ?? "");
  } catch {
    return ["body must be a JSON object"];
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return ["body must be a JSON object"];
  }
  const v = value as Record<string, unknown>;
  const errors: string[] = [];
  for (const key of Object.keys(v)) {
    if (!["name", "quantity", "tags"].includes(key)) errors.push(`unknown field ${key}`);
  }
  if (typeof v.name !== "string" || v.name.trim().length === 0 || v.name.length > 200) {
    errors.push("name must be a non-empty string of at most 200 characters");
  }
  if (
    v.quantity !== undefined &&
    (typeof v.quantity !== "number" || !Number.isInteger(v.quantity) || v.quantity < 0)
  ) {
    errors.push("quantity must be a whole number, 0 or more");
  }
  if (
    v.tags !== undefined &&
    (!Array.isArray(v.tags) ||
      v.tags.length > 20 ||
      v.tags.some((t) => typeof t !== "string" || t.length === 0 || t.length > 50))
  ) {
    errors.push("tags must be a list of at most 20 strings of 1 to 50 characters");
  }
  if (errors.length > 0) return errors;
  return {
    name: v.name as string,
    ...(v.quantity !== undefined && { quantity: v.quantity as number }),
    ...(v.tags !== undefined && { tags: v.tags as string[] }),
  };
}

const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

/** Field order does not change the fingerprint of a request. */
function fingerprint(item: NewItem): string {
  return sha256(JSON.stringify([item.name, item.quantity ?? null, item.tags ?? null]));
}

/** A retried request with the same idempotency key names the same item. */
export function itemIdFor(idempotencyKey: string | undefined): string {
  if (!idempotencyKey) return randomUUID();
  const h = sha256(`idempotency:${idempotencyKey}`);
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20, 32)}`;
}

export type CreateResult =
  | { outcome: "created"; item: Item }
  | { outcome: "replayed"; item: Item }
  | { outcome: "conflict" };

export class ItemStore {
  constructor(
    private readonly client: DynamoDBClient,
    private readonly tableName: string,
  ) {}

  /**
   * Conditional write: the first request with a key creates the item; a retry with the same body
   * gets the stored item back; the same key with a different body is a conflict.
   */
  async create(input: NewItem, idempotencyKey?: string): Promise<CreateResult> {
    const item: Item = { id: itemIdFor(idempotencyKey), ...input };
    const requestHash = fingerprint(input);
    try {
      await this.client.send(
        new PutItemCommand({
          TableName: this.tableName,
          Item: { ...toAttributes(item), requestHash: { S: requestHash } },
          ConditionExpression: "attribute_not_exists(pk)",
        }),
      );
      return { outcome: "created", item };
    } catch (e) {
      if (!(e instanceof ConditionalCheckFailedException) && !isConditionFailure(e)) throw e;
    }
    const stored = await this.getRaw(item.id);
    if (stored && stored.requestHash?.S === requestHash) {
      return { outcome: "replayed", item: fromAttributes(stored) };
    }
    return { outcome: "conflict" };
  }

  async get(id: string): Promise<Item | undefined> {
    const raw = await this.getRaw(id);
    return raw ? fromAttributes(raw) : undefined;
  }

  private async getRaw(id: string): Promise<Record<string, AttributeValue> | undefined> {
    const out = await this.client.send(
      new GetItemCommand({
        TableName: this.tableName,
        Key: { pk: { S: itemKey(id) } },
        ConsistentRead: true,
      }),
    );
    return out.Item;
  }
}

/** The SDK's exception class differs between bundled copies; the name does not. */
export function isConditionFailure(e: unknown): boolean {
  return (e as { name?: string } | null)?.name === "ConditionalCheckFailedException";
}

const itemKey = (id: string) => `item#${id}`;

function toAttributes(item: Item): Record<string, AttributeValue> {
  return {
    pk: { S: itemKey(item.id) },
    id: { S: item.id },
    name: { S: item.name },
    ...(item.quantity !== undefined && { quantity: { N: String(item.quantity) } }),
    ...(item.tags !== undefined && { tags: { L: item.tags.map((t) => ({ S: t })) } }),
  };
}

function fromAttributes(a: Record<string, AttributeValue>): Item {
  return {
    id: a.id.S!,
    name: a.name.S!,
    ...(a.quantity?.N !== undefined && { quantity: Number(a.quantity.N) }),
    ...(a.tags?.L !== undefined && { tags: a.tags.L.map((t) => t.S!) }),
  };
}

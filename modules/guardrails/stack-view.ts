// A read-only view of one stack as Terraform will see it: the resolved JSON (snake_case keys,
// references as `${type.name.attr}`), with each resource's construct path and whether its type
// takes tags. Rules read only this, so they judge exactly what a user reviews in cdk.tf.json.
import { TerraformResource, TerraformStack } from "cdktf";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export interface TfResource {
  type: string;
  name: string;
  /** Construct path, `team-payments-prod/service/queue`: what waivers and messages name. */
  path: string;
  attrs: Record<string, Json>;
  /** The provider schema has a `tags` argument for this type. */
  taggable: boolean;
}

export interface StackView {
  stackId: string;
  resources: TfResource[];
  /** `data.<type>.<name>` blocks, for policy documents built with aws_iam_policy_document. */
  dataSources: Record<string, Record<string, Json>>;
  ofType(type: string): TfResource[];
  /** default_tags of the provider a resource uses (its `provider` alias, else the default one). */
  defaultTags(resource: TfResource): Record<string, string>;
}

export function stackView(stack: TerraformStack, tf: Json): StackView {
  const taggable = new Set<string>();
  for (const node of stack.node.findAll()) {
    if (TerraformResource.isTerraformResource(node) && "tagsInput" in node) {
      taggable.add(`${node.terraformResourceType}.${node.friendlyUniqueId}`);
    }
  }
  const resources: TfResource[] = [];
  for (const [type, byName] of Object.entries((tf.resource ?? {}) as Record<string, Json>)) {
    for (const [name, attrs] of Object.entries(byName as Record<string, Json>)) {
      resources.push({
        type,
        name,
        path: attrs?.["//"]?.metadata?.path ?? `${stack.node.id}/${name}`,
        attrs,
        taggable: taggable.has(`${type}.${name}`),
      });
    }
  }
  resources.sort((a, b) => a.path.localeCompare(b.path));
  const providers = ([] as Json[]).concat(tf.provider?.aws ?? []);
  return {
    stackId: stack.node.id,
    resources,
    dataSources: tf.data ?? {},
    ofType: (type) => resources.filter((r) => r.type === type),
    defaultTags(resource) {
      // `provider: "aws.<alias>"` names an aliased configuration; absent or "aws" is the default one.
      const alias =
        typeof resource.attrs.provider === "string"
          ? /^aws\.(.+)$/.exec(resource.attrs.provider)?.[1]
          : undefined;
      const provider = providers.find((p) => (alias ? p.alias === alias : p.alias === undefined));
      return first(provider?.default_tags)?.tags ?? {};
    },
  };
}

/** Nested blocks synthesize as an object or a one-element list depending on the schema. */
export function first(value: Json): Json {
  return Array.isArray(value) ? value[0] : value;
}

/** True when `value` (any JSON) references `target` (`${type.name.attr}`) or contains a literal. */
export function refersTo(value: Json, target: TfResource, literals: unknown[] = []): boolean {
  if (value === undefined || value === null) return false;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  if (text.includes(`${target.type}.${target.name}.`)) return true;
  return literals.some((l) => typeof l === "string" && l !== "" && text === l);
}

export const isTrue = (v: Json) => v === true || v === "true";

// The rehearsal's override file for one synthesized stack. Terraform merges `*_override.tf.json` into
// the stack without touching cdk.tf.json: every AWS provider is pointed at the emulator (a provider
// that uses its own credentials is given the role into its account, as moto hands every assumed role
// the credentials of the role's own account), the provider constraint is relaxed to the version
// installed here, and exactly the declared emulator gaps are stubbed out.
import { readFileSync } from "node:fs";
import { parse } from "yaml";

export const OVERRIDE_FILE = "rehearsal_override.tf.json";

/** Every service endpoint the stacks use, by the provider's endpoint key. */
const SERVICES = [
  // Account Management: without it alternate contacts would be written in real AWS.
  "account",
  "accessanalyzer",
  "apigateway",
  "budgets",
  "cloudtrail",
  "cloudwatch",
  "configservice",
  "dynamodb",
  "ec2",
  // EventBridge: without it the findings rules would be created in real AWS.
  "events",
  "guardduty",
  "iam",
  "identitystore",
  // Inspector: without it the designation would be attempted in real AWS.
  "inspector2",
  "kms",
  "lambda",
  "logs",
  "oam",
  "organizations",
  // The tag lookup `npm run recover` uses to find a KMS key the killed apply never aliased.
  "resourcegroupstaggingapi",
  "s3",
  "s3control",
  // EventBridge Scheduler: without it a blueprint's schedules would be created in real AWS.
  "scheduler",
  "securityhub",
  "servicequotas",
  "sns",
  "sqs",
  "ssoadmin",
  "sts",
];

export interface EmulatorGaps {
  /**
   * `<resource type>`, or `<resource type>[<argument>=<value>]` for only the resources of that type
   * whose argument has that value (the emulator serves the type, but not that value); `*` in the
   * value matches any text.
   */
  resources: Record<string, string>;
  data: Record<string, string>;
  /** `<resource type>.<argument>`: left unset in the rehearsal. */
  arguments: Record<string, string>;
  /** `<resource type>.<argument>`: sent, but the emulator's read-back is ignored. */
  readBack: Record<string, string>;
  /**
   * `<resource type>.<argument>` of a list or set: the values the emulator refuses are left out of
   * it (a trusted service or a policy type it does not know); the rest is sent as written.
   */
  values: Record<string, { values: string[]; reason: string }>;
  locals: Record<string, { value: unknown; reason: string }>;
  /**
   * `<resource type>.<argument>`: the placeholder a stub's argument gets when it refers to another
   * stub and the provider checks its shape (a UUID, say) even under count = 0.
   */
  placeholders: Record<string, { value: string; reason: string }>;
}

export function readGaps(file: string): EmulatorGaps {
  const raw = parse(readFileSync(file, "utf8")) as Partial<EmulatorGaps>;
  return {
    resources: raw.resources ?? {},
    data: raw.data ?? {},
    arguments: raw.arguments ?? {},
    readBack: raw.readBack ?? {},
    values: raw.values ?? {},
    locals: raw.locals ?? {},
    placeholders: raw.placeholders ?? {},
  };
}

type Block = Record<string, unknown>;
export interface StackJson {
  terraform?: { backend?: Record<string, unknown> };
  provider?: { aws?: Block[] };
  resource?: Record<string, Record<string, Block>>;
  data?: Record<string, Record<string, Block>>;
  locals?: Record<string, unknown>;
  output?: Record<string, Block>;
}

export interface OverrideOptions {
  endpoint: string;
  platformRoleName: string;
  /** The provider version installed here; the synthesized constraint when undefined. */
  providerVersion?: string;
}

export interface Override {
  json: object;
  /** Addresses of the stubbed resources and data sources, of the arguments left unset and of those
   * whose read-back is ignored. */
  stubbedResources: string[];
  stubbedData: string[];
  unsetArguments: string[];
  ignoredReadBack: string[];
  /** `<address>.<argument>[<value>]` for every value left out of a list. */
  leftOutValues: string[];
}

export function rehearsalOverride(
  stack: StackJson,
  gaps: EmulatorGaps,
  o: OverrideOptions,
): Override {
  const endpoints = Object.fromEntries(SERVICES.map((s) => [s, o.endpoint]));
  const providers = (stack.provider?.aws ?? []).map((p) => {
    const out: Block = {
      endpoints: [endpoints],
      s3_use_path_style: true,
      skip_metadata_api_check: "true",
      // The emulator answers an unsupported call with a 500, which the provider would retry for minutes.
      max_retries: 2,
    };
    if (p.alias) out.alias = p.alias;
    const pinned = p.allowed_account_ids as string[] | undefined;
    if (!p.assume_role && pinned?.length === 1) {
      out.assume_role = [
        {
          role_arn: `arn:aws:iam::${pinned[0]}:role/${o.platformRoleName}`,
          session_name: "landing-zone-rehearsal",
        },
      ];
    }
    return out;
  });

  const terraform: Block = {};
  if (o.providerVersion) {
    terraform.required_providers = { aws: { source: "hashicorp/aws", version: o.providerVersion } };
  }
  // State stays local and next to the stack, whatever backend the configuration chose.
  if (!stack.terraform?.backend?.local)
    terraform.backend = { local: { path: "terraform.tfstate" } };

  const stubs = stubGaps(stack, gaps);
  const json: Block = { provider: { aws: providers } };
  if (Object.keys(terraform).length > 0) json.terraform = terraform;
  if (Object.keys(stubs.resource).length > 0) json.resource = stubs.resource;
  if (Object.keys(stubs.data).length > 0) json.data = stubs.data;
  if (Object.keys(stubs.locals).length > 0) json.locals = stubs.locals;
  return {
    json,
    stubbedResources: stubs.resourceAddresses,
    stubbedData: stubs.dataAddresses,
    unsetArguments: stubs.unsetArguments,
    ignoredReadBack: stubs.ignoredReadBack,
    leftOutValues: stubs.leftOutValues,
  };
}

/**
 * A list argument without `values`: filtered when written out, wrapped in setsubtract() when it is
 * an expression (an adopted organization's lists are merged with what it already has at plan time).
 */
function withoutValues(value: unknown, values: string[]): unknown {
  if (Array.isArray(value)) return value.filter((v) => !values.includes(v as string));
  if (typeof value === "string" && value.startsWith("${") && value.endsWith("}")) {
    return `\${setsubtract(${value.slice(2, -1)}, ${JSON.stringify(values)})}`;
  }
  return value;
}

function stubGaps(stack: StackJson, gaps: EmulatorGaps) {
  const resource: Record<string, Record<string, Block>> = {};
  const data: Record<string, Record<string, Block>> = {};
  const resourceAddresses: string[] = [];
  const dataAddresses: string[] = [];
  const unsetArguments: string[] = [];
  const ignoredReadBack: string[] = [];
  const leftOutValues: string[] = [];
  // `<type>[<argument>=<value>]`, where `*` in the value stands for any text (a reference to a
  // resource whose generated name ends in a hash).
  const selective = Object.keys(gaps.resources).flatMap((k) => {
    const m = /^([a-z0-9_]+)\[([a-z0-9_]+)=(.*)\]$/.exec(k);
    if (!m) return [];
    const pattern = new RegExp(`^${m[3].split("*").map(escape).join(".*")}$`);
    return [{ type: m[1], key: m[2], pattern }];
  });
  const isGap = (type: string, block: Block) =>
    type in gaps.resources ||
    selective.some(
      (g) =>
        g.type === type &&
        typeof block[g.key] === "string" &&
        g.pattern.test(block[g.key] as string),
    );
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      if (isGap(type, block)) resourceAddresses.push(`${type}.${name}`);
    }
  }
  for (const [type, blocks] of Object.entries(stack.data ?? {})) {
    if (!(type in gaps.data)) continue;
    for (const name of Object.keys(blocks)) dataAddresses.push(`data.${type}.${name}`);
  }
  const stubbed = [...resourceAddresses, ...dataAddresses];
  const patterns = stubbed.map((a) => new RegExp(`(?<![\\w.])${escape(a)}(?![\\w-])`));
  // Only what sits inside ${...} refers to anything; an address in a message is just text.
  const refersToStub = (value: unknown) => {
    const expressions = (JSON.stringify(value) ?? "").match(/\$\{[^}]*\}/g) ?? [];
    return expressions.some((e) => patterns.some((p) => p.test(e)));
  };

  const problems: string[] = [];
  const stubBlock = (type: string, address: string, block: Block): Block => {
    const out: Block = { count: 0 };
    // A reference to another stub would not be valid once that stub has a count; its
    // argument gets a placeholder instead.
    for (const [key, value] of Object.entries(block)) {
      if (key === "depends_on" || key === "lifecycle" || !refersToStub(value)) continue;
      if (typeof value !== "string") {
        problems.push(`${address}.${key} refers to a stub and is not a string`);
        continue;
      }
      // The provider checks an argument's shape before anything runs, even under count = 0: an ARN
      // argument gets an ARN, another shape a declared placeholder.
      out[key] =
        gaps.placeholders[`${type}.${key}`]?.value ??
        (key.endsWith("_arn")
          ? `arn:aws:rehearsal:::stub/${address}.${key}`
          : `rehearsal-stub:${address}.${key}`);
    }
    return out;
  };
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const address = `${type}.${name}`;
      if (isGap(type, block)) {
        (resource[type] ??= {})[name] = stubBlock(type, address, block);
        continue;
      }
      const ignore: string[] = [];
      for (const key of Object.keys(block)) {
        if (`${type}.${key}` in gaps.arguments) {
          ((resource[type] ??= {})[name] ??= {})[key] = null;
          unsetArguments.push(`${address}.${key}`);
        }
        if (`${type}.${key}` in gaps.readBack) {
          ignore.push(key);
          ignoredReadBack.push(`${address}.${key}`);
        }
        const refused = gaps.values[`${type}.${key}`]?.values;
        if (refused) {
          const value = block[key];
          const present = Array.isArray(value)
            ? refused.filter((v) => value.includes(v))
            : typeof value === "string"
              ? refused.filter((v) => value.includes(JSON.stringify(v)))
              : [];
          if (present.length > 0) {
            ((resource[type] ??= {})[name] ??= {})[key] = withoutValues(value, refused);
            for (const v of present) leftOutValues.push(`${address}.${key}[${v}]`);
          }
        }
      }
      if (ignore.length > 0) {
        // The override's lifecycle replaces ignore_changes as a whole: keep the stack's own entries.
        const own = (block.lifecycle as { ignore_changes?: string[] } | undefined)?.ignore_changes;
        ((resource[type] ??= {})[name] ??= {}).lifecycle = {
          ignore_changes: [...(own ?? []), ...ignore],
        };
      }
      if (refersToStub(withoutDependsOn(block))) {
        problems.push(`${address} refers to a stubbed resource or data source`);
      }
    }
  }
  for (const [type, blocks] of Object.entries(stack.data ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      const address = `data.${type}.${name}`;
      if (type in gaps.data) (data[type] ??= {})[name] = stubBlock(type, address, block);
      else if (refersToStub(withoutDependsOn(block)))
        problems.push(`${address} refers to a stubbed resource or data source`);
    }
  }
  const locals: Record<string, unknown> = {};
  for (const [name, value] of Object.entries(stack.locals ?? {})) {
    if (!refersToStub(value)) continue;
    const declared = gaps.locals[name];
    if (declared) locals[name] = declared.value;
    else problems.push(`local.${name} reads a stub; declare its value under locals`);
  }
  for (const [name, value] of Object.entries(stack.output ?? {})) {
    if (refersToStub(value)) problems.push(`output.${name} refers to a stub`);
  }
  if (problems.length > 0) {
    throw new Error(
      `the declared emulator gaps cannot be stubbed cleanly (rehearsal/emulator-gaps.yaml):\n  ${problems.join("\n  ")}`,
    );
  }
  return {
    resource,
    data,
    locals,
    resourceAddresses,
    dataAddresses,
    unsetArguments,
    ignoredReadBack,
    leftOutValues,
  };
}

function withoutDependsOn(block: Block): Block {
  const { depends_on: _ignored, ...rest } = block;
  return rest;
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

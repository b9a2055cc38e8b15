// `npm run recover -- <stack-id>`: after an apply was killed (a lost runner, SIGKILL), adopts into
// the stack's state what the killed apply created but never recorded, so the re-run apply does not
// try to create it again (AWS refuses a second account with the same email, a second bucket, role
// or alias with the same name). It synthesizes the stack, runs `terraform init`, lists the state,
// and for every resource of the synthesized JSON missing from it that has an identifier Terraform
// can import by (the landing zone's names are deterministic; an account is found by its email in
// the organization's account list), runs `terraform import`. An object that does not exist is left
// to the apply. What has no such identifier (a KMS key whose alias was never made, an attachment)
// is named with how to find it. docs/operations.md, "An interrupted apply".
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadLandingZone } from "../config/load";
import { planStacks } from "../stacks";
import { pluginCacheDir } from "../stacks/provider-lock";
import { defaultOutdir, synthesize } from "../stacks/synth";
import { EXIT_OK, exitCodeOf, ExternalError, parseFlags, UsageError } from "./args";
import { terraformBinary } from "./plan";

export const USAGE = `Usage: npm run recover -- <stack-id>
  After an interrupted apply: imports into the stack's state what exists in AWS under the landing
  zone's deterministic names but is missing from state, then the same apply resumes.`;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}
/** Runs one Terraform command in the stack's folder. */
export type Terraform = (args: string[]) => Promise<Run>;

type Block = Record<string, unknown>;
interface StackJson {
  resource?: Record<string, Record<string, Block>>;
  import?: { to: string }[];
}

/** The argument whose literal value is the import id, per resource type. */
const IMPORT_ID_ARGUMENT: Record<string, string> = {
  aws_s3_bucket: "bucket",
  aws_iam_role: "name",
  aws_kms_alias: "name",
  aws_dynamodb_table: "name",
  aws_lambda_function: "function_name",
  aws_cloudwatch_log_group: "name",
  aws_sns_topic: "name",
  aws_identitystore_group: "display_name",
};

/**
 * Objects AWS refuses to make twice whose import id is made of their arguments, which reference
 * other resources of the stack (read from state): a delegated administrator
 * (AccountAlreadyRegisteredException) and a policy attachment (DuplicatePolicyAttachmentException).
 */
const COMPOSITE_IMPORT_ID: Record<string, { arguments: string[]; separator: string }> = {
  aws_organizations_delegated_administrator: {
    arguments: ["account_id", "service_principal"],
    separator: "/",
  },
  aws_organizations_policy_attachment: { arguments: ["target_id", "policy_id"], separator: ":" },
};

export interface Recovery {
  missing: string[];
  /** Targets of the stack's own import blocks: the next plan adopts them (an account by email). */
  byImportBlock: string[];
  imported: { address: string; id: string }[];
  /** Looked up and not found: the apply creates them. */
  absent: string[];
  /** Missing from state with no identifier to look up by. */
  unidentified: { address: string; hint: string }[];
}

/**
 * The stack's resources as Terraform will see them: the synthesized JSON merged with every
 * `*override.tf.json` beside it (the rehearsal's stubs set `count = 0`: those never exist).
 */
export function stackResources(dir: string): Map<string, { type: string; block: Block }> {
  const files = readdirSync(dir)
    .filter((f) => f === "cdk.tf.json" || f.endsWith("override.tf.json"))
    .sort((a, b) => (a === "cdk.tf.json" ? -1 : b === "cdk.tf.json" ? 1 : a.localeCompare(b)));
  const out = new Map<string, { type: string; block: Block }>();
  for (const file of files) {
    const json = JSON.parse(readFileSync(join(dir, file), "utf8")) as StackJson;
    for (const [type, blocks] of Object.entries(json.resource ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        const address = `${type}.${name}`;
        const merged = { ...(out.get(address)?.block ?? {}), ...block };
        out.set(address, { type, block: merged });
      }
    }
  }
  for (const [address, r] of out) if (r.block.count === 0) out.delete(address);
  return out;
}

/** The addresses the stack's own `import` blocks adopt on the next plan. */
function importTargets(dir: string): Set<string> {
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as StackJson;
  return new Set((json.import ?? []).map((i) => i.to));
}

const literal = (v: unknown): string | undefined =>
  typeof v === "string" && !v.includes("${") ? v : undefined;

/** Everything that exists in AWS under its deterministic identifier but not in state, imported. */
export async function recoverStack(
  dir: string,
  terraform: Terraform,
  log: (line: string) => void,
): Promise<Recovery> {
  const resources = stackResources(dir);
  const list = await terraform(["state", "list"]);
  if (list.code !== 0 && !/No state file was found/.test(list.stderr)) {
    throw new ExternalError(`terraform state list failed in ${dir}:\n${list.stderr.trim()}`);
  }
  // Instances of a resource with count or for_each are listed with their key; the landing zone
  // declares none, so the address is what is listed.
  const inState = new Set(list.code === 0 ? list.stdout.split("\n").filter(Boolean) : []);
  const adopted = importTargets(dir);
  const notInState = [...resources.keys()].filter((a) => !inState.has(a)).sort();
  const missing = notInState.filter((a) => !adopted.has(a));
  const result: Recovery = {
    missing: notInState,
    byImportBlock: notInState.filter((a) => adopted.has(a)),
    imported: [],
    absent: [],
    unidentified: [],
  };

  const tryImport = async (address: string, id: string): Promise<Run> => {
    const r = await terraform(["import", "-input=false", "-no-color", address, id]);
    if (r.code === 0) {
      result.imported.push({ address, id });
      log(`imported ${address} (${id})`);
    }
    return r;
  };
  const failed = (address: string, r: Run) =>
    new ExternalError(`terraform import ${address} failed:\n${r.stderr.trim()}`);

  // The organization first: its account list is where accounts are found. Its import id is the
  // organization's own, which the provider names when given another.
  for (const address of missing.filter(
    (a) => resources.get(a)!.type === "aws_organizations_organization",
  )) {
    const probe = await terraform(["import", "-input=false", "-no-color", address, "o-unknown"]);
    const id = /current Organizations Organization ID \((o-[a-z0-9]+)\)/.exec(probe.stderr)?.[1];
    if (probe.code === 0) result.imported.push({ address, id: "o-unknown" });
    else if (id) {
      const r = await tryImport(address, id);
      if (r.code !== 0) throw failed(address, r);
    } else if (/AWSOrganizationsNotInUseException|couldn't find resource/.test(probe.stderr)) {
      result.absent.push(address);
    } else throw failed(address, probe);
  }

  const accounts = missing.filter((a) => resources.get(a)!.type === "aws_organizations_account");
  let byEmail = new Map<string, string>();
  if (accounts.length > 0) {
    // A refresh records the organization's current account list, the accounts the killed apply
    // created included; the state is then what the next plan would read anyway.
    const refresh = await terraform([
      "apply",
      "-refresh-only",
      "-auto-approve",
      "-input=false",
      "-no-color",
    ]);
    if (refresh.code !== 0)
      throw new ExternalError(`terraform apply -refresh-only failed:\n${refresh.stderr.trim()}`);
    const show = await terraform(["show", "-json"]);
    if (show.code !== 0)
      throw new ExternalError(`terraform show -json failed:\n${show.stderr.trim()}`);
    byEmail = organizationAccounts(show.stdout);
  }

  const keys = missing.filter((a) => resources.get(a)!.type === "aws_kms_key");
  const keyIds = keys.length > 0 ? await orphanedKeys(dir, terraform, keys, resources) : new Map();

  // Ids made of other resources' attributes (an attachment's target and policy) are read from state.
  let state: Map<string, Record<string, unknown>> | undefined;
  const valueOf = async (v: unknown): Promise<string | undefined> => {
    const plain = literal(v);
    if (plain !== undefined) return plain;
    // `${type.name.attribute}`, the attribute possibly a path: `roots[0].id`.
    const ref = typeof v === "string" ? /^\$\{([\w-]+\.[\w-]+)\.([\w.[\]]+)\}$/.exec(v) : null;
    if (!ref) return undefined;
    if (!state) {
      const show = await terraform(["show", "-json"]);
      if (show.code !== 0)
        throw new ExternalError(`terraform show -json failed:\n${show.stderr.trim()}`);
      state = stateValues(show.stdout);
    }
    let value: unknown = state.get(ref[1]);
    for (const step of ref[2].split(/[.[\]]+/).filter(Boolean)) {
      value = (value as Record<string, unknown> | undefined)?.[step];
    }
    return typeof value === "string" ? value : undefined;
  };

  // Found by listing, in rounds: an OU whose parent is imported in one round is listed in the next.
  let listed = missing.filter((a) => LISTED[resources.get(a)!.type]);
  for (let round = 0; listed.length > 0 && round < 6; round++) {
    const specs: {
      address: string;
      type: string;
      args: Block;
      attribute: string;
      noneWhen?: RegExp;
    }[] = [];
    for (const address of listed) {
      const { type, block } = resources.get(address)!;
      const spec = await LISTED[type].list(block, valueOf);
      if (spec)
        specs.push({ address, ...spec, args: { ...spec.args, ...providerArgument(block) } });
    }
    if (specs.length === 0) break;
    // One read for every listing; a lookup whose data source fails when nothing matches (a REST API
    // by name) is read alone, and that failure means "none".
    const entries = specs.map((x, i) => ({ ...x, name: `recover_list_${i}` }));
    const together = entries.filter((x) => !x.noneWhen);
    const values = together.length
      ? await readData(dir, terraform, together, "lookup by listing")
      : {};
    for (const x of entries.filter((e) => e.noneWhen)) {
      try {
        Object.assign(values, await readData(dir, terraform, [x], `lookup of ${x.address}`));
      } catch (e) {
        if (!(e instanceof ExternalError && x.noneWhen!.test(e.message))) throw e;
      }
    }
    const show = await terraform(["show", "-json"]);
    if (show.code !== 0)
      throw new ExternalError(`terraform show -json failed:\n${show.stderr.trim()}`);
    const held = heldIdentifiers(show.stdout);
    const found = specs.map((x, i) =>
      LISTED[resources.get(x.address)!.type]
        .pick(values[`recover_list_${i}`]?.value, resources.get(x.address)!.block)
        .filter((id) => !held.has(id)),
    );
    // Candidates a listing cannot tell apart (organization policies list ids only) are described.
    const toConfirm = specs.flatMap((x, i) => {
      const confirm = LISTED[resources.get(x.address)!.type].confirm;
      return confirm ? found[i].map((id) => ({ i, id, confirm, x })) : [];
    });
    if (toConfirm.length > 0) {
      const described = await readData(
        dir,
        terraform,
        toConfirm.map((c, j) => ({
          name: `recover_confirm_${j}`,
          type: c.confirm.type,
          args: { [c.confirm.argument]: c.id, ...providerArgument(c.x.args) },
          attribute: c.confirm.attribute,
        })),
        "description of what was listed",
      );
      for (const [i] of specs.entries()) {
        if (!LISTED[resources.get(specs[i].address)!.type].confirm) continue;
        found[i] = toConfirm
          .map((c, j) => ({ c, value: described[`recover_confirm_${j}`]?.value }))
          .filter(
            ({ c, value }) =>
              c.i === i && c.confirm.matches(value, resources.get(c.x.address)!.block),
          )
          .map(({ c }) => c.id);
      }
    }
    for (const [i, x] of specs.entries()) {
      if (found[i].length === 0) result.absent.push(x.address);
      else if (found[i].length > 1)
        result.unidentified.push({
          address: x.address,
          hint: `more than one object in no state matches it (${found[i].join(", ")}): import the right one with terraform import ${x.address} <id>, and delete the others`,
        });
      else {
        const r = await tryImport(x.address, found[i][0]);
        if (r.code !== 0) throw failed(x.address, r);
      }
    }
    state = undefined;
    const done = new Set(specs.map((x) => x.address));
    listed = listed.filter((a) => !done.has(a));
  }
  for (const address of listed) {
    const { type, block } = resources.get(address)!;
    result.unidentified.push({ address, hint: hintFor(type, block) });
  }

  for (const address of missing) {
    const { type, block } = resources.get(address)!;
    if (type === "aws_organizations_organization" || LISTED[type]) continue;
    const composite = COMPOSITE_IMPORT_ID[type];
    if (composite) {
      const parts = await Promise.all(composite.arguments.map((a) => valueOf(block[a])));
      if (parts.some((p) => p === undefined)) {
        result.unidentified.push({ address, hint: hintFor(type, block) });
        continue;
      }
      const id = parts.join(composite.separator);
      const r = await tryImport(address, id);
      if (r.code === 0) continue;
      if (/Cannot import non-existent remote object|not found|NotFound/.test(r.stderr))
        result.absent.push(address);
      else throw failed(address, r);
      continue;
    }
    if (type === "aws_kms_key") {
      const found = keyIds.get(address);
      if (found === undefined) {
        result.unidentified.push({ address, hint: hintFor(type, block) });
        continue;
      }
      if (found.length === 0) {
        result.absent.push(address);
        continue;
      }
      const r = await tryImport(address, found[0]);
      if (r.code !== 0) throw failed(address, r);
      for (const extra of found.slice(1)) {
        result.unidentified.push({
          address,
          hint: `another key with the same description, in no state: ${extra}; schedule its deletion (aws kms schedule-key-deletion --key-id ${extra})`,
        });
      }
      continue;
    }
    let id: string | undefined;
    if (type === "aws_organizations_account") {
      const email = literal(block.email)?.toLowerCase();
      id = email ? byEmail.get(email) : undefined;
      if (email && !id) {
        result.absent.push(address);
        continue;
      }
    } else if (type === "aws_budgets_budget") {
      // `<account>:<name>`: AWS refuses a second budget of the same name in an account.
      const account = literal(block.account_id) ?? providerAccount(dir, block.provider);
      const name = literal(block.name);
      id = account && name ? `${account}:${name}` : undefined;
    } else if (IMPORT_ID_ARGUMENT[type]) {
      id = literal(block[IMPORT_ID_ARGUMENT[type]]);
    }
    if (!id) {
      result.unidentified.push({ address, hint: hintFor(type, block) });
      continue;
    }
    const r = await tryImport(address, id);
    if (r.code === 0) continue;
    if (/Cannot import non-existent remote object/.test(r.stderr)) result.absent.push(address);
    else throw failed(address, r);
  }
  return result;
}

// Not an `*override.tf.json`: an override file may only override what the stack declares.
const LOOKUP_FILE = "recover_lookup.tf.json";

/**
 * Reads data sources through the stack's own providers (so its roles and regions): a temporary file
 * of data sources and outputs, one refresh-only apply, the outputs, and the file removed.
 */
async function readLookup(
  dir: string,
  terraform: Terraform,
  json: object,
  what: string,
): Promise<Record<string, { value: unknown }>> {
  const file = join(dir, LOOKUP_FILE);
  writeFileSync(file, JSON.stringify(json, null, 2));
  try {
    const r = await terraform([
      "apply",
      "-refresh-only",
      "-auto-approve",
      "-input=false",
      "-no-color",
    ]);
    if (r.code !== 0)
      throw new ExternalError(
        `terraform apply -refresh-only (${what}) failed:\n${r.stderr.trim()}`,
      );
    const out = await terraform(["output", "-json"]);
    return JSON.parse(out.stdout || "{}") as Record<string, { value: unknown }>;
  } finally {
    rmSync(file, { force: true });
  }
}

/** Reads data sources (`name`: one of `type` with `args`) and returns each one's `attribute`. */
function readData(
  dir: string,
  terraform: Terraform,
  entries: { name: string; type: string; args: Block; attribute: string }[],
  what: string,
): Promise<Record<string, { value: unknown }>> {
  const data: Record<string, Record<string, Block>> = {};
  for (const e of entries) (data[e.type] ??= {})[e.name] = e.args;
  const output = Object.fromEntries(
    entries.map((e) => [e.name, { value: `\${data.${e.type}.${e.name}.${e.attribute}}` }]),
  );
  return readLookup(dir, terraform, { data, output }, what);
}

/**
 * Kinds whose import id is none of their arguments, found by listing what exists where the stack
 * would create them (through the stack's provider) and taking the one no state holds that matches
 * the missing resource: a service-linked role by its service's path, an OU by its name under its
 * parent, a REST API or an API key by its name, an organization policy by its name among the
 * policies of its type. `list` gives the data source to read (undefined while its arguments are
 * unknown, as for an OU whose parent is missing too; `noneWhen`: the error by which it says there
 * is none), `pick` the candidate import ids among what it listed.
 */
const LISTED: Record<
  string,
  {
    list: (
      block: Block,
      value: (v: unknown) => Promise<string | undefined>,
    ) => Promise<{ type: string; args: Block; attribute: string; noneWhen?: RegExp } | undefined>;
    pick: (listed: unknown, block: Block) => string[];
    /** A data source describing each candidate, and whether its `attribute` is the missing one's. */
    confirm?: {
      type: string;
      argument: string;
      attribute: string;
      matches: (value: unknown, block: Block) => boolean;
    };
  }
> = {
  aws_iam_service_linked_role: {
    list: async (block) => ({
      type: "aws_iam_roles",
      args: { path_prefix: `/aws-service-role/${String(block.aws_service_name)}/` },
      attribute: "arns",
    }),
    // Without a custom suffix the role's name has none ("_suffix").
    pick: (arns, block) =>
      ((arns ?? []) as string[]).filter((arn) => {
        const name = arn.slice(arn.lastIndexOf("/") + 1);
        const suffix = literal(block.custom_suffix);
        return suffix ? name.endsWith(`_${suffix}`) : !name.includes("_");
      }),
  },
  aws_organizations_organizational_unit: {
    list: async (block, value) => {
      const parent = await value(block.parent_id);
      return parent === undefined
        ? undefined
        : {
            type: "aws_organizations_organizational_units",
            args: { parent_id: parent },
            attribute: "children",
          };
    },
    pick: (children, block) =>
      ((children ?? []) as { id: string; name: string }[])
        .filter((c) => c.name === literal(block.name))
        .map((c) => c.id),
  },
  aws_organizations_policy: {
    list: async (block) => ({
      type: "aws_organizations_policies",
      args: { filter: literal(block.type) ?? "SERVICE_CONTROL_POLICY" },
      attribute: "ids",
    }),
    pick: (ids) => (ids ?? []) as string[],
    confirm: {
      type: "aws_organizations_policy",
      argument: "policy_id",
      attribute: "name",
      matches: (name, block) => name === literal(block.name),
    },
  },
  aws_api_gateway_rest_api: {
    // No data source lists REST APIs; the one that finds one by name fails when there is none.
    list: async (block) => ({
      type: "aws_api_gateway_rest_api",
      args: { name: literal(block.name) },
      attribute: "id",
      // The provider's words for "none" (5.x, and 6.x's empty result).
      noneWhen: /no matching API Gateway REST API found|no REST APIs with name|empty result/,
    }),
    pick: (id) => (typeof id === "string" ? [id] : []),
  },
  aws_api_gateway_api_key: {
    list: async () => ({ type: "aws_api_gateway_api_keys", args: {}, attribute: "items" }),
    pick: (items, block) =>
      ((items ?? []) as { id: string; name: string }[])
        .filter((k) => k.name === literal(block.name))
        .map((k) => k.id),
  },
};

/**
 * A KMS key has no name: the landing zone finds it by its alias, which a kill between the two
 * leaves unmade. The keys of the stack's account carrying the stack's tags are listed (the tagging
 * API, through the stack's own provider configuration), those in no state are described, and a key
 * whose description is the missing key's is the one the killed apply created. Two Terraform reads,
 * through a temporary file of data sources and outputs that is removed afterwards. Returns, per
 * missing key, the ids of the matching keys (empty: none; absent from the map: not looked up).
 */
async function orphanedKeys(
  dir: string,
  terraform: Terraform,
  keys: string[],
  resources: Map<string, { type: string; block: Block }>,
): Promise<Map<string, string[]>> {
  const providerOf = (a: string) => resources.get(a)!.block.provider as string | undefined;
  const providers = [...new Set(keys.map(providerOf))];
  const read = (json: object) => readLookup(dir, terraform, json, "key lookup");
  const listed = await read({
    data: {
      aws_resourcegroupstaggingapi_resources: Object.fromEntries(
        providers.map((p, i) => [
          `recover_keys_${i}`,
          { resource_type_filters: ["kms:key"], ...(p ? { provider: p } : {}) },
        ]),
      ),
    },
    output: Object.fromEntries(
      providers.map((_, i) => [
        `recover_keys_${i}`,
        {
          value: `\${data.aws_resourcegroupstaggingapi_resources.recover_keys_${i}.resource_tag_mapping_list[*].resource_arn}`,
        },
      ]),
    ),
  });
  const show = await terraform(["show", "-json"]);
  const inState = new Set<string>();
  for (const r of (
    JSON.parse(show.stdout || "{}") as {
      values?: { root_module?: { resources?: { type: string; values: { arn?: string } }[] } };
    }
  ).values?.root_module?.resources ?? []) {
    if (r.type === "aws_kms_key" && r.values.arn) inState.add(r.values.arn);
  }
  const candidates = providers.map((_, i) =>
    ((listed[`recover_keys_${i}`]?.value ?? []) as string[])
      .filter((arn) => !inState.has(arn))
      .sort(),
  );
  const all = candidates.flatMap((c, i) => c.map((arn) => ({ arn, provider: providers[i] })));
  const found = new Map<string, string[]>(keys.map((k) => [k, []]));
  if (all.length === 0) return found;
  const described = await read({
    data: {
      aws_kms_key: Object.fromEntries(
        all.map((c, i) => [
          `recover_key_${i}`,
          { key_id: c.arn, ...(c.provider ? { provider: c.provider } : {}) },
        ]),
      ),
    },
    output: Object.fromEntries(
      all.map((_, i) => [
        `recover_key_${i}`,
        {
          value: `\${[data.aws_kms_key.recover_key_${i}.id, data.aws_kms_key.recover_key_${i}.description, data.aws_kms_key.recover_key_${i}.key_state]}`,
        },
      ]),
    ),
  });
  for (const [i, c] of all.entries()) {
    const [id, description, state] = (described[`recover_key_${i}`]?.value ?? []) as string[];
    if (state === "PendingDeletion") continue;
    const key = keys.find(
      (k) =>
        providerOf(k) === c.provider &&
        literal(resources.get(k)!.block.description) === description,
    );
    if (key) found.get(key)!.push(id);
  }
  return found;
}

/**
 * The account a provider configuration acts in: the one of the role it assumes (every landing zone
 * provider assumes a role in its stack's account).
 */
function providerAccount(dir: string, provider: unknown): string | undefined {
  const json = JSON.parse(readFileSync(join(dir, "cdk.tf.json"), "utf8")) as {
    provider?: { aws?: { alias?: string; assume_role?: { role_arn?: string }[] }[] };
  };
  const alias = typeof provider === "string" ? provider.replace(/^aws\./, "") : undefined;
  const config = (json.provider?.aws ?? []).find((p) => p.alias === alias);
  return /^arn:aws[\w-]*:iam::(\d{12}):role\//.exec(config?.assume_role?.[0]?.role_arn ?? "")?.[1];
}

/** The provider argument of a block, to give its lookup the same role and region. */
function providerArgument(block: Block): Block {
  return typeof block.provider === "string" ? { provider: block.provider } : {};
}

/** Adds every string `v` holds, however deep, to `out`: the ids, names and ARNs of a state. */
export function addStrings(v: unknown, out: Set<string>): Set<string> {
  if (typeof v === "string") out.add(v);
  else if (Array.isArray(v)) for (const x of v) addStrings(x, out);
  else if (v && typeof v === "object") for (const x of Object.values(v)) addStrings(x, out);
  return out;
}

/** Every string the state's managed resources hold (ids, ARNs), from `terraform show -json`. */
export function heldIdentifiers(showJson: string): Set<string> {
  const out = new Set<string>();
  const state = JSON.parse(showJson || "{}") as {
    values?: { root_module?: { resources?: { mode?: string; values: unknown }[] } };
  };
  for (const r of state.values?.root_module?.resources ?? [])
    if (r.mode !== "data") addStrings(r.values, out);
  return out;
}

/** Address → attribute values, from `terraform show -json`. */
export function stateValues(showJson: string): Map<string, Record<string, unknown>> {
  const state = JSON.parse(showJson || "{}") as {
    values?: {
      root_module?: { resources?: { address: string; values: Record<string, unknown> }[] };
    };
  };
  return new Map((state.values?.root_module?.resources ?? []).map((r) => [r.address, r.values]));
}

/** Email (lowercase) → account id, from the organization resource in `terraform show -json`. */
export function organizationAccounts(showJson: string): Map<string, string> {
  const state = JSON.parse(showJson) as {
    values?: { root_module?: { resources?: { type: string; values: Record<string, unknown> }[] } };
  };
  const org = state.values?.root_module?.resources?.find(
    (r) => r.type === "aws_organizations_organization",
  );
  const accounts = (org?.values.accounts ?? []) as { email: string; id: string }[];
  return new Map(accounts.map((a) => [a.email.toLowerCase(), a.id]));
}

function hintFor(type: string, block: Block): string {
  if (type === "aws_kms_key") {
    const description = literal(block.description);
    return `a KMS key is found only by its alias; if the apply was killed between the key and its alias, find the key by its description${description ? ` "${description}"` : ""} (aws kms list-keys, describe-key) and schedule its deletion (aws kms schedule-key-deletion), or terraform import it`;
  }
  return "no identifier to look it up by: the apply creates it (an object of this kind that AWS refuses twice fails that apply, naming it)";
}

function spawnTerraform(dir: string): Terraform {
  return (args) =>
    new Promise((done, fail) => {
      const child = spawn(terraformBinary(), args, {
        cwd: dir,
        env: { ...process.env, TF_IN_AUTOMATION: "1", TF_PLUGIN_CACHE_DIR: pluginCacheDir() },
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
      child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
      child.on("error", (e) => fail(new ExternalError(`${terraformBinary()}: ${e.message}`)));
      child.on("close", (code) => done({ code: code ?? 1, stdout, stderr }));
    });
}

/** One line per kind of outcome; the imports were printed as they happened. */
export function renderRecovery(stack: string, r: Recovery): string[] {
  const lines = [
    `${stack}: ${r.missing.length} resource(s) missing from state: ${r.byImportBlock.length} adopted by the stack's import blocks on the next plan, ${r.imported.length} imported, ${r.absent.length} not in AWS (the apply creates them), ${r.unidentified.length} without an identifier to look up`,
  ];
  for (const u of r.unidentified) lines.push(`  ${u.address}: ${u.hint}`);
  return lines;
}

export async function main(argv: string[]): Promise<number> {
  try {
    const { positionals } = parseFlags(
      { args: argv, options: {}, strict: true, allowPositionals: true },
      USAGE,
    );
    if (positionals.length !== 1) throw new UsageError(`give exactly one stack id\n${USAGE}`);
    const stackId = positionals[0];
    const plans = planStacks(loadLandingZone());
    const plan = plans.find((p) => p.id === stackId);
    if (!plan) {
      throw new UsageError(
        `<stack-id>: no stack ${stackId}; stacks are: ${plans.map((p) => p.id).join(", ")}`,
      );
    }
    const outdir = defaultOutdir();
    synthesize([plan], outdir);
    const dir = join(outdir, "stacks", stackId);
    const terraform = spawnTerraform(dir);
    const init = await terraform(["init", "-input=false", "-no-color"]);
    if (init.code !== 0)
      throw new ExternalError(`terraform init failed in ${dir}:\n${init.stderr.trim()}`);
    const r = await recoverStack(dir, terraform, (l) => console.log(`${stackId}: ${l}`));
    for (const line of renderRecovery(stackId, r)) console.log(line);
    return EXIT_OK;
  } catch (e) {
    if (e instanceof Error && /Error acquiring the state lock/.test(e.message)) {
      console.error(
        "The state is locked, most likely by the killed run. Check that no apply of this stack is still running, then release it with `terraform force-unlock <ID>` in the stack's folder (ID as printed above) and run npm run recover again.",
      );
    }
    return exitCodeOf(e);
  }
}

if (require.main === module) {
  void main(process.argv.slice(2)).then((code) => {
    process.exitCode = code;
  });
}

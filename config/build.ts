// Step 2 of loading: the resolved landing zone, built from what was read. A pure function: no file
// is read and no rule is checked here (config/validators/ does that on the result). What cannot be
// built is left out: an environment the organization does not define, an SCP whose file could not
// be read.
import { buildAccess } from "./access";
import { own } from "./keys";
import { deriveNumbers } from "./capacity";
import { blueprintNamed, blueprintOf, DEFAULT_BLUEPRINTS } from "../blueprints";
import { NO_CAPACITY, type BlueprintCapacity } from "../blueprints/blueprint";
import { mergeLayers, resolveAlarms, resolveBlueprint } from "./layers";
import { environmentLayersOf, formerLayoutBlueprint, teamSettingsOf } from "./layout";
import type { TrafficProfile } from "./capacity";
import { blueprintSettings, type Overrides } from "./schema";
import { trailBucketName } from "./names";
import { isOptInRegion } from "./regions";
import { ALTERNATE_CONTACT_TYPES, type AlternateContact } from "./schema/account-settings";
import { renderBuiltinPolicy, renderManagementPolicies } from "./policies";
import type { ConfigInput, PolicySource } from "./read";
import type { OrganizationFile, TeamFile } from "./schema";
import {
  CORE_STACK_IDS,
  SUSPENDED_OU,
  teamStackId,
  type Account,
  type CoreAccount,
  type CoreAccountKey,
  type LandingZone,
  type OrganizationalUnit,
  type OrganizationalUnitTree,
  type OrganizationPolicy,
  type PolicyDocument,
  type ServiceControlPolicy,
  type BlueprintInstanceOf,
  type BlueprintSettings,
  type Team,
  type TeamEnvironment,
} from "./model";

export function buildLandingZone(input: ConfigInput): LandingZone {
  const lz = buildCore(input);
  return { ...lz, access: buildAccess(input, lz.teams, lz.coreAccounts) };
}

function buildCore(input: ConfigInput): LandingZone {
  const { file: orgFile, data: org } = input.organization;
  const baseTags = sortedRecord({
    team: "platform",
    environment: "core",
    "cost-center": "platform",
    owner: "platform",
    ...org.tags.defaults,
    "managed-by": org.tags.defaults["managed-by"] ?? "landing-zone",
  });
  return {
    organizationFile: orgFile,
    org,
    organizationalUnits: flattenOus(org.organizationalUnits, undefined),
    coreAccounts: coreAccounts(org, orgFile),
    teams: input.teams
      .map(({ file, data }) => buildTeam(org, file, data, baseTags))
      .sort((a, b) => a.name.localeCompare(b.name)),
    policies: org.serviceControlPolicies.policies.flatMap((pol, i) => {
      const document = policyDocument(org, i, input.policySources[i]);
      if (!document) return [];
      return [
        {
          name: pol.name,
          description: pol.description,
          document,
          content: JSON.stringify(document),
          targets: pol.targets,
        } satisfies ServiceControlPolicy,
      ];
    }),
    resourceControlPolicies: org.resourceControlPolicies.policies.flatMap((pol, i) => {
      const source = input.rcpSources[i];
      if (!source?.ok) return [];
      return [
        {
          name: pol.name,
          description: pol.description,
          document: source.document,
          content: JSON.stringify(source.document),
          targets: pol.targets,
        } satisfies OrganizationPolicy,
      ];
    }),
    managementPolicies: renderManagementPolicies(org),
    baseTags,
    trailBucketName: trailBucketName(org),
  };
}

/** The document of policy `index`: rendered for a builtin, as read for a file; undefined if unread. */
export function policyDocument(
  org: OrganizationFile,
  index: number,
  source: PolicySource | undefined,
): PolicyDocument | undefined {
  const builtin = org.serviceControlPolicies.policies[index].builtin;
  if (builtin)
    return renderBuiltinPolicy(builtin, { ...org, trailBucketName: trailBucketName(org) });
  return source?.ok ? source.document : undefined;
}

/** The OU tree as paths, depth first, duplicates kept (the organization validators report them). */
function flattenOus(
  tree: OrganizationalUnitTree[],
  parent: string | undefined,
): OrganizationalUnit[] {
  return tree.flatMap((ou) => {
    const path = parent ? `${parent}/${ou.name}` : ou.name;
    return [{ path, name: ou.name, parent }, ...flattenOus(ou.children ?? [], path)];
  });
}

function coreAccounts(org: OrganizationFile, orgFile: string): Record<CoreAccountKey, CoreAccount> {
  const account = (key: CoreAccountKey): CoreAccount => {
    const def = org.coreAccounts[key];
    return {
      key,
      stackId: CORE_STACK_IDS[key],
      kind: "core",
      name: def.name,
      email: def.email,
      ou: def.ou,
      accountId: def.accountId,
      status: "active",
      configRecorder: def.configRecorder,
      source: { file: orgFile, path: `coreAccounts.${key}.email`, templated: false },
      settings: {
        alternateContacts: alternateContactsOf(org.alternateContacts),
        alias: aliasesOn(org)
          ? def.accountAlias !== undefined
            ? {
                value: def.accountAlias,
                file: orgFile,
                path: `coreAccounts.${key}.accountAlias`,
                templated: false,
              }
            : org.accountAliases && {
                value: org.accountAliases.coreTemplate
                  .replaceAll("{org}", org.name)
                  .replaceAll("{account}", CORE_STACK_IDS[key]),
                file: orgFile,
                path: `coreAccounts.${key}.accountAlias`,
                templated: true,
              }
          : undefined,
        optInRegions: optInRegionsOf(org, "active"),
      },
    };
  };
  return {
    logArchive: account("logArchive"),
    security: account("security"),
    observability: account("observability"),
  };
}

function buildTeam(
  org: OrganizationFile,
  file: string,
  data: TeamFile,
  baseTags: Record<string, string>,
): Team {
  const team: Team = {
    name: data.name,
    file,
    raw: data,
    owners: data.owners,
    costCenter: data.costCenter,
    environments: [],
  };
  for (const [envName, env] of Object.entries(data.environments).sort(([a], [b]) =>
    a.localeCompare(b),
  )) {
    const def = own(org.environments, envName);
    if (def) team.environments.push(buildEnvironment(org, team, envName, env, def, baseTags));
  }
  return team;
}

function buildEnvironment(
  org: OrganizationFile,
  team: Team,
  envName: string,
  env: TeamFile["environments"][string],
  def: OrganizationFile["environments"][string],
  baseTags: Record<string, string>,
): TeamEnvironment {
  const data = team.raw;
  const at = `environments.${envName}`;
  const account: Account = {
    stackId: teamStackId(data.name, envName),
    kind: "team",
    name: org.teamAccounts.nameTemplate
      .replaceAll("{team}", data.name)
      .replaceAll("{env}", envName),
    email:
      env.email ??
      org.teamAccounts.emailTemplate.replaceAll("{team}", data.name).replaceAll("{env}", envName),
    ou: env.status === "active" ? (env.ou ?? def.ou) : SUSPENDED_OU,
    accountId: env.accountId,
    status: env.status,
    configRecorder: env.configRecorder,
    source: { file: team.file, path: `${at}.email`, templated: env.email === undefined },
    settings: {
      alternateContacts: alternateContactsOf(
        org.alternateContacts,
        data.alternateContacts,
        env.alternateContacts,
      ),
      alias: aliasesOn(org)
        ? env.accountAlias !== undefined
          ? {
              value: env.accountAlias,
              file: team.file,
              path: `${at}.accountAlias`,
              templated: false,
            }
          : org.accountAliases && {
              value: org.accountAliases.teamTemplate
                .replaceAll("{org}", org.name)
                .replaceAll("{team}", data.name)
                .replaceAll("{env}", envName),
              file: team.file,
              path: `${at}.accountAlias`,
              templated: true,
            }
        : undefined,
      optInRegions: optInRegionsOf(org, env.status),
    },
  };
  // The traffic-sized blueprint's settings and traffic, from either layout (config/layout.ts); the
  // model holds them whether or not the environment lists that blueprint, as it did before keys.
  const former = formerLayoutBlueprint();
  const layers = environmentLayersOf(env, former);
  const traffic = layers.traffic as TrafficProfile | undefined;
  const blueprint = resolveBlueprint(
    ((former !== undefined ? teamSettingsOf(data, former) : undefined) as
      BlueprintSettings | undefined) ?? blueprintSettings.parse({}),
    layers.settings as Overrides<BlueprintSettings> | undefined,
  );
  const quotas = mergeLayers(org.quotas, env.quotas);
  const e: TeamEnvironment = {
    team,
    env: envName,
    account,
    region: env.region ?? org.homeRegion,
    production: def.production,
    logRetentionDays: def.logRetentionDays,
    traffic,
    quotas,
    requestsLambdaQuota: env.quotas?.lambdaConcurrentExecutions !== undefined,
    blueprint,
    alarms: resolveAlarms(traffic, blueprint, org.alarms, data.alarms, env.alarms),
    derived:
      traffic &&
      deriveNumbers(
        traffic,
        {
          headroom: blueprint.headroom,
          throttleHeadroom: blueprint.api.throttleHeadroom,
          burstMultiplier: blueprint.api.burstMultiplier,
          workerTimeoutSeconds: blueprint.functions.worker.timeoutSeconds,
          maximumBatchingWindowSeconds: blueprint.queue.maximumBatchingWindowSeconds,
        },
        quotas,
      ),
    blueprints: [],
    capacity: {
      ...NO_CAPACITY,
      reservableConcurrency: quotas.lambdaConcurrentExecutions - quotas.lambdaUnreservedMinimum,
    },
    budget: {
      headroom: env.budget?.headroom ?? data.budget?.headroom ?? org.budgets.headroom,
      monthlyLimit: env.budget?.monthlyLimit,
    },
    tags: sortedRecord({
      ...baseTags,
      team: data.name,
      environment: envName,
      "cost-center": data.costCenter,
      owner: data.owners[0].email,
    }),
  };
  e.blueprints = resolveBlueprints(data, env);
  for (const use of e.blueprints) {
    if (use.issues) continue;
    const need = blueprintOf(use).capacity({ env: e, settings: use.settings });
    for (const k of Object.keys(NO_CAPACITY) as (keyof BlueprintCapacity)[])
      e.capacity[k] += need[k];
  }
  return e;
}

/**
 * The environment's blueprints: its list, else the team's, else the default; each with its settings,
 * the team's (defaults applied by the schema) under the environment's, checked again once merged (a
 * job declared only in an environment must be whole there). Unknown names are left out here and
 * reported by config/validators/blueprints.ts.
 */
function resolveBlueprints(data: TeamFile, env: TeamFile["environments"][string]) {
  const names = (env.blueprints as string[] | undefined) ?? data.blueprints ?? DEFAULT_BLUEPRINTS;
  return names.flatMap((name): BlueprintInstanceOf[] => {
    const blueprint = blueprintNamed(name);
    if (!blueprint) return [];
    if (!blueprint.settings) return [{ name, settings: undefined }];
    const team = teamSettingsOf(data, name) ?? blueprint.settings.parse({});
    const own = blueprint.formerLayout ? environmentLayersOf(env, name).settings : env[name];
    const parsed = blueprint.settings.safeParse(mergeLayers(team as never, own as never));
    if (parsed.success) return [{ name, settings: parsed.data }];
    return [
      {
        name,
        settings: undefined,
        issues: parsed.error.issues.map((i) => ({
          path: [name, ...i.path.map(String)].join("."),
          message: i.message,
        })),
      },
    ];
  });
}

type ContactLayer = OrganizationFile["alternateContacts"];

/** Each contact type from the lowest level that sets it: environment, then team, then organization. */
function alternateContactsOf(...layers: ContactLayer[]): Account["settings"]["alternateContacts"] {
  const contacts: Account["settings"]["alternateContacts"] = {};
  for (const type of ALTERNATE_CONTACT_TYPES) {
    const contact = layers.reduceRight<AlternateContact | undefined>(
      (found, layer) => found ?? layer?.[type],
      undefined,
    );
    if (contact) contacts[type] = contact;
  }
  return contacts;
}

/**
 * The opt-in regions of allowedRegions, in their order, when the landing zone enables them; none for
 * a suspended or closed account, where nothing runs (removing the setting never disables a region).
 */
/**
 * Aliases are on unless switched off; without an accountAliases block only the accounts that name
 * their own alias get one, so upgrading an organization written before aliases changes no account.
 */
function aliasesOn(org: OrganizationFile): boolean {
  return org.accountAliases?.enabled !== false;
}

function optInRegionsOf(org: OrganizationFile, status: Account["status"]): string[] {
  if (org.optInRegions !== "landing-zone" || status !== "active") return [];
  return org.allowedRegions.filter(isOptInRegion);
}

function sortedRecord(r: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(r).sort(([a], [b]) => a.localeCompare(b)));
}

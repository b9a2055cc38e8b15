// IAM Identity Center, as data: permission sets, the platform's groups, how team groups are named,
// and the rule table that turns team roles into account assignments. organization.yaml holds all of
// it under `access:`; a team file may only name its own groups (`access.groups`).
import { z } from "zod";
import { environmentName, lowerName } from "./common";
import {
  awsManagedPolicyArnValue,
  identityStoreDescription,
  identityStoreDisplayName,
} from "./aws-names";

/** AWS: a permission set name is 1 to 32 characters of [\w+=,.@-]. */
export const permissionSetName = z
  .string()
  .regex(
    /^[\w+=,.@-]{1,32}$/,
    "a permission set name is 1 to 32 characters of letters, digits and +=,.@_-",
  )
  .meta({ title: "permission-set" });

/** Identity Center allows sessions of 1 to 12 hours, in ISO 8601. */
export const SESSION_MINUTES = { min: 60, max: 720 };
const sessionDuration = z
  .string()
  .regex(/^PT(?=\d)(\d+H)?(\d+M)?$/, "must be an ISO 8601 duration like PT8H or PT1H30M")
  .refine(
    (d) => {
      const m = /^PT(?:(\d+)H)?(?:(\d+)M)?$/.exec(d);
      const minutes = Number(m?.[1] ?? 0) * 60 + Number(m?.[2] ?? 0);
      return minutes >= SESSION_MINUTES.min && minutes <= SESSION_MINUTES.max;
    },
    { message: "Identity Center allows sessions from PT1H to PT12H" },
  );

const managedPolicyArn = awsManagedPolicyArnValue;

const policyFile = z
  .string()
  .regex(/^[A-Za-z0-9._/-]+\.json$/, "must be a relative path to a .json file");

const iamPath = z
  .string()
  .max(512, "an IAM path is at most 512 characters")
  .regex(/^\/([\w+=,.@-]+\/)*$/, "must be an IAM path like / or /boundaries/");

const permissionsBoundary = z
  .strictObject({
    managedPolicyArn: managedPolicyArn.optional().describe("An AWS managed policy as the boundary"),
    customerManagedPolicy: z
      .strictObject({
        name: z
          .string()
          .regex(/^[\w+=,.@-]{1,128}$/, "must be an IAM policy name")
          .describe("Name of a policy that exists in every account the set is assigned to"),
        path: iamPath.default("/").describe("IAM path of that policy"),
      })
      .optional()
      .describe("A customer managed policy, by name, that each target account holds"),
  })
  .refine((b) => (b.managedPolicyArn === undefined) !== (b.customerManagedPolicy === undefined), {
    message: "set exactly one of managedPolicyArn or customerManagedPolicy",
  });

const permissionSet = z.strictObject({
  description: z
    .string()
    .min(1)
    .max(700)
    .regex(
      /^[\u0009\u000A\u000D\u0020-\u007E\u00A1-\u00FF]*$/,
      "Identity Center allows Latin-1 text only",
    )
    .describe("What the set is for, shown in the AWS access portal"),
  sessionDuration: sessionDuration
    .default("PT8H")
    .describe("How long a portal or CLI session lasts, PT1H to PT12H"),
  managedPolicies: z
    .array(managedPolicyArn)
    .max(20)
    .default([])
    .describe("AWS managed policies the set's role gets (Identity Center allows 20)"),
  inlinePolicy: policyFile
    .optional()
    .describe(
      "An identity policy in a JSON file, relative to accounts/, held to the same grammar as SCP files",
    ),
  permissionsBoundary: permissionsBoundary
    .optional()
    .describe("Caps what the set's role may do, whatever its policies grant"),
});

const displayName = identityStoreDisplayName;

/** Identity store group ids: a UUID, optionally prefixed by the store's 10 hex digits. */
const groupId = z
  .string()
  .regex(
    /^([0-9a-f]{10}-)?[A-Fa-f0-9]{8}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{4}-[A-Fa-f0-9]{12}$/,
    "must be an identity store group id like 9067c5b6-3071-7034-bd79-46b5d5f7c9c0",
  );

const groupFields = {
  create: z
    .strictObject({
      displayName: displayName.describe("Group name in the identity store"),
      description: identityStoreDescription.optional().describe("Group description"),
    })
    .optional()
    .describe("The landing zone creates the group in the Identity Center identity store"),
  displayName: displayName
    .optional()
    .describe("An existing group (e.g. synced from your identity provider), by display name"),
  id: groupId.optional().describe("An existing group, by its identity store id"),
};

const exactlyOneGroup = {
  message: "set exactly one of create, displayName or id",
};
const isOneGroup = (g: { create?: unknown; displayName?: unknown; id?: unknown }) =>
  [g.create, g.displayName, g.id].filter((v) => v !== undefined).length === 1;

/** A group: created by the landing zone, or an existing one named by display name or id. */
export const groupReference = z
  .strictObject(groupFields)
  .refine(isOneGroup, exactlyOneGroup)
  .describe("Exactly one of create, displayName or id");
export type GroupReference = z.output<typeof groupReference>;

export const roleName = lowerName("a role name", 32).meta({ title: "role" });

const environmentSelector = z
  .union([z.enum(["production", "nonproduction", "all"]), z.array(environmentName).min(1)])
  .describe("production, nonproduction, all, or a list of environment names of organization.yaml");

export const accessSettings = z
  .strictObject({
    permissionSets: z
      .record(permissionSetName, permissionSet)
      .default({})
      .describe("Permission sets by name; each becomes a role in the accounts it is assigned to"),
    groups: z
      .record(
        lowerName("a platform group key", 32).meta({ title: "group" }),
        z
          .strictObject({
            ...groupFields,
            permissionSets: z
              .array(permissionSetName)
              .min(1)
              .describe(
                "Assigned in every core and every active team account, never in the management account",
              ),
          })
          .refine(isOneGroup, exactlyOneGroup),
      )
      .default({})
      .describe("The platform's groups: exactly one of create, displayName or id, and their sets"),
    teamGroups: z
      .strictObject({
        displayName: z
          .string()
          .regex(/\{team\}/, "must contain {team}")
          .regex(/\{role\}/, "must contain {role}")
          .regex(/^\S(?:[\s\S]*\S)?$/, "must not start or end with a space")
          .default("{team}-{role}")
          .describe("Display name of a team's group for a role, e.g. payments-developers"),
        create: z
          .boolean()
          .default(true)
          .describe(
            "true: the landing zone creates the groups; false: they exist (synced from your identity provider) and are looked up by display name",
          ),
      })
      .prefault({})
      .describe("How a team's groups are named when its team file names none"),
    assignments: z
      .array(
        z.strictObject({
          role: roleName.describe("A team role, e.g. developers; each team has one group per role"),
          permissionSet: permissionSetName.describe("Permission set the role's group gets"),
          environments: environmentSelector,
        }),
      )
      .default([])
      .describe("The rule table: which role gets which permission set in which environments"),
  })
  .describe(
    "IAM Identity Center of the management account: permission sets, groups and assignments (docs/access.md)",
  );
export type AccessSettings = z.output<typeof accessSettings>;

export const teamAccess = z
  .strictObject({
    groups: z
      .record(roleName, groupReference)
      .default({})
      .describe("The team's group for a role, instead of the one teamGroups names"),
  })
  .describe("The team's own groups (docs/access.md)");

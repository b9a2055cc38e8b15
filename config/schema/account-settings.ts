// Account settings the landing zone writes into every account it vends: alternate contacts, the
// IAM account alias and the opt-in regions. The limits are AWS's own, so a value AWS would refuse
// half-way through an apply fails validation instead.
import { z } from "zod";

/** The three alternate contact types of the AWS Account Management API, as config keys. */
export const ALTERNATE_CONTACT_TYPES = ["security", "operations", "billing"] as const;
export type AlternateContactType = (typeof ALTERNATE_CONTACT_TYPES)[number];

/** No control characters: AWS shows names and titles in the console and in its emails. */
const PRINTABLE = /^[^\x00-\x1F\x7F]+$/;
/** AWS Account Management's EmailAddress pattern, without the surrounding whitespace it tolerates. */
const CONTACT_EMAIL = /^[\w+=.#|!&-]+@[\w.-]+\.\w+$/;
/**
 * AWS accepts `[\s0-9()+-]+`, up to 25 characters; the landing zone also asks for the international
 * form (E.164: `+`, country code, at most 15 digits), since the people reading it may be anywhere.
 */
const CONTACT_PHONE = /^\+[1-9][\d ()-]*$/;

const contactText = (max: number, what: string) =>
  z
    .string()
    .min(1)
    .max(max, `AWS allows at most ${max} characters in a contact's ${what}`)
    .regex(PRINTABLE, `a contact's ${what} has no control characters`)
    .refine((s) => s.trim() === s && s.trim().length > 0, {
      message: `a contact's ${what} has no leading or trailing spaces`,
    });

export const alternateContact = z
  .strictObject({
    name: contactText(64, "name").describe("Person or team name (AWS: 1-64 characters)"),
    title: contactText(50, "title").describe("Title or role, e.g. Security lead (1-50 characters)"),
    email: z
      .string()
      .max(254, "AWS allows at most 254 characters in a contact's email")
      .regex(CONTACT_EMAIL, "must be an email address like security@example.com")
      .describe("Email address (AWS: at most 254 characters)"),
    phone: z
      .string()
      .max(25, "AWS allows at most 25 characters in a contact's phone number")
      .regex(
        CONTACT_PHONE,
        "must be an international phone number like +44 20 7946 0000: '+', the country code, then digits, spaces, '(', ')' or '-'",
      )
      .refine(
        (p) => {
          const digits = p.replace(/\D/g, "").length;
          return digits >= 7 && digits <= 15;
        },
        { message: "an international phone number has 7 to 15 digits (E.164)" },
      )
      .describe("Phone number in international form, e.g. +44 20 7946 0000 (AWS: at most 25)"),
  })
  .describe("One alternate contact: AWS writes to it about this subject instead of the root email");
export type AlternateContact = z.output<typeof alternateContact>;

/** Alternate contacts by type; a type set at a lower level replaces the whole contact above it. */
export const alternateContacts = (where: string) =>
  z
    .strictObject({
      security: alternateContact.optional().describe("Security notifications"),
      operations: alternateContact.optional().describe("Operations notifications"),
      billing: alternateContact.optional().describe("Billing notifications"),
    })
    .optional()
    .describe(where);

/** IAM's own rule for an account alias (CreateAccountAlias). */
export const ACCOUNT_ALIAS = /^[a-z0-9]([a-z0-9]|-(?!-)){1,61}[a-z0-9]$/;
export const ACCOUNT_ALIAS_RULE =
  "an IAM account alias is 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit";

export const accountAliasOverride = z
  .string()
  .regex(ACCOUNT_ALIAS, ACCOUNT_ALIAS_RULE)
  .regex(/\D/, "an account alias that is all digits would read as an account id")
  .optional();

export const accountAliases = z
  .strictObject({
    enabled: z
      .boolean()
      .default(true)
      .describe("Give every account the landing zone vends an IAM account alias"),
    teamTemplate: z
      .string()
      .regex(/\{team\}/, "must contain {team}")
      .regex(/\{env\}/, "must contain {env}")
      .default("{org}-{team}-{env}")
      .describe(
        "Alias of a team account: {org}, {team} and {env} are filled in; environments.<env>.accountAlias in a team file overrides it",
      ),
    coreTemplate: z
      .string()
      .regex(/\{account\}/, "must contain {account}")
      .default("{org}-{account}")
      .describe(
        "Alias of a core account: {org} and {account} (its stack id, e.g. log-archive) are filled in; coreAccounts.<account>.accountAlias overrides it",
      ),
  })
  .optional()
  .describe(
    "IAM account aliases (sign-in URL https://<alias>.signin.aws.amazon.com/console); unique in all of AWS, not only in this organization. Absent: only the accounts that set accountAlias get one, so an organization that predates aliases plans no change to its accounts",
  );

export const optInRegions = z
  .enum(["landing-zone", "existing"])
  .default("landing-zone")
  .describe(
    "Who enables the opt-in regions of allowedRegions in member accounts: the landing zone (aws_account_region from the management account, before anything runs in the account), or you, out of band (only for accounts that exist already: a new account starts with every opt-in region disabled)",
  );

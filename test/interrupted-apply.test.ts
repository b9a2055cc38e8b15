// An interrupted apply resumes (issue 20, item 8): the organization stack adopts an account a killed
// apply created (an import block by email), `npm run recover` imports what has a deterministic
// identifier, and the rehearsal counts orphans and duplicate accounts in the emulator's state.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as recover, recoverStack, renderRecovery, type Run } from "../cli/recover";

type Block = Record<string, unknown>;
import { main as rehearse } from "../cli/rehearse";
import { runCommandAsync } from "./cli";
import {
  duplicateAccounts,
  inventoryRequest,
  orphans,
  type Inventory,
} from "../cli/rehearsal/interrupt";
import { copyExampleAccounts, EXAMPLE_ACCOUNTS, synthAccounts } from "./helpers";
import { allAccounts } from "../config/model";

const EMAIL_LOOKUP =
  /^\$\{\{ for a in data\.aws_organizations_organization\.org_accounts-by-email_[0-9A-F]+\.accounts : a\.email => a\.id if lower\(a\.email\) == "(.+)" \}\}$/;

describe("the organization stack adopts an account created by a killed apply", () => {
  const out = synthAccounts(undefined, "organization");
  const stack = out.stack("organization");
  const accounts = out.resources("organization", "aws_organizations_account");
  const byEmail = stack.import.filter((i: { for_each?: string }) => i.for_each);

  test("every account without a recorded id is imported when an account with its email exists", () => {
    const unrecorded = Object.entries(accounts)
      .filter(
        ([name]) =>
          !stack.import.some(
            (i: { id: string; to: string; for_each?: string }) =>
              i.to === `aws_organizations_account.${name}` && !i.for_each,
          ),
      )
      .map(([name, a]) => ({ to: `aws_organizations_account.${name}`, email: a.email }));
    // The accounts the example leaves without an id, however many teams it has.
    const withoutId = allAccounts(out.lz).filter((a) => a.accountId === undefined);
    expect(withoutId.length).toBeGreaterThan(0);
    expect(unrecorded).toHaveLength(withoutId.length);
    expect(
      byEmail
        .map((i: { for_each: string; to: string; id: string }) => ({
          to: i.to,
          email: EMAIL_LOOKUP.exec(i.for_each)?.[1],
          id: i.id,
        }))
        .sort((a: { to: string }, b: { to: string }) => a.to.localeCompare(b.to)),
    ).toEqual(
      unrecorded.map((u) => ({ to: u.to, email: u.email.toLowerCase(), id: "${each.value}" })),
    );
    // One lookup of the organization's account list for them all.
    expect(Object.keys(stack.data.aws_organizations_organization)).toEqual([
      expect.stringMatching(/^org_accounts-by-email_/),
    ]);
  });

  test("an organization the stack creates (nothing recorded) cannot be read at plan time: no lookup", () => {
    const dir = copyExampleAccounts();
    for (const team of ["catalog", "payments"]) {
      const file = join(dir, "teams", `${team}.yaml`);
      writeFileSync(file, readFileSync(file, "utf8").replace(/\n\s+accountId: "\d+"/g, ""));
    }
    const greenfield = synthAccounts(dir, "organization").stack("organization");
    expect(greenfield.import ?? []).toEqual([]);
    expect(greenfield.data?.aws_organizations_organization).toBeUndefined();
  });
});

describe("orphans and duplicate accounts in the emulator", () => {
  const MANAGEMENT = "123456789012";
  const TEAM = "210987654321";
  const KEPT_KEY = "caa9c530-62f9-4841-806d-c9a55679206d";
  const ORPHAN_KEY = "eeb2fb2d-980b-4530-bf85-e081150dacfe";
  const role = (account: string) => `arn:aws:iam::${account}:role/lz-config-recorder`;
  // As rehearsal/inventory.py lists them: each object by the string a state holds for it.
  const listed: Inventory = {
    objects: [
      { kind: "aws_kms_key", account: TEAM, region: "eu-west-1", id: KEPT_KEY },
      { kind: "aws_kms_key", account: TEAM, region: "eu-west-1", id: ORPHAN_KEY },
      { kind: "aws_s3_bucket", account: MANAGEMENT, region: "global", id: "acme-trail" },
      { kind: "aws_iam_role", account: MANAGEMENT, region: "global", id: role(MANAGEMENT) },
      { kind: "aws_iam_role", account: TEAM, region: "global", id: role(TEAM) },
      { kind: "aws_organizations_account", account: MANAGEMENT, region: "global", id: TEAM },
    ],
    accounts: [
      { id: MANAGEMENT, email: "root@acme.example" },
      { id: TEAM, email: "team-dev@acme.example" },
    ],
    errors: [],
  };
  const state = (ids: string[]) => ({
    resources: [
      { mode: "managed", instances: ids.map((id) => ({ attributes: { id, tags: {} } })) },
      // A data source's strings adopt nothing.
      { mode: "data", instances: [{ attributes: { id: ORPHAN_KEY } }] },
    ],
  });

  test("an object no state holds is an orphan, named with its kind, account and region", () => {
    const held = [KEPT_KEY, "acme-trail", role(MANAGEMENT), role(TEAM), TEAM];
    const orphanKey = `aws_kms_key ${TEAM}/eu-west-1: ${ORPHAN_KEY}`;
    // The data source's copy of the orphan key's id adopts nothing.
    expect(orphans(listed, [state(held)])).toEqual([orphanKey]);
    expect(orphans(listed, [state(held.filter((i) => i !== TEAM))])).toEqual([
      orphanKey,
      `aws_organizations_account ${MANAGEMENT}/global: ${TEAM}`,
    ]);
    // Any stack's state counts.
    expect(
      orphans(listed, [state(held.slice(0, 2)), state([...held.slice(2), ORPHAN_KEY])]),
    ).toEqual([]);
    // A role of one account is not taken for its namesake in another.
    expect(orphans(listed, [state([...held.filter((i) => i !== role(TEAM)), ORPHAN_KEY])])).toEqual(
      [`aws_iam_role ${TEAM}/global: ${role(TEAM)}`],
    );
  });

  test("a key the killed apply made and the resumed apply made again: the one no state holds", () => {
    const keys = { ...listed, objects: listed.objects.slice(0, 2) };
    expect(orphans(keys, [state([`arn:aws:kms:eu-west-1:${TEAM}:key/x`, KEPT_KEY])])).toEqual([
      `aws_kms_key ${TEAM}/eu-west-1: ${ORPHAN_KEY}`,
    ]);
  });

  test("two accounts with one email are a duplicate (moto accepts the second CreateAccount)", () => {
    expect(duplicateAccounts(listed)).toEqual([]);
    const twice = {
      ...listed,
      accounts: [...listed.accounts, { id: "999999999999", email: "TEAM-DEV@acme.example" }],
    };
    expect(duplicateAccounts(twice)).toEqual(["team-dev@acme.example"]);
  });

  test("the inventory lists the kinds the stacks declare, stubbed ones excepted, in their regions", () => {
    const request = inventoryRequest(
      [
        {
          json: {
            provider: { aws: [{ region: "eu-central-1" }, { region: "us-east-1" }] },
            resource: {
              aws_iam_service_linked_role: { config: { aws_service_name: "config.amazonaws.com" } },
              aws_organizations_policy: { scp: {}, rcp: { type: "RESOURCE_CONTROL_POLICY" } },
              aws_securityhub_account: { hub: {} },
            },
          },
          stubbedAddresses: ["aws_securityhub_account.hub"],
        },
      ],
      { managementAccountId: MANAGEMENT, platformRoleName: "lz-admin", homeRegion: "eu-west-1" },
      "http://127.0.0.1:1",
    );
    expect(request).toEqual({
      endpoint: "http://127.0.0.1:1",
      homeRegion: "eu-west-1",
      regions: ["eu-central-1", "eu-west-1", "us-east-1"],
      managementAccountId: MANAGEMENT,
      platformRoleName: "lz-admin",
      kinds: ["aws_iam_service_linked_role", "aws_organizations_policy"],
      serviceLinkedRoles: ["config.amazonaws.com"],
      policyTypes: ["RESOURCE_CONTROL_POLICY", "SERVICE_CONTROL_POLICY"],
    });
  });
});

describe("npm run recover, with a fake terraform", () => {
  /** A stack folder holding `json` as its synthesized cdk.tf.json. */
  function writeStack(json: object): string {
    const dir = mkdtempSync(join(tmpdir(), "lz-recover-"));
    writeFileSync(join(dir, "cdk.tf.json"), JSON.stringify(json));
    return dir;
  }

  /** `terraform show -json` of a state holding `resources`. */
  const shown = (resources: object[]) => JSON.stringify({ values: { root_module: { resources } } });

  function stackDir(): string {
    const dir = writeStack({
      resource: {
        aws_organizations_organization: { org: { feature_set: "ALL" } },
        aws_organizations_account: {
          auto: { email: "team-staging@acme.example", name: "team-staging" },
          created: { email: "Team-Dev@Acme.example", name: "team-dev" },
          never: { email: "team-prod@acme.example", name: "team-prod" },
        },
        aws_s3_bucket: { trail: { bucket: "acme-trail" }, other: { bucket: "acme-other" } },
        aws_s3_bucket_policy: { trail: { bucket: "${aws_s3_bucket.trail.id}" } },
        aws_iam_role: { named: { name: "${var.prefix}-role" } },
        aws_securityhub_account: { hub: {} },
        // Ids made of other resources' attributes, read from state.
        aws_organizations_policy_attachment: {
          root: {
            target_id: "${aws_organizations_organization.org.roots[0].id}",
            policy_id: "p-12345678",
          },
        },
      },
      // The organization stack's own import by email: the next plan adopts it, not recover.
      import: [
        {
          for_each: "${{ for a in data.x.accounts : a.email => a.id }}",
          to: "aws_organizations_account.auto",
          id: "${each.value}",
        },
      ],
    });
    // The rehearsal's stubs: a resource with count = 0 never exists.
    writeFileSync(
      join(dir, "rehearsal_override.tf.json"),
      JSON.stringify({ resource: { aws_securityhub_account: { hub: { count: 0 } } } }),
    );
    return dir;
  }

  test("imports what exists under its identifier, leaves the rest to the apply and names what it cannot look up", async () => {
    const calls: string[] = [];
    const terraform = async (args: string[]): Promise<Run> => {
      calls.push(args.join(" "));
      const ok = (stdout = "") => ({ code: 0, stdout, stderr: "" });
      if (args[0] === "state")
        return ok("aws_organizations_organization.org\naws_s3_bucket.other\n");
      if (args[0] === "apply") return ok();
      if (args[0] === "show")
        return ok(
          shown([
            {
              address: "aws_organizations_organization.org",
              type: "aws_organizations_organization",
              values: {
                accounts: [{ email: "team-dev@acme.example", id: "210987654321" }],
                roots: [{ id: "r-abcd" }],
              },
            },
          ]),
        );
      if (args[0] === "import") {
        const id = args[args.length - 1];
        if (["acme-trail", "210987654321", "r-abcd:p-12345678"].includes(id)) return ok();
        return { code: 1, stdout: "", stderr: "Error: Cannot import non-existent remote object" };
      }
      throw new Error(`unexpected terraform ${args.join(" ")}`);
    };
    const lines: string[] = [];
    const r = await recoverStack(stackDir(), terraform, (l) => lines.push(l));
    expect(r.imported).toEqual([
      { address: "aws_organizations_account.created", id: "210987654321" },
      { address: "aws_organizations_policy_attachment.root", id: "r-abcd:p-12345678" },
      { address: "aws_s3_bucket.trail", id: "acme-trail" },
    ]);
    expect(r.absent).toEqual(["aws_organizations_account.never"]);
    expect(r.byImportBlock).toEqual(["aws_organizations_account.auto"]);
    expect(r.unidentified.map((u) => u.address)).toEqual([
      "aws_iam_role.named",
      "aws_s3_bucket_policy.trail",
    ]);
    expect(calls).toEqual([
      "state list",
      "apply -refresh-only -auto-approve -input=false -no-color",
      "show -json",
      "import -input=false -no-color aws_organizations_account.created 210987654321",
      "show -json",
      "import -input=false -no-color aws_organizations_policy_attachment.root r-abcd:p-12345678",
      "import -input=false -no-color aws_s3_bucket.trail acme-trail",
    ]);
    expect(renderRecovery("organization", r)[0]).toBe(
      "organization: 7 resource(s) missing from state: 1 adopted by the stack's import blocks on the next plan, 3 imported, 1 not in AWS (the apply creates them), 2 without an identifier to look up",
    );
  });

  test("finds by listing what has no import id among its arguments: a service-linked role, OUs (parent first), a REST API, an API key, a policy; a budget by its account", async () => {
    const dir = writeStack({
      resource: {
        aws_organizations_organization: { org: { feature_set: "ALL" } },
        aws_iam_service_linked_role: {
          config: { aws_service_name: "config.amazonaws.com", provider: "aws.team" },
        },
        aws_organizations_organizational_unit: {
          workloads: {
            name: "Workloads",
            parent_id: "${aws_organizations_organization.org.roots[0].id}",
          },
          prod: {
            name: "Prod",
            parent_id: "${aws_organizations_organizational_unit.workloads.id}",
          },
          never: {
            name: "Sandbox",
            parent_id: "${aws_organizations_organization.org.roots[0].id}",
          },
        },
        aws_api_gateway_api_key: { key: { name: "catalog-prod" }, twice: { name: "twice" } },
        aws_organizations_policy: { scp: { name: "lz-deny-leave", content: "{}" } },
        aws_api_gateway_rest_api: { api: { name: "catalog-prod" }, gone: { name: "gone" } },
        // `<account>:<name>`, the account the one its provider's role is in.
        aws_budgets_budget: { monthly: { name: "lz-team-monthly", provider: "aws.team" } },
      },
      provider: {
        aws: [
          { assume_role: [{ role_arn: "arn:aws:iam::123456789012:role/${var.role}" }] },
          {
            alias: "team",
            assume_role: [{ role_arn: "arn:aws:iam::210987654321:role/${var.role}" }],
          },
        ],
      },
    });
    const ARN =
      "arn:aws:iam::210987654321:role/aws-service-role/config.amazonaws.com/AWSServiceRoleForConfig";
    const inState = ["aws_organizations_organization.org"];
    const lookups: Record<string, unknown>[] = [];
    const values: Record<string, unknown> = {};
    const terraform = async (args: string[]): Promise<Run> => {
      const ok = (stdout = "") => ({ code: 0, stdout, stderr: "" });
      if (args[0] === "state") return ok(inState.join("\n"));
      if (args[0] === "import") {
        inState.push(args[args.length - 2]);
        values[args[args.length - 2]] = { id: args[args.length - 1] };
        return ok();
      }
      if (args[0] === "apply") {
        const lookup = JSON.parse(readFileSync(join(dir, "recover_lookup.tf.json"), "utf8"));
        lookups.push(lookup.data);
        // The provider's data source fails when no REST API has the name.
        const apis = Object.values(lookup.data.aws_api_gateway_rest_api ?? {}) as Block[];
        if (apis.some((a) => a.name === "gone"))
          return { code: 1, stdout: "", stderr: "Error: no matching API Gateway REST API found" };
        return ok();
      }
      if (args[0] === "output") {
        const data = lookups[lookups.length - 1] as Record<string, Record<string, Block>>;
        const out: Record<string, { value: unknown }> = {};
        for (const [name, block] of Object.entries(data.aws_iam_roles ?? {}))
          out[name] = { value: block.provider === "aws.team" ? [ARN, `${ARN}_other`] : [] };
        for (const [name, block] of Object.entries(
          data.aws_organizations_organizational_units ?? {},
        ))
          out[name] = {
            value:
              block.parent_id === "r-abcd"
                ? [{ id: "ou-abcd-1", name: "Workloads" }]
                : block.parent_id === "ou-abcd-1"
                  ? [{ id: "ou-abcd-2", name: "Prod" }]
                  : [],
          };
        for (const [name, block] of Object.entries(data.aws_organizations_policies ?? {}))
          out[name] = {
            value: block.filter === "SERVICE_CONTROL_POLICY" ? ["p-held", "p-other", "p-lost"] : [],
          };
        // Described one by one: only the one the killed apply made has the missing one's name.
        for (const [name, block] of Object.entries(data.aws_organizations_policy ?? {}))
          out[name] = { value: block.policy_id === "p-lost" ? "lz-deny-leave" : "another" };
        for (const name of Object.keys(data.aws_api_gateway_rest_api ?? {}))
          out[name] = { value: "api123" };
        for (const name of Object.keys(data.aws_api_gateway_api_keys ?? {}))
          out[name] = {
            value: [
              { id: "k1", name: "catalog-prod" },
              { id: "k2", name: "twice" },
              { id: "k3", name: "twice" },
            ],
          };
        return ok(JSON.stringify(out));
      }
      if (args[0] === "show")
        return ok(
          shown([
            {
              address: "aws_organizations_organization.org",
              values: { id: "o-abcd", roots: [{ id: "r-abcd" }] },
            },
            { address: "aws_organizations_policy.held", values: { id: "p-held" } },
            ...Object.entries(values).map(([address, v]) => ({ address, values: v })),
          ]),
        );
      throw new Error(`unexpected terraform ${args.join(" ")}`);
    };
    const r = await recoverStack(dir, terraform, () => {});
    expect(r.imported).toEqual([
      { address: "aws_api_gateway_api_key.key", id: "k1" },
      { address: "aws_api_gateway_rest_api.api", id: "api123" },
      { address: "aws_iam_service_linked_role.config", id: ARN },
      { address: "aws_organizations_organizational_unit.workloads", id: "ou-abcd-1" },
      { address: "aws_organizations_policy.scp", id: "p-lost" },
      { address: "aws_organizations_organizational_unit.prod", id: "ou-abcd-2" },
      { address: "aws_budgets_budget.monthly", id: "210987654321:lz-team-monthly" },
    ]);
    expect(r.absent).toEqual([
      "aws_api_gateway_rest_api.gone",
      "aws_organizations_organizational_unit.never",
    ]);
    expect(r.unidentified).toEqual([
      {
        address: "aws_api_gateway_api_key.twice",
        hint: expect.stringContaining("more than one object in no state matches it (k2, k3)"),
      },
    ]);
    // The lookups go through the resource's own provider; the child OU waits for its parent.
    expect(Object.values(lookups[0].aws_iam_roles as object)).toEqual([
      { path_prefix: "/aws-service-role/config.amazonaws.com/", provider: "aws.team" },
    ]);
    // The policies in no state are described; p-held is not.
    expect(Object.values(lookups[3].aws_organizations_policy as object)).toEqual([
      { policy_id: "p-other" },
      { policy_id: "p-lost" },
    ]);
    // Each REST API is looked up alone: its data source fails when there is none.
    expect(lookups.filter((l) => l.aws_api_gateway_rest_api).map((l) => Object.keys(l))).toEqual([
      ["aws_api_gateway_rest_api"],
      ["aws_api_gateway_rest_api"],
    ]);
    expect(lookups).toHaveLength(5);
    expect(lookups[4]).toEqual({
      aws_organizations_organizational_units: { recover_list_0: { parent_id: "ou-abcd-1" } },
    });
  });

  test("a terraform failure other than a missing object stops it", async () => {
    const terraform = async (args: string[]): Promise<Run> =>
      args[0] === "state"
        ? { code: 0, stdout: "", stderr: "" }
        : args[0] === "import"
          ? { code: 1, stdout: "", stderr: "Error: Error acquiring the state lock" }
          : { code: 0, stdout: "{}", stderr: "" };
    await expect(recoverStack(stackDir(), terraform, () => {})).rejects.toThrow(
      /terraform import aws_organizations_organization\.org failed:\nError: Error acquiring the state lock/,
    );
  });
});

describe("the commands' flags", () => {
  const env = { LZ_ACCOUNTS_DIR: EXAMPLE_ACCOUNTS, CDKTF_OUTDIR: "/nonexistent/out" };

  test("recover takes exactly one existing stack id; anything else is a usage error", async () => {
    for (const args of [[], ["--no-such-flag", "organization"], ["organization", "log-archive"]]) {
      const r = await runCommandAsync(recover, args, { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain("Usage: npm run recover -- <stack-id>");
    }
    const r = await runCommandAsync(recover, ["no-such-stack"], { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/<stack-id>: no stack no-such-stack; stacks are: organization, /);
  });

  test("rehearse --interrupt takes a number of kill points and chooses its own stacks", async () => {
    const config = ["--config", EXAMPLE_ACCOUNTS];
    for (const value of ["0", "7", "two"]) {
      const r = await runCommandAsync(rehearse, [...config, "--interrupt", value], { env });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(
        `--interrupt: a number of kill points from 1 to 6 (got "${value}")`,
      );
    }
    const r = await runCommandAsync(
      rehearse,
      [...config, "--interrupt", "2", "--stacks", "organization"],
      { env },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--interrupt: chooses its own stacks and organization");
  });
});

// An interrupted apply resumes (issue 20, item 8): the organization stack adopts an account a killed
// apply created (an import block by email), `npm run recover` imports what has a deterministic
// identifier, and the rehearsal counts orphans and duplicate accounts in the emulator's state.
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { main as recover, recoverStack, renderRecovery, type Run } from "../cli/recover";
import { main as rehearse } from "../cli/rehearse";
import { runCommandAsync } from "./cli";
import { duplicateAccounts, orphans, type MotoState } from "../cli/rehearsal/interrupt";
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

describe("orphans and duplicate accounts in the emulator's state", () => {
  // Recorded from the emulator after an interrupted log-archive apply: its trail key was created
  // twice, once by the killed apply (never aliased) and once by the resumed one.
  const moto = JSON.parse(
    readFileSync(join(__dirname, "fixtures", "rehearsal", "moto-data.json"), "utf8"),
  ) as MotoState;
  const org = {
    managementAccountId: "123456789012",
    platformRoleName: "OrganizationAccountAccessRole",
  };
  const KEPT_KEY = "caa9c530-62f9-4841-806d-c9a55679206d";
  const ORPHAN_KEY = "eeb2fb2d-980b-4530-bf85-e081150dacfe";
  const state = (ids: string[]) => ({
    resources: [
      { mode: "managed", instances: ids.map((id) => ({ attributes: { id, tags: {} } })) },
    ],
  });
  const everything = [
    ...moto.organizations.FakeAccount.map((a) => String(a.id)),
    ...moto.organizations.FakeOrganizationalUnit.map((o) => String(o.id)),
    ...moto.organizations.FakePolicy.map((p) => String(p.id)),
    ...moto.s3.FakeBucket.map((b) => String(b.name)),
  ];

  test("an object no state holds is an orphan; AWS's own and the platform role are not", () => {
    expect(
      orphans(moto, [state(everything), state([`arn:aws:kms:eu-west-1:1:key/${KEPT_KEY}`])], org),
    ).toEqual([`kms.Key: ${ORPHAN_KEY}`]);
    // Any state counts: the bucket's name in another stack's state is enough.
    const [bucket] = moto.s3.FakeBucket.map((b) => String(b.name));
    expect(
      orphans(
        moto,
        [state(everything.filter((i) => i !== bucket)), state([bucket, KEPT_KEY, ORPHAN_KEY])],
        org,
      ),
    ).toEqual([]);
    const account = String(moto.organizations.FakeAccount[3].id);
    expect(
      orphans(
        moto,
        [state(everything.filter((i) => i !== account)), state([KEPT_KEY, ORPHAN_KEY])],
        org,
      ),
    ).toEqual([`organizations.FakeAccount: ${account}`]);
  });

  test("two accounts with one email are a duplicate (moto accepts the second CreateAccount)", () => {
    expect(duplicateAccounts(moto)).toEqual([]);
    const [first] = moto.organizations.FakeAccount.filter((a) => a.id !== org.managementAccountId);
    const twice = {
      ...moto,
      organizations: {
        ...moto.organizations,
        FakeAccount: [
          ...moto.organizations.FakeAccount,
          { ...first, id: "999999999999", email: String(first.email).toUpperCase() },
        ],
      },
    };
    expect(duplicateAccounts(twice)).toEqual([String(first.email).toLowerCase()]);
  });
});

describe("npm run recover, with a fake terraform", () => {
  function stackDir(): string {
    const dir = mkdtempSync(join(tmpdir(), "lz-recover-"));
    writeFileSync(
      join(dir, "cdk.tf.json"),
      JSON.stringify({
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
      }),
    );
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
          JSON.stringify({
            values: {
              root_module: {
                resources: [
                  {
                    address: "aws_organizations_organization.org",
                    type: "aws_organizations_organization",
                    values: {
                      accounts: [{ email: "team-dev@acme.example", id: "210987654321" }],
                      roots: [{ id: "r-abcd" }],
                    },
                  },
                ],
              },
            },
          }),
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

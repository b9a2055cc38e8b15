// The two organizations the rehearsal deploys, both derived from one configuration folder (the
// example in accounts/ unless --config names another), written to a scratch folder:
//   greenfield: every recorded account id and the adoption block removed, so `organization`
//               creates the organization and every account;
//   adoption:   the emulator is first seeded through its API with an organization, the OUs and the
//               accounts the configuration records, and the copy records the ids the emulator
//               assigned, so the import blocks run for real.
import { spawnSync } from "node:child_process";
import { cpSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument, type Document } from "yaml";
import type { LandingZone } from "../../config/model";
import { venvBin } from "./emulator";

export type OrganizationKind = "greenfield" | "adoption";

/** What the seeded organization already uses; adoption must keep it enabled. */
export const SEEDED_SERVICE_PRINCIPAL = "backup.amazonaws.com";
export const SEEDED_POLICY_TYPE = "BACKUP_POLICY";

export function writeFixture(source: string, target: string): void {
  cpSync(source, target, { recursive: true });
  editYaml(join(target, "organization.yaml"), (doc) => {
    doc.delete("existingOrganization");
    for (const key of ["logArchive", "security", "observability"]) {
      doc.deleteIn(["coreAccounts", key, "accountId"]);
    }
  });
  for (const file of teamFiles(target)) {
    editYaml(file, (doc) => {
      for (const env of Object.keys((doc.toJS() as { environments?: object }).environments ?? {})) {
        doc.deleteIn(["environments", env, "accountId"]);
      }
    });
  }
}

interface Seeded {
  organizationId: string;
  organizationalUnitIds: Record<string, string>;
  accountIds: Record<string, string>;
}

/**
 * Seeds the emulator with what the configuration says already exists — the organization, the OUs
 * of every account it records and those accounts (the core accounts always) — and records the ids.
 */
export function seedAdoption(
  lz: LandingZone,
  source: string,
  target: string,
  endpoint: string,
): Seeded {
  const existing = [
    ...Object.entries(lz.coreAccounts).map(([key, a]) => ({ key, account: a })),
    ...lz.teams.flatMap((t) =>
      t.environments
        .filter((e) => e.account.accountId !== undefined)
        .map((e) => ({ key: `${t.name}/${e.env}`, account: e.account })),
    ),
  ];
  const ous = new Set<string>();
  for (const { account } of existing) {
    const parts = account.ou.split("/");
    parts.forEach((_, i) => ous.add(parts.slice(0, i + 1).join("/")));
  }
  const request = {
    endpoint,
    region: lz.org.homeRegion,
    managementAccountId: lz.org.managementAccountId,
    platformRoleName: lz.org.platformRoleName,
    ous: [...ous].sort(),
    accounts: existing.map(({ key, account }) => ({
      key,
      name: account.name,
      email: account.email,
      ou: account.ou,
    })),
    servicePrincipals: [SEEDED_SERVICE_PRINCIPAL],
    policyTypes: [SEEDED_POLICY_TYPE],
  };
  const r = spawnSync(venvBin("python"), [join("rehearsal", "seed-organization.py")], {
    input: JSON.stringify(request),
    encoding: "utf8",
    env: { ...process.env, AWS_ACCESS_KEY_ID: "rehearsal", AWS_SECRET_ACCESS_KEY: "rehearsal" },
  });
  if (r.status !== 0) throw new Error(`seeding the emulator failed:\n${r.stderr}`);
  const seeded = JSON.parse(r.stdout) as Seeded;

  writeFixture(source, target);
  editYaml(join(target, "organization.yaml"), (doc) => {
    doc.set("existingOrganization", {
      organizationId: seeded.organizationId,
      organizationalUnitIds: seeded.organizationalUnitIds,
    });
    for (const key of Object.keys(lz.coreAccounts)) {
      doc.setIn(["coreAccounts", key, "accountId"], seeded.accountIds[key]);
    }
  });
  for (const team of lz.teams) {
    editYaml(join(target, "teams", `${team.name}.yaml`), (doc) => {
      for (const e of team.environments) {
        const id = seeded.accountIds[`${team.name}/${e.env}`];
        if (id) doc.setIn(["environments", e.env, "accountId"], id);
      }
    });
  }
  return seeded;
}

function teamFiles(dir: string): string[] {
  const teams = join(dir, "teams");
  return readdirSync(teams)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => join(teams, f));
}

function editYaml(file: string, edit: (doc: Document) => void): void {
  const doc = parseDocument(readFileSync(file, "utf8"));
  edit(doc);
  writeFileSync(file, doc.toString());
}

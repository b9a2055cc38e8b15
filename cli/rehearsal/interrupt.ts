// `npm run rehearse -- --interrupt <k>`: what a lost runner does to an apply. Terraform (its whole
// process group: the engine and its provider plugins) is killed with SIGKILL at k points of the
// first apply of the organization stack, one core stack and one team stack; each time the stack is
// resumed with the documented command (`npm run recover -- <stack>`, then the same apply). Then what
// exists in the emulator (listed through the AWS API by rehearsal/inventory.py) is compared with
// every stack's state: orphans are objects in the emulator that no state holds, duplicate accounts
// two accounts with one email (AWS refuses the second CreateAccount; moto does not, so they are
// counted here).
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";
import { addStrings } from "../recover";

/** Where an apply is killed: the first output line for which `at` says so. */
export interface KillPoint {
  stack: "organization" | "core" | "team";
  label: string;
  /** Where in an apply: a stack's points run in this order, each on the apply resumed after the last. */
  order: number;
  /** `created`: "Creation complete" lines so far in this apply. */
  at: (line: string, created: number) => boolean;
  /**
   * Milliseconds between the line and the kill. The provider calls CreateAccount as it prints
   * "Creating..." and then polls the request's status for seconds (3 s against the emulator): a
   * kill a second later finds the account created and not yet in state.
   */
  delayMs?: number;
}

/**
 * The points, spread over the three stacks first, then over each stack's apply: the first k are
 * used. A stack's points run by `order`, each on the apply resumed after the previous kill.
 */
export const KILL_POINTS: KillPoint[] = [
  {
    stack: "organization",
    label: "during account creation (CreateAccount succeeded, not in state)",
    order: 1,
    at: (l) => /^aws_organizations_account\.\S+: Creating\.\.\./.test(l),
    delayMs: 1000,
  },
  {
    stack: "team",
    label: "late (after 30 creations)",
    order: 3,
    at: (_, created) => created >= 30,
  },
  {
    stack: "core",
    label: "between dependent resources (a bucket created, its configuration not)",
    order: 2,
    at: (l) => /^aws_s3_bucket\.\S+: Creation complete/.test(l),
  },
  {
    stack: "organization",
    // After the kill during account creation, what the resumed apply has left is mostly the
    // adoption of those accounts (imports) and what depends on them: "after n creations" was never
    // reached there.
    label: "between dependent resources (the first import or creation of the resumed apply)",
    order: 2,
    at: (l) => /: (Import|Creation) complete/.test(l),
  },
  {
    stack: "team",
    label: "early (the first creation)",
    order: 0,
    at: (_, created) => created >= 1,
  },
  {
    stack: "core",
    label: "late (after 12 creations)",
    order: 3,
    at: (_, created) => created >= 12,
  },
];

export interface KilledRun {
  killed: boolean;
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs terraform in its own process group and SIGKILLs the group at the kill point (as a lost
 * runner does: nothing gets to write state or release a lock); without a point, runs to the end.
 */
export function runKillable(
  binary: string,
  dir: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  log: string,
  point: KillPoint | undefined,
): Promise<KilledRun> {
  return new Promise((done, fail) => {
    const child = spawn(binary, args, { cwd: dir, env, detached: true });
    let stdout = "";
    let stderr = "";
    let pending = "";
    let created = 0;
    let killed = false;
    const kill = () => {
      if (killed) return;
      killed = true;
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
    };
    let triggered = false;
    child.stdout.on("data", (d: Buffer) => {
      const text = d.toString();
      stdout += text;
      pending += text;
      const lines = pending.split("\n");
      pending = lines.pop()!;
      for (const line of lines) {
        if (/: Creation complete after/.test(line)) created++;
        if (point && !triggered && point.at(line, created)) {
          triggered = true;
          if (point.delayMs) setTimeout(kill, point.delayMs);
          else kill();
        }
      }
    });
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", fail);
    child.on("close", (code) => {
      appendFileSync(
        log,
        `$ terraform ${args.join(" ")}${killed ? "   (SIGKILL at the kill point)" : ""}\n${stdout}${stderr}\n(exit ${code})\n\n`,
      );
      done({ killed, code: code ?? 137, stdout, stderr });
    });
  });
}

/** What exists in the emulator, listed through the AWS API by rehearsal/inventory.py. */
export interface Inventory {
  /** Objects of the kinds the stacks declare, `kind` being the Terraform resource type. */
  objects: { kind: string; account: string; region: string; id: string }[];
  /** Every account of the organization with its email. */
  accounts: { id: string; email: string }[];
  /** Listings that failed: the count could not look there. */
  errors: string[];
}

/**
 * The inventory's request: every kind of object the stacks declare (stubbed resources excluded:
 * they never exist), in every region a provider of theirs uses.
 */
export function inventoryRequest(
  stacks: { json: StackJsonLike; stubbedAddresses: string[] }[],
  org: OrganizationFacts & { homeRegion: string },
  endpoint: string,
): Record<string, unknown> {
  const kinds = new Set<string>();
  const regions = new Set<string>([org.homeRegion]);
  const serviceLinkedRoles = new Set<string>();
  const policyTypes = new Set<string>();
  for (const s of stacks) {
    const stubbed = new Set(s.stubbedAddresses);
    for (const p of s.json.provider?.aws ?? []) if (p.region) regions.add(p.region);
    for (const [type, blocks] of Object.entries(s.json.resource ?? {})) {
      for (const [name, block] of Object.entries(blocks)) {
        if (stubbed.has(`${type}.${name}`)) continue;
        kinds.add(type);
        if (type === "aws_iam_service_linked_role")
          serviceLinkedRoles.add(String(block.aws_service_name));
        if (type === "aws_organizations_policy")
          policyTypes.add(String(block.type ?? "SERVICE_CONTROL_POLICY"));
      }
    }
  }
  return {
    endpoint,
    homeRegion: org.homeRegion,
    regions: [...regions].sort(),
    managementAccountId: org.managementAccountId,
    platformRoleName: org.platformRoleName,
    kinds: [...kinds].sort(),
    serviceLinkedRoles: [...serviceLinkedRoles].sort(),
    policyTypes: [...policyTypes].sort(),
  };
}

export interface StackJsonLike {
  provider?: { aws?: { region?: string }[] };
  resource?: Record<string, Record<string, Record<string, unknown>>>;
}

export interface OrganizationFacts {
  managementAccountId: string;
  platformRoleName: string;
}

/** Every string an instance's attributes hold (ids, names, ARNs, URLs), from Terraform state files. */
export function stateIdentifiers(states: unknown[]): Set<string> {
  const out = new Set<string>();
  for (const s of states) {
    const resources = (
      s as { resources?: { mode: string; instances?: { attributes?: unknown }[] }[] }
    ).resources;
    for (const r of resources ?? []) {
      if (r.mode !== "managed") continue;
      for (const i of r.instances ?? []) addStrings(i.attributes, out);
    }
  }
  return out;
}

/**
 * Objects in the emulator that no state holds: `kind account/region: identifier`. The inventory
 * lists each object by the very string a state holds for it (an id, a queue's URL, an ARN where a
 * name is not unique across accounts), so a role of one account is not taken for its namesake in
 * another.
 */
export function orphans(inventory: Inventory, states: unknown[]): string[] {
  const known = stateIdentifiers(states);
  return inventory.objects
    .filter((o) => !known.has(o.id))
    .map((o) => `${o.kind} ${o.account}/${o.region}: ${o.id}`)
    .sort();
}

/** Emails held by more than one account of the emulated organization. */
export function duplicateAccounts(inventory: Inventory): string[] {
  const seen = new Map<string, number>();
  for (const a of inventory.accounts) {
    const email = a.email.toLowerCase();
    seen.set(email, (seen.get(email) ?? 0) + 1);
  }
  return [...seen]
    .filter(([, n]) => n > 1)
    .map(([e]) => e)
    .sort();
}

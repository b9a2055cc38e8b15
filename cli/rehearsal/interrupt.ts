// `npm run rehearse -- --interrupt <k>`: what a lost runner does to an apply. Terraform (its whole
// process group: the engine and its provider plugins) is killed with SIGKILL at k points of the
// first apply of the organization stack, one core stack and one team stack; each time the stack is
// resumed with the documented command (`npm run recover -- <stack>`, then the same apply). Then the
// emulator's whole state (moto's /moto-api/data.json) is compared with every stack's state:
// orphans are objects in the emulator that no state holds, duplicate accounts two accounts with one
// email (AWS refuses the second CreateAccount; moto does not, so they are counted here).
import { spawn } from "node:child_process";
import { appendFileSync } from "node:fs";

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

/** moto's /moto-api/data.json: service → model → objects. */
export type MotoState = Record<string, Record<string, Record<string, unknown>[]>>;

/**
 * The object kinds the landing zone creates, each with the field that identifies it in moto and
 * the objects of that kind that are not the landing zone's (AWS-managed, or the emulator's own).
 */
const OWNED: {
  service: string;
  model: string;
  key: string;
  skip?: (o: Record<string, unknown>, organization: OrganizationFacts) => boolean;
}[] = [
  {
    service: "organizations",
    model: "FakeAccount",
    key: "id",
    skip: (o, org) => o.id === org.managementAccountId,
  },
  { service: "organizations", model: "FakeOrganizationalUnit", key: "id" },
  {
    service: "organizations",
    model: "FakePolicy",
    key: "id",
    skip: (o) => o.aws_managed === true || String(o.id).startsWith("p-FullAWSAccess"),
  },
  { service: "s3", model: "FakeBucket", key: "name" },
  {
    service: "iam",
    model: "Role",
    key: "name",
    // Organizations creates the platform role in every account it creates; service-linked roles
    // are AWS's.
    skip: (o, org) =>
      o.name === org.platformRoleName || String(o.path ?? "").startsWith("/aws-service-role/"),
  },
  { service: "iam", model: "ManagedPolicy", key: "name" },
  {
    service: "kms",
    model: "Key",
    key: "id",
    skip: (o) => o.key_manager === "AWS",
  },
  { service: "sqs", model: "Queue", key: "name" },
  { service: "dynamodb", model: "Table", key: "name" },
  { service: "awslambda", model: "LambdaFunction", key: "function_name" },
  { service: "logs", model: "LogGroup", key: "name" },
  { service: "sns", model: "Topic", key: "name" },
];

export interface OrganizationFacts {
  managementAccountId: string;
  platformRoleName: string;
}

export const ORPHAN_KINDS = OWNED.map((o) => `${o.service}.${o.model}`);

/** Every string an instance's attributes hold (ids, names, ARNs), from Terraform state files. */
export function stateIdentifiers(states: unknown[]): Set<string> {
  const out = new Set<string>();
  const walk = (v: unknown) => {
    if (typeof v === "string") out.add(v);
    else if (Array.isArray(v)) v.forEach(walk);
    else if (v && typeof v === "object") Object.values(v).forEach(walk);
  };
  for (const s of states) {
    const resources = (
      s as { resources?: { mode: string; instances?: { attributes?: unknown }[] }[] }
    ).resources;
    for (const r of resources ?? []) {
      if (r.mode !== "managed") continue;
      for (const i of r.instances ?? []) walk(i.attributes);
    }
  }
  return out;
}

/** Objects of the kinds the landing zone creates that no state holds, `kind: identifier`. */
export function orphans(moto: MotoState, states: unknown[], org: OrganizationFacts): string[] {
  const known = stateIdentifiers(states);
  const out: string[] = [];
  for (const kind of OWNED) {
    for (const o of moto[kind.service]?.[kind.model] ?? []) {
      if (kind.skip?.(o, org)) continue;
      const id = String(o[kind.key]);
      // A state names a queue or a function by URL or ARN, a bucket by name: any string that is or
      // ends with the identifier.
      if (!known.has(id) && ![...known].some((k) => k.endsWith(`/${id}`) || k.endsWith(`:${id}`)))
        out.push(`${kind.service}.${kind.model}: ${id}`);
    }
  }
  return out.sort();
}

/** Emails held by more than one account of the emulated organization. */
export function duplicateAccounts(moto: MotoState): string[] {
  const seen = new Map<string, number>();
  for (const a of moto.organizations?.FakeAccount ?? []) {
    const email = String(a.email).toLowerCase();
    seen.set(email, (seen.get(email) ?? 0) + 1);
  }
  return [...seen]
    .filter(([, n]) => n > 1)
    .map(([e]) => e)
    .sort();
}

// The smallest organization (test/fixtures/organizations/minimal: one team in dev and prod, every
// field with a default left out) validates and synthesizes: what a platform team that starts small
// gets, through the loader and synthesis a user runs.
import { MINIMAL_ACCOUNTS, synthAccounts } from "./helpers";

const out = synthAccounts(MINIMAL_ACCOUNTS);

test("one stack per account: the organization, the trail, the core accounts and the team's two", () => {
  expect(out.stackIds).toEqual([
    "log-archive",
    "observability",
    "organization",
    "organization-trail",
    "security",
    "team-shop-dev",
    "team-shop-prod",
  ]);
  // No access section, so no Identity Center stacks.
  expect(out.lz.access).toBeUndefined();
});

test("the organization creates the core and team accounts, team emails from the template", () => {
  const accounts = Object.values(out.resources("organization", "aws_organizations_account"));
  expect(accounts.map((a) => [a.name, a.email]).sort()).toEqual([
    ["Log Archive", "aws-log-archive@minimal.example"],
    ["Observability", "aws-observability@minimal.example"],
    ["Security Audit", "aws-security@minimal.example"],
    ["shop-dev", "aws+shop-dev@minimal.example"],
    ["shop-prod", "aws+shop-prod@minimal.example"],
  ]);
  const workloads = accounts.filter((a) => a.name.startsWith("shop-")).map((a) => a.parent_id);
  expect(new Set(workloads).size).toBe(1);
  expect(workloads[0]).toMatch(/^\$\{aws_organizations_organizational_unit\.org_ou-workloads_/);
});

test("the team's production account runs the blueprint, its concurrency derived from the traffic", () => {
  const functions = Object.values(out.resources("team-shop-prod", "aws_lambda_function"));
  expect(functions.map((f) => [f.function_name, f.reserved_concurrent_executions]).sort()).toEqual([
    ["shop-prod-api", 8],
    ["shop-prod-worker", 2],
  ]);
});

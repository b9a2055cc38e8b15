"""Lists what exists in the emulator, through the AWS API, for the interrupt rehearsal's orphan count.

Reads a JSON request on stdin and prints JSON on stdout:
  in:  {"endpoint", "homeRegion", "regions": [...], "managementAccountId", "platformRoleName",
        "kinds": [resource types the stacks declare], "serviceLinkedRoles": [aws_service_name, ...],
        "policyTypes": [...]}
  out: {"objects": [{"kind", "account", "region", "id"}], "accounts": [{"id", "email"}],
        "errors": ["kind in account/region: why"]}
Only the kinds of object the stacks declare are listed, in every account of the organization and
every region a stack's provider uses, each account through its platform role (an assumed role acts
in the role's own account). A listing that fails is reported, never passed over: an orphan count that
could not look is not a count of zero. AWS's own objects (managed keys, policies and service-linked
roles of services the stacks do not declare, the role Organizations creates in each account) are not
the landing zone's and are left out. The moto-api's data.json is not used: one unserializable
attribute anywhere makes it answer an error page.
Runs with the python of the emulator's venv.
"""

import json
import sys

import boto3


def paginate(client, operation, key, **kwargs):
    """Every item of a paginated list operation."""
    if client.can_paginate(operation):
        for page in client.get_paginator(operation).paginate(**kwargs):
            yield from page.get(key, [])
    else:
        yield from getattr(client, operation)(**kwargs).get(key, [])


# Per resource type the stacks declare: where it lives ("organization", once per "account", or per
# "region" of each account) and how to list each object by the identifier a Terraform state holds
# for it exactly (an id, or an ARN when a name alone is not unique across accounts). Only objects a
# create makes anew, or a create refuses to make twice, are listed: what a repeated create just puts
# again (an alarm, a dashboard, a policy document) cannot be left behind by a killed apply.


def org_accounts(org, req):
    return [a["Id"] for a in paginate(org, "list_accounts", "Accounts")
            if a["Id"] != req["managementAccountId"]]


def org_units(org, req):
    out, parents = [], [r["Id"] for r in paginate(org, "list_roots", "Roots")]
    while parents:
        parent = parents.pop()
        for ou in paginate(org, "list_organizational_units_for_parent", "OrganizationalUnits",
                           ParentId=parent):
            parents.append(ou["Id"])
            out.append(ou["Id"])
    return out


def org_policies(org, req):
    return [p["Id"] for t in req["policyTypes"]
            for p in paginate(org, "list_policies", "Policies", Filter=t) if not p.get("AwsManaged")]


def iam_roles(client, req):
    return [r["Arn"] for r in paginate(client("iam"), "list_roles", "Roles")
            if not r.get("Path", "/").startswith("/aws-service-role/")
            and r["RoleName"] != req["platformRoleName"]]


def service_linked_roles(client, req):
    return [r["Arn"] for r in paginate(client("iam"), "list_roles", "Roles",
                                       PathPrefix="/aws-service-role/")
            if r["Path"].split("/")[2] in req["serviceLinkedRoles"]]


def iam_policies(client, req):
    return [p["Arn"] for p in paginate(client("iam"), "list_policies", "Policies", Scope="Local")]


def buckets(client, req):
    return [b["Name"] for b in client("s3").list_buckets().get("Buckets", [])]


def budgets(client, req, account):
    return [f"{account}:{b['BudgetName']}" for b in
            client("budgets", "us-east-1").describe_budgets(AccountId=account).get("Budgets", [])]


def kms_keys(client, req, account, region):
    kms = client("kms")
    # An alias/aws/... names an AWS managed key (moto makes alias/aws/dynamodb's key for an encrypted
    # table and marks it a customer's).
    aws_managed = {a.get("TargetKeyId") for a in paginate(kms, "list_aliases", "Aliases")
                   if a["AliasName"].startswith("alias/aws/")}
    metas = [kms.describe_key(KeyId=k["KeyId"])["KeyMetadata"]
             for k in paginate(kms, "list_keys", "Keys") if k["KeyId"] not in aws_managed]
    return [m["KeyId"] for m in metas
            if m.get("KeyManager") == "CUSTOMER" and m.get("KeyState") != "PendingDeletion"]


def kms_aliases(client, req, account, region):
    return [a["AliasArn"] for a in paginate(client("kms"), "list_aliases", "Aliases")
            if not a["AliasName"].startswith("alias/aws/")]


def dynamodb_tables(client, req, account, region):
    return [f"arn:aws:dynamodb:{region}:{account}:table/{name}"
            for name in paginate(client("dynamodb"), "list_tables", "TableNames")]


def log_groups(client, req, account, region):
    # The provider records a log group's ARN without the ":*" DescribeLogGroups appends.
    return [f"arn:aws:logs:{region}:{account}:log-group:{g['logGroupName']}"
            for g in paginate(client("logs"), "describe_log_groups", "logGroups")]


def listing(service, operation, key, field, **kwargs):
    """A lister that is one list operation and one field of each item."""
    def lister(client, req, account, region):
        items = paginate(client(service), operation, key, **kwargs)
        return [i if field is None else i[field] for i in items]
    return lister


ORGANIZATION = {
    "aws_organizations_account": org_accounts,
    "aws_organizations_organizational_unit": org_units,
    "aws_organizations_policy": org_policies,
}
ACCOUNT = {
    "aws_iam_role": iam_roles,
    "aws_iam_service_linked_role": service_linked_roles,
    "aws_iam_policy": iam_policies,
    "aws_s3_bucket": buckets,
}
REGION = {
    "aws_kms_key": kms_keys,
    "aws_kms_alias": kms_aliases,
    "aws_sqs_queue": listing("sqs", "list_queues", "QueueUrls", None),
    "aws_dynamodb_table": dynamodb_tables,
    "aws_lambda_function": listing("lambda", "list_functions", "Functions", "FunctionArn"),
    "aws_lambda_event_source_mapping": listing(
        "lambda", "list_event_source_mappings", "EventSourceMappings", "UUID"),
    "aws_cloudwatch_log_group": log_groups,
    "aws_sns_topic": listing("sns", "list_topics", "Topics", "TopicArn"),
    "aws_api_gateway_rest_api": listing("apigateway", "get_rest_apis", "items", "id"),
    "aws_api_gateway_api_key": listing("apigateway", "get_api_keys", "items", "id"),
    "aws_api_gateway_usage_plan": listing("apigateway", "get_usage_plans", "items", "id"),
    "aws_oam_sink": listing("oam", "list_sinks", "Items", "Arn"),
    "aws_oam_link": listing("oam", "list_links", "Items", "Arn"),
}
KINDS = sorted([*ORGANIZATION, *ACCOUNT, *REGION, "aws_budgets_budget"])


def main() -> None:
    req = json.load(sys.stdin)
    endpoint = req["endpoint"]
    sts = boto3.client("sts", endpoint_url=endpoint, region_name=req["homeRegion"])

    def session_of(account):
        creds = sts.assume_role(
            RoleArn=f"arn:aws:iam::{account}:role/{req['platformRoleName']}",
            RoleSessionName="inventory",
        )["Credentials"]
        return boto3.session.Session(
            aws_access_key_id=creds["AccessKeyId"],
            aws_secret_access_key=creds["SecretAccessKey"],
            aws_session_token=creds["SessionToken"],
            region_name=req["homeRegion"],
        )

    objects, errors = [], []
    kinds = [k for k in req["kinds"] if k in KINDS]

    def collect(kind, account, region, lister):
        try:
            for ident in lister():
                objects.append({"kind": kind, "account": account, "region": region, "id": ident})
        except Exception as e:  # noqa: BLE001 - reported, never passed over
            errors.append(f"{kind} in {account}/{region}: {type(e).__name__}: {e}")

    def clients(account):
        session = session_of(account)
        return lambda name, region=None: session.client(
            name, endpoint_url=endpoint, region_name=region or req["homeRegion"])

    management = req["managementAccountId"]
    org = clients(management)("organizations")
    # Every account with its email, the management account's included: duplicates are counted on it.
    members = []
    try:
        members = [{"id": a["Id"], "email": a["Email"]}
                   for a in paginate(org, "list_accounts", "Accounts")]
    except Exception as e:  # noqa: BLE001
        errors.append(f"the organization's accounts: {type(e).__name__}: {e}")
    accounts = [management] + sorted(m["id"] for m in members if m["id"] != management)
    for kind in kinds:
        if kind in ORGANIZATION:
            collect(kind, management, "global", lambda: ORGANIZATION[kind](org, req))
    for account in accounts:
        client = clients(account)
        for kind in kinds:
            if kind in ACCOUNT:
                collect(kind, account, "global", lambda: ACCOUNT[kind](client, req))
            elif kind == "aws_budgets_budget":
                collect(kind, account, "global", lambda: budgets(client, req, account))
            elif kind in REGION:
                for region in req["regions"]:
                    collect(kind, account, region,
                            lambda: REGION[kind](lambda n, r=None: client(n, r or region), req,
                                                 account, region))

    objects.sort(key=lambda o: (o["kind"], o["account"], o["region"], o["id"]))
    members.sort(key=lambda m: m["id"])
    json.dump({"objects": objects, "accounts": members, "errors": errors}, sys.stdout)


if __name__ == "__main__":
    main()

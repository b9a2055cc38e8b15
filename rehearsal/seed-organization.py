"""Seeds the emulator with an organization that already exists, for the adoption rehearsal.

Reads a JSON request on stdin and prints the ids the emulator assigned as JSON on stdout:
  in:  {"endpoint", "region", "managementAccountId", "platformRoleName",
        "ous": ["Security", "Workloads", "Workloads/Prod", ...],
        "accounts": [{"key", "name", "email", "ou"}],
        "servicePrincipals": [...], "policyTypes": [...]}
  out: {"organizationId", "organizationalUnitIds": {path: id}, "accountIds": {key: id}}
Runs with the python of the emulator's venv, whose boto3 is the AWS SDK moto is built against.
"""

import json
import sys

import boto3


def main() -> None:
    req = json.load(sys.stdin)
    kw = {"endpoint_url": req["endpoint"], "region_name": req["region"]}
    # An assumed role acts in the role's own account: the organization belongs to the management id.
    creds = boto3.client("sts", **kw).assume_role(
        RoleArn=f"arn:aws:iam::{req['managementAccountId']}:role/{req['platformRoleName']}",
        RoleSessionName="seed",
    )["Credentials"]
    org = boto3.client(
        "organizations",
        aws_access_key_id=creds["AccessKeyId"],
        aws_secret_access_key=creds["SecretAccessKey"],
        aws_session_token=creds["SessionToken"],
        **kw,
    )
    organization = org.create_organization(FeatureSet="ALL")["Organization"]
    root = org.list_roots()["Roots"][0]["Id"]
    for principal in req["servicePrincipals"]:
        org.enable_aws_service_access(ServicePrincipal=principal)
    for policy_type in req["policyTypes"]:
        org.enable_policy_type(RootId=root, PolicyType=policy_type)

    ou_ids = {}
    for path in sorted(req["ous"], key=lambda p: p.count("/")):
        parent = path.rsplit("/", 1)[0] if "/" in path else None
        ou = org.create_organizational_unit(
            ParentId=ou_ids[parent] if parent else root, Name=path.rsplit("/", 1)[-1]
        )["OrganizationalUnit"]
        ou_ids[path] = ou["Id"]

    account_ids = {}
    for account in req["accounts"]:
        status = org.create_account(
            Email=account["email"], AccountName=account["name"], RoleName=req["platformRoleName"]
        )["CreateAccountStatus"]
        account_id = org.describe_create_account_status(
            CreateAccountRequestId=status["Id"]
        )["CreateAccountStatus"]["AccountId"]
        org.move_account(
            AccountId=account_id, SourceParentId=root, DestinationParentId=ou_ids[account["ou"]]
        )
        account_ids[account["key"]] = account_id

    json.dump(
        {
            "organizationId": organization["Id"],
            "organizationalUnitIds": ou_ids,
            "accountIds": account_ids,
        },
        sys.stdout,
    )


if __name__ == "__main__":
    main()

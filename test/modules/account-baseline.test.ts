// The account baseline alone: what every account gets, and the API Gateway logging role only for
// the accounts that ask for it, exposed for the stage that must wait for it.
import { AccountBaseline } from "../../modules/account-baseline";
import { statementsOf, synthModule } from "../helpers";

test("every account: S3 public access blocked account-wide, EBS encrypted by default, nothing else", () => {
  const m = synthModule((s) => {
    const baseline = new AccountBaseline(s, "baseline", { apiGatewayLogging: false });
    expect(baseline.apiGatewayAccount).toBeUndefined();
  });
  expect(m.resource("aws_s3_account_public_access_block")).toEqual({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(m.resource("aws_ebs_encryption_by_default")).toEqual({ enabled: true });
  expect(Object.keys(m.json.resource).sort()).toEqual([
    "aws_ebs_encryption_by_default",
    "aws_s3_account_public_access_block",
  ]);
});

test("API Gateway logging: an lz- role API Gateway may assume, the managed push policy, the account setting", () => {
  let ref = "";
  const m = synthModule((s) => {
    const baseline = new AccountBaseline(s, "baseline", { apiGatewayLogging: true });
    // A typed field, so the stage's depends_on names the resource without a lookup by child id.
    ref = `${baseline.apiGatewayAccount!.terraformResourceType}.${baseline.apiGatewayAccount!.friendlyUniqueId}`;
  });
  const [roleKey, role] = Object.entries(m.resources("aws_iam_role"))[0];
  expect(role.name).toBe("lz-apigateway-cloudwatch-logs");
  expect(JSON.parse(role.assume_role_policy)).toEqual({
    Version: "2012-10-17",
    Statement: [
      {
        Effect: "Allow",
        Principal: { Service: "apigateway.amazonaws.com" },
        Action: "sts:AssumeRole",
      },
    ],
  });
  expect(statementsOf(role.assume_role_policy)).toHaveLength(1);
  expect(m.resource("aws_iam_role_policy_attachment")).toEqual({
    role: `\${aws_iam_role.${roleKey}.name}`,
    policy_arn: "arn:aws:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs",
  });
  const [accountKey, account] = Object.entries(m.resources("aws_api_gateway_account"))[0];
  expect(account.cloudwatch_role_arn).toBe(`\${aws_iam_role.${roleKey}.arn}`);
  expect(ref).toBe(`aws_api_gateway_account.${accountKey}`);
  expect(m.violations()).toEqual([]);
});

test("account settings: the alias and each contact type set, written into the account itself", () => {
  const m = synthModule((s) => {
    new AccountBaseline(s, "baseline", {
      apiGatewayLogging: false,
      settings: {
        alias: { value: "acme-a-dev", file: "teams/a.yaml", path: "x", templated: true },
        alternateContacts: {
          security: { name: "Sec", title: "Lead", email: "sec@acme.example", phone: "+1 555 0100" },
          billing: {
            name: "Fin",
            title: "FinOps",
            email: "fin@acme.example",
            phone: "+1 555 0101",
          },
        },
      },
    });
  });
  expect(m.resource("aws_iam_account_alias")).toEqual({ account_alias: "acme-a-dev" });
  const contacts = Object.values(m.resources("aws_account_alternate_contact"));
  // A type set nowhere (operations here) is left as AWS has it; none names an account_id
  // (the synthesized JSON lists them by construct id).
  expect(contacts).toEqual([
    {
      alternate_contact_type: "BILLING",
      name: "Fin",
      title: "FinOps",
      email_address: "fin@acme.example",
      phone_number: "+1 555 0101",
    },
    {
      alternate_contact_type: "SECURITY",
      name: "Sec",
      title: "Lead",
      email_address: "sec@acme.example",
      phone_number: "+1 555 0100",
    },
  ]);
  expect(m.violations()).toEqual([]);
});

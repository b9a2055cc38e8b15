// The shared policy-document pieces, as the exact JSON AWS receives: key order is part of the
// synthesized output, so these strings are what every module's policies are made of.
import {
  accountRootAllows,
  assumeRolePolicy,
  denyInsecureTransport,
  policyDocument,
} from "../../modules/policy-statements";

test("a document is the 2012-10-17 envelope around its statements, in order", () => {
  expect(policyDocument([{ Sid: "A" }, { Sid: "B" }])).toBe(
    '{"Version":"2012-10-17","Statement":[{"Sid":"A"},{"Sid":"B"}]}',
  );
});

test("a service's trust policy lets only that service assume the role, with no condition", () => {
  expect(assumeRolePolicy("lambda.amazonaws.com")).toBe(
    '{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"Service":"lambda.amazonaws.com"},"Action":"sts:AssumeRole"}]}',
  );
});

test("the account root administers a key with the given actions, on the key only", () => {
  expect(accountRootAllows("Admin", "123456789012", ["kms:DescribeKey"], "aws")).toEqual({
    Sid: "Admin",
    Effect: "Allow",
    Principal: { AWS: "arn:aws:iam::123456789012:root" },
    Action: ["kms:DescribeKey"],
    Resource: "*",
  });
  // A looked-up account id stays a quote-free reference inside the ARN.
  expect(accountRootAllows("Admin", "${local.id}", "kms:*", "aws").Principal).toEqual({
    AWS: "arn:aws:iam::${local.id}:root",
  });
});

test("the TLS-only deny refuses anyone's request without aws:SecureTransport", () => {
  expect(denyInsecureTransport("sqs:*", "arn:q")).toEqual({
    Sid: "DenyInsecureTransport",
    Effect: "Deny",
    Principal: "*",
    Action: "sqs:*",
    Resource: "arn:q",
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  });
});

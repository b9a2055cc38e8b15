import { blockValue } from "../policy-documents";
import { finding, type GuardrailRule } from "../rule";
import { isTrue } from "../stack-view";

const rule: GuardrailRule = {
  id: "table-pitr",
  description: "every DynamoDB table enables point-in-time recovery",
  check: (view) =>
    view
      .ofType("aws_dynamodb_table")
      .filter((t) => !isTrue(blockValue(t.attrs, "point_in_time_recovery", "enabled")))
      .map((t) =>
        finding(
          rule.id,
          t,
          "aws_dynamodb_table must set point_in_time_recovery { enabled = true }",
        ),
      ),
};
export default rule;

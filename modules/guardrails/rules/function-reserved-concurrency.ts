import { finding, type GuardrailRule } from "../rule";

const rule: GuardrailRule = {
  id: "function-reserved-concurrency",
  description: "every Lambda function sets `reserved_concurrent_executions`",
  check: (view) =>
    view
      .ofType("aws_lambda_function")
      .filter((f) => {
        const v = f.attrs.reserved_concurrent_executions;
        return v === undefined || v === -1 || v === "-1";
      })
      .map((f) =>
        finding(
          rule.id,
          f,
          "aws_lambda_function must set reserved_concurrent_executions (derived from the declared traffic)",
        ),
      ),
};
export default rule;

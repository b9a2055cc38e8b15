import { finding, type Finding, type GuardrailRule } from "../rule";
import { first, refersTo } from "../stack-view";

const rule: GuardrailRule = {
  id: "log-retention",
  description:
    "every log group sets `retention_in_days` (not 0), and every function logs to a log group the stack declares",
  check: (view) => {
    const out: Finding[] = [];
    const groups = view.ofType("aws_cloudwatch_log_group");
    for (const g of groups) {
      const days = g.attrs.retention_in_days;
      if (days === undefined || days === 0 || days === "0") {
        out.push(
          finding(
            rule.id,
            g,
            "aws_cloudwatch_log_group must set retention_in_days (unset or 0 keeps logs forever)",
          ),
        );
      }
    }
    // Lambda creates /aws/lambda/<name> with no expiry unless the stack declares the group first.
    for (const f of view.ofType("aws_lambda_function")) {
      const configured = first(f.attrs.logging_config)?.log_group;
      const declared = configured
        ? groups.some((g) => refersTo(configured, g, [g.attrs.name]))
        : groups.some(
            (g) =>
              refersTo(g.attrs.name, f) ||
              (typeof f.attrs.function_name === "string" &&
                g.attrs.name === `/aws/lambda/${f.attrs.function_name}`),
          );
      if (!declared) {
        out.push(
          finding(
            rule.id,
            f,
            "aws_lambda_function logs to a log group the stack does not declare, so it would never expire; declare /aws/lambda/<name> or logging_config.log_group",
          ),
        );
      }
    }
    return out;
  },
};
export default rule;

import { finding, type Finding, type GuardrailRule } from "../rule";
import { refersTo } from "../stack-view";

const rule: GuardrailRule = {
  id: "queue-dlq",
  description: "every queue an event source mapping consumes has a redrive policy",
  check: (view) => {
    const queues = view.ofType("aws_sqs_queue");
    const redrives = view.ofType("aws_sqs_queue_redrive_policy");
    const out: Finding[] = [];
    for (const m of view.ofType("aws_lambda_event_source_mapping")) {
      for (const q of queues.filter((q) => refersTo(m.attrs.event_source_arn, q))) {
        const hasDlq =
          (q.attrs.redrive_policy !== undefined && q.attrs.redrive_policy !== "") ||
          redrives.some((r) => refersTo(r.attrs.queue_url, q));
        if (!hasDlq) {
          out.push(
            finding(
              rule.id,
              q,
              `aws_sqs_queue is consumed by ${m.path} but has no redrive_policy to a dead-letter queue`,
            ),
          );
        }
      }
    }
    return out;
  },
};
export default rule;

// High-severity findings to the central critical topic. The security account, as GuardDuty, Inspector
// and Security Hub administrator, receives every member's findings on its own event bus in each region;
// one rule per source sends them to that region's critical topic in the observability account. A
// cross-account SNS target needs a role in the sending account ("Sending events to an AWS service in
// another account"); the topic and its key admit that role (modules/observability/hub.ts).
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { CloudwatchEventRule } from "@cdktf/provider-aws/lib/cloudwatch-event-rule";
import { CloudwatchEventTarget } from "@cdktf/provider-aws/lib/cloudwatch-event-target";
import { LZ_PREFIX } from "../../config/policies";
import { assumeRolePolicy, policyDocument } from "../policy-statements";
import { arn } from "../../config/partition";

/**
 * GuardDuty's numeric severity: 7.0-8.9 is High, 9.0-10.0 Critical; Inspector's is a label. Security
 * Hub imports GuardDuty's and Inspector's findings too; its rule leaves them out, so a finding pages
 * once. It also leaves out compliance checks (findings with a Compliance.Status: Security Hub's own
 * control findings, Config rules): they are imported again at every evaluation and would page again
 * each time; they stay in Security Hub.
 */
export const FINDING_PATTERNS = {
  guardduty: {
    source: ["aws.guardduty"],
    "detail-type": ["GuardDuty Finding"],
    detail: { severity: [{ numeric: [">=", 7] }] },
  },
  inspector: {
    source: ["aws.inspector2"],
    "detail-type": ["Inspector2 Finding"],
    detail: { severity: ["HIGH", "CRITICAL"], status: ["ACTIVE"] },
  },
  securityhub: {
    source: ["aws.securityhub"],
    "detail-type": ["Security Hub Findings - Imported"],
    detail: {
      findings: {
        ProductName: [{ "anything-but": ["GuardDuty", "Inspector"] }],
        Compliance: { Status: [{ exists: false }] },
        Severity: { Label: ["HIGH", "CRITICAL"] },
        Workflow: { Status: ["NEW"] },
        RecordState: ["ACTIVE"],
      },
    },
  },
} as const;

export type FindingSource = keyof typeof FINDING_PATTERNS;

export interface FindingsRoutingProps {
  /** The services whose findings page (Inspector's only when it runs). */
  sources: FindingSource[];
  /** Security-account provider per region; undefined for the stack's default provider. */
  providers: Map<string, AwsProvider | undefined>;
  /**
   * Security Hub's home region: its cross-region aggregation emits the linked regions' findings
   * there too, so its rule lives only there, and a finding pages once.
   */
  homeRegion: string;
  /** The critical topic's ARN in a region. */
  criticalTopicArn: (region: string) => string;
  /** The observability account, whose key encrypts the topics. */
  observabilityAccountId: string;
  /** This (security) account. */
  accountId: string;
  roleName: string;
}

export class FindingsRouting extends Construct {
  constructor(scope: Construct, id: string, props: FindingsRoutingProps) {
    super(scope, id);
    const regions = [...props.providers.keys()];
    const role = new IamRole(this, "role", {
      name: props.roleName,
      description: "Lets EventBridge publish high-severity findings to the central critical topics",
      assumeRolePolicy: assumeRolePolicy("events.amazonaws.com", props.accountId),
    });
    new IamRolePolicy(this, "role-policy", {
      role: role.name,
      name: "publish-critical",
      policy: policyDocument([
        {
          Sid: "PublishCritical",
          Effect: "Allow",
          Action: "sns:Publish",
          Resource: regions.map(props.criticalTopicArn),
        },
        {
          // The topics are encrypted with the observability account's key, whose ARN AWS assigns;
          // SNS is the only way this role may use it.
          Sid: "EncryptForTopics",
          Effect: "Allow",
          Action: ["kms:GenerateDataKey", "kms:Decrypt"],
          Resource: arn("kms", "*", props.observabilityAccountId, "key/*"),
          Condition: {
            StringEquals: { "kms:ViaService": regions.map((r) => `sns.${r}.amazonaws.com`) },
          },
        },
      ]),
    });
    for (const [region, provider] of props.providers) {
      for (const source of props.sources) {
        if (source === "securityhub" && region !== props.homeRegion) continue;
        const pattern = FINDING_PATTERNS[source];
        const rule = new CloudwatchEventRule(this, `${source}-${region}`, {
          provider,
          name: `${LZ_PREFIX}${source}-high-severity`,
          description: `High and critical ${source} findings of the organization to the critical topic`,
          eventPattern: JSON.stringify(pattern),
        });
        new CloudwatchEventTarget(this, `${source}-${region}-target`, {
          provider,
          rule: rule.name,
          targetId: "critical-topic",
          arn: props.criticalTopicArn(region),
          roleArn: role.arn,
        });
      }
    }
  }
}

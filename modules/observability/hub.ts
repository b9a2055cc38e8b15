// The observability account's receiving end in one region: the cross-account observability sink
// that team accounts link to, and the central alarm topics every alarm of that region notifies.
import { Construct } from "constructs";
import type { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { OamSink } from "@cdktf/provider-aws/lib/oam-sink";
import { OamSinkPolicy } from "@cdktf/provider-aws/lib/oam-sink-policy";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import {
  ALARM_SEVERITIES,
  ALARM_TOPICS_KEY_ALIAS,
  alarmTopicName,
  type AlarmSeverity,
} from "../../config/names";
import { LZ_PREFIX } from "../../config/policies";
import { KMS_KEY_DEFAULTS } from "../kms-defaults";
import { accountRootAllows, denyInsecureTransport, policyDocument } from "../policy-statements";
import { accountRootArn, arn, roleArn } from "../../config/partition";

export const SINK_NAME = `${LZ_PREFIX}observability`;
/** What a team account shares with the monitoring account. */
export const SHARED_RESOURCE_TYPES = [
  "AWS::CloudWatch::Metric",
  "AWS::Logs::LogGroup",
  "AWS::XRay::Trace",
];

export interface Subscription {
  protocol: "email" | "https";
  endpoint: string;
}

export interface ObservabilityHubProps {
  /** The region's provider; undefined for the stack's default provider. */
  provider?: AwsProvider;
  region: string;
  /** Organization id, quote-free (a literal or a plain `${data...id}` reference). */
  organizationId: string;
  /** This (observability) account's id, quote-free. */
  accountId: string;
  subscriptions: Record<AlarmSeverity, Subscription[]>;
  /**
   * The security account's role that EventBridge publishes high-severity findings with
   * (modules/security-baseline/findings-routing.ts); it may publish to the critical topic only.
   */
  findingsPublisher: { accountId: string; roleName: string };
}

export class ObservabilityHub extends Construct {
  readonly sink: OamSink;
  readonly topics = {} as Record<AlarmSeverity, SnsTopic>;

  constructor(scope: Construct, id: string, props: ObservabilityHubProps) {
    super(scope, id);
    const provider = props.provider;
    // Alarms of the organization's accounts, and landing-zone alarms of this region only. CloudWatch
    // is a service principal, so aws:PrincipalOrgID is never set; aws:SourceOrgID names the
    // organization of the alarm's account and aws:SourceArn the alarm.
    const fromOrganizationAlarms = {
      StringEquals: { "aws:SourceOrgID": props.organizationId },
      ArnLike: {
        "aws:SourceArn": arn("cloudwatch", props.region, "*", `alarm:${LZ_PREFIX}*`),
      },
    };
    // The account is the principal and the role a condition, so these policies are valid before the
    // security stack has created the role.
    const publisher = props.findingsPublisher;
    const publisherPrincipal = { AWS: accountRootArn(publisher.accountId) };
    const fromPublisher = {
      "aws:PrincipalArn": roleArn(publisher.accountId, publisher.roleName),
    };

    this.sink = new OamSink(this, "sink", { provider, name: SINK_NAME });
    new OamSinkPolicy(this, "sink-policy", {
      provider,
      sinkIdentifier: this.sink.arn,
      policy: policyDocument([
        {
          Sid: "OrganizationAccountsLink",
          Effect: "Allow",
          // Linking is done by principals of the source accounts, so PrincipalOrgID applies here.
          Principal: "*",
          Action: ["oam:CreateLink", "oam:UpdateLink"],
          Resource: "*",
          Condition: {
            StringEquals: { "aws:PrincipalOrgID": props.organizationId },
            "ForAllValues:StringEquals": { "oam:ResourceTypes": SHARED_RESOURCE_TYPES },
          },
        },
      ]),
    });

    // CloudWatch cannot use the AWS-managed alias/aws/sns key, so the topics get their own key.
    const key = new KmsKey(this, "topic-key", {
      provider,
      description: `Encrypts the landing zone's central alarm topics in ${props.region}`,
      ...KMS_KEY_DEFAULTS,
      policy: policyDocument([
        accountRootAllows("AccountAdministersAndUses", props.accountId, KEY_ADMIN_ACTIONS),
        // AWS's statement for alarms that notify an encrypted topic ("Enable compatibility between
        // event sources from AWS services and encrypted topics"), held to the same confused-deputy
        // conditions as the topic policy: only alarms of this organization, lz-* of this region.
        {
          Sid: "CloudWatchAlarmsEncrypt",
          Effect: "Allow",
          Principal: { Service: "cloudwatch.amazonaws.com" },
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: fromOrganizationAlarms,
        },
        {
          Sid: "SecurityFindingsEncrypt",
          Effect: "Allow",
          Principal: publisherPrincipal,
          Action: ["kms:Decrypt", "kms:GenerateDataKey"],
          Resource: "*",
          Condition: {
            ArnEquals: fromPublisher,
            StringEquals: { "kms:ViaService": `sns.${props.region}.amazonaws.com` },
          },
        },
      ]),
    });
    new KmsAlias(this, "topic-key-alias", {
      provider,
      name: ALARM_TOPICS_KEY_ALIAS,
      targetKeyId: key.keyId,
    });

    for (const severity of ALARM_SEVERITIES) {
      const topic = new SnsTopic(this, `topic-${severity}`, {
        provider,
        name: alarmTopicName(severity),
        displayName: `Landing zone ${severity} alarms`,
        kmsMasterKeyId: key.arn,
      });
      this.topics[severity] = topic;
      new SnsTopicPolicy(this, `topic-${severity}-policy`, {
        provider,
        arn: topic.arn,
        policy: policyDocument([
          {
            Sid: "OrganizationAlarmsPublish",
            Effect: "Allow",
            Principal: { Service: "cloudwatch.amazonaws.com" },
            Action: "sns:Publish",
            Resource: topic.arn,
            Condition: fromOrganizationAlarms,
          },
          denyInsecureTransport("sns:Publish", topic.arn),
          ...(severity === "critical"
            ? [
                {
                  Sid: "SecurityFindingsPublish",
                  Effect: "Allow",
                  Principal: publisherPrincipal,
                  Action: "sns:Publish",
                  Resource: topic.arn,
                  Condition: { ArnEquals: fromPublisher },
                },
              ]
            : []),
        ]),
      });
      props.subscriptions[severity].forEach((s, i) => {
        new SnsTopicSubscription(this, `topic-${severity}-subscription-${i}`, {
          provider,
          topicArn: topic.arn,
          protocol: s.protocol,
          endpoint: s.endpoint,
        });
      });
    }
  }
}

/** The account administers the key and its principals may publish to the encrypted topics; no `kms:*`. */
const KEY_ADMIN_ACTIONS = [
  "kms:CancelKeyDeletion",
  "kms:CreateAlias",
  "kms:CreateGrant",
  "kms:Decrypt",
  "kms:DeleteAlias",
  "kms:DescribeKey",
  "kms:DisableKey",
  "kms:DisableKeyRotation",
  "kms:EnableKey",
  "kms:EnableKeyRotation",
  "kms:Encrypt",
  "kms:GenerateDataKey",
  "kms:GetKeyPolicy",
  "kms:GetKeyRotationStatus",
  "kms:ListGrants",
  "kms:ListResourceTags",
  "kms:PutKeyPolicy",
  "kms:RetireGrant",
  "kms:RevokeGrant",
  "kms:ScheduleKeyDeletion",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:UpdateAlias",
  "kms:UpdateKeyDescription",
];

// AWS Config in one account and region: the recorder (every supported resource type, global ones
// included: each account records in exactly one region, its stack's), the delivery channel to the
// log archive bucket under its own prefix, and the recorder switched on. The bucket's default
// encryption is the log archive key (modules/log-archive), whose policy lets Config use it.
import { Construct } from "constructs";
import type { ITerraformDependable } from "cdktf";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";

/** Where Config writes in the log archive bucket: <prefix>/AWSLogs/<account>/Config/... */
export const CONFIG_DELIVERY_PREFIX = "config";
/** AWS Config allows one recorder and one delivery channel per account and region. */
const RECORDER_NAME = "default";

export interface ConfigRecordingProps {
  /** The log archive bucket (another account's; its policy admits the organization). */
  bucketName: string;
  /** What the delivery channel waits for (the bucket policy, when it is in the same stack). */
  dependsOn?: ITerraformDependable[];
}

export class ConfigRecording extends Construct {
  readonly recorder: ConfigConfigurationRecorder;

  constructor(scope: Construct, id: string, props: ConfigRecordingProps) {
    super(scope, id);
    // The role AWS documents for the recorder; its ARN is read back, never built (names differ by
    // partition and emulator).
    const role = new IamServiceLinkedRole(this, "service-linked-role", {
      awsServiceName: "config.amazonaws.com",
    });
    this.recorder = new ConfigConfigurationRecorder(this, "recorder", {
      name: RECORDER_NAME,
      roleArn: role.arn,
      recordingGroup: { allSupported: true, includeGlobalResourceTypes: true },
    });
    const channel = new ConfigDeliveryChannel(this, "delivery-channel", {
      name: RECORDER_NAME,
      s3BucketName: props.bucketName,
      s3KeyPrefix: CONFIG_DELIVERY_PREFIX,
      dependsOn: [this.recorder, ...(props.dependsOn ?? [])],
    });
    new ConfigConfigurationRecorderStatus(this, "recorder-status", {
      name: this.recorder.name,
      isEnabled: true,
      dependsOn: [channel],
    });
  }
}

// AWS Config in one account: the service-linked role once, and in every region it is given a
// recorder (every supported resource type; global ones, like IAM, only in the first region, so each
// is recorded once), the delivery channel to the log archive bucket under its own prefix, and the
// recorder switched on. Security Hub's controls evaluate through Config, so it records wherever
// Security Hub runs. The bucket's default encryption is the log archive key (modules/log-archive),
// whose policy lets Config use it.
import { Construct } from "constructs";
import type { ITerraformDependable, TerraformProvider } from "cdktf";
import { IamServiceLinkedRole } from "@cdktf/provider-aws/lib/iam-service-linked-role";
import { ConfigConfigurationRecorder } from "@cdktf/provider-aws/lib/config-configuration-recorder";
import { ConfigDeliveryChannel } from "@cdktf/provider-aws/lib/config-delivery-channel";
import { ConfigConfigurationRecorderStatus } from "@cdktf/provider-aws/lib/config-configuration-recorder-status";
import { CONFIG_DELIVERY_PREFIX } from "../../config/names";

export { CONFIG_DELIVERY_PREFIX } from "../../config/names";

/** AWS Config allows one recorder and one delivery channel per account and region. */
const RECORDER_NAME = "default";

export interface ConfigRecordingProps {
  /** The log archive bucket (another account's; its policy admits the organization). */
  bucketName: string;
  /**
   * The regions to record in, the first with global resource types; a region without a provider
   * is the stack's own.
   */
  regions: { region: string; provider?: TerraformProvider }[];
  /** What the delivery channels wait for (the bucket policy, when it is in the same stack). */
  dependsOn?: ITerraformDependable[];
}

export class ConfigRecording extends Construct {
  /** By region. */
  readonly recorders = new Map<string, ConfigConfigurationRecorder>();

  constructor(scope: Construct, id: string, props: ConfigRecordingProps) {
    super(scope, id);
    // The role AWS documents for the recorder; its ARN is read back, never built (names differ by
    // partition and emulator). IAM is global: one role serves every region.
    const role = new IamServiceLinkedRole(this, "service-linked-role", {
      awsServiceName: "config.amazonaws.com",
    });
    props.regions.forEach(({ region, provider }, i) => {
      // The first region keeps the unsuffixed ids it had when Config recorded in one region only.
      const suffix = i === 0 ? "" : `-${region}`;
      const recorder = new ConfigConfigurationRecorder(this, `recorder${suffix}`, {
        provider,
        name: RECORDER_NAME,
        roleArn: role.arn,
        recordingGroup: { allSupported: true, includeGlobalResourceTypes: i === 0 },
      });
      const channel = new ConfigDeliveryChannel(this, `delivery-channel${suffix}`, {
        provider,
        name: RECORDER_NAME,
        s3BucketName: props.bucketName,
        s3KeyPrefix: CONFIG_DELIVERY_PREFIX,
        dependsOn: [recorder, ...(props.dependsOn ?? [])],
      });
      new ConfigConfigurationRecorderStatus(this, `recorder-status${suffix}`, {
        provider,
        name: recorder.name,
        isEnabled: true,
        dependsOn: [channel],
      });
      this.recorders.set(region, recorder);
    });
  }
}

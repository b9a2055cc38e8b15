// The recommended CloudWatch alarms of one team blueprint, one CloudwatchMetricAlarm per spec of
// blueprint-specs.ts, each notifying the central topic of its severity.
import { Construct } from "constructs";
import type { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { blueprintAlarmSpecs, type BlueprintAlarmInputs } from "./blueprint-specs";
import type { AlarmRouting } from "./routing";
import { metricAlarms } from "./spec";

export { actionsFor, type AlarmRouting } from "./routing";
export {
  ALARM_DEFAULTS,
  billedFields,
  deadLetterQueueAlarm,
  metricAlarm,
  metricAlarms,
  type AlarmSpec,
  type MetricSpec,
} from "./spec";
export { blueprintAlarmSpecs, type BlueprintAlarmInputs } from "./blueprint-specs";

export interface BlueprintAlarmsProps extends BlueprintAlarmInputs {
  routing: AlarmRouting;
}

export class BlueprintAlarms extends Construct {
  readonly alarms: CloudwatchMetricAlarm[];

  constructor(scope: Construct, id: string, props: BlueprintAlarmsProps) {
    super(scope, id);
    this.alarms = metricAlarms(this, blueprintAlarmSpecs(props), {
      prefix: props.names.alarmPrefix,
      routing: props.routing,
    });
  }
}

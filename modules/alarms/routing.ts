// Where an alarm notifies: the central topic of its severity in the observability account, in the
// alarm's own region (CloudWatch only notifies topics in the alarm's region).
import type { AlarmSeverity } from "../../config/names";

export interface AlarmRouting {
  /** Topic ARN per severity, computed from config (no cross-stack reference). */
  topics: Record<AlarmSeverity, string>;
  /** Non-production accounts never page: every alarm there goes to the warning topic. */
  production: boolean;
}

export interface AlarmActions {
  alarmActions: string[];
  okActions?: string[];
}

export function actionsFor(routing: AlarmRouting, severity: AlarmSeverity): AlarmActions {
  const effective: AlarmSeverity = routing.production ? severity : "warning";
  const topic = routing.topics[effective];
  // A page that opened should also close: critical alarms notify when they recover.
  return effective === "critical"
    ? { alarmActions: [topic], okActions: [topic] }
    : { alarmActions: [topic] };
}

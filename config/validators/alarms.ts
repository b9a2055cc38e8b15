// Alarm thresholds as resolved for each team environment (organization <- team <- environment).
import { envPath, type EnvironmentCheck } from "./context";

/** The quota warning must fire before the critical alarm, or it never adds anything. */
export const checkQuotaAlarmOrder: EnvironmentCheck = (e, { report }) => {
  const { quotaWarningPercent, quotaCriticalPercent } = e.alarms;
  if (quotaWarningPercent < quotaCriticalPercent) return;
  report(
    e.team.file,
    `${envPath(e)}.alarms.quotaWarningPercent`,
    `must be below quotaCriticalPercent (${quotaCriticalPercent})`,
    quotaWarningPercent,
  );
};

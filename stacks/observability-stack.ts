// `observability`: the monitoring account every team account reports to. In every allowed region it
// holds the cross-account observability sink and the central alarm topics (alarms only notify topics
// in their own region, and links only reach sinks in theirs); dashboards are global.
import { Construct } from "constructs";
import { allTeamEnvironments, isSized, type LandingZone } from "../config/model";
import { blueprintNames, SECURITY_FINDINGS_ROLE_NAME, type AlarmSeverity } from "../config/names";
import { ACCOUNT_BASELINE_ID, AccountBaseline } from "../modules/account-baseline";
import { Dashboards, ObservabilityHub, type TeamDashboardInput } from "../modules/observability";
import { AccountStack } from "./account-stack";
import { configRecordingOf } from "./config-recording";
import { addCoreQuotaAlarms, regionalProviders } from "./observability-wiring";

export class ObservabilityStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.observability;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, ACCOUNT_BASELINE_ID, {
      apiGatewayLogging: false,
      config: configRecordingOf(this, lz, account.configRecorder),
      settings: account.settings,
    });

    const organizationId = this.organizationIdExpression();
    const accountId = this.accountIdExpression;
    const providers = regionalProviders(this, lz);
    const hubs = new Map<string, ObservabilityHub>();
    for (const [region, provider] of providers) {
      hubs.set(
        region,
        new ObservabilityHub(this, `hub-${region}`, {
          provider,
          region,
          organizationId,
          accountId,
          subscriptions: lz.org.observability.alarmTopics,
          findingsPublisher: {
            accountId: this.accountIdOf(lz.coreAccounts.security),
            roleName: SECURITY_FINDINGS_ROLE_NAME,
          },
        }),
      );
    }

    const teams: TeamDashboardInput[] = allTeamEnvironments(lz)
      .filter((e) => e.account.status === "active")
      // The dashboards chart the serverless API's metrics: an account with declared traffic.
      .filter(isSized)
      .map((e) => {
        const names = blueprintNames(e);
        return {
          name: names.alarmPrefix.replace(/-$/, ""),
          names,
          region: e.region,
          accountId: this.accountIdOf(e.account),
          apiReservedConcurrency: e.derived.apiReservedConcurrency,
          workerReservedConcurrency: e.derived.workerReservedConcurrency,
          apiLatencyP90Ms: e.alarms.apiLatencyP90Ms,
          queueAgeSeconds: e.alarms.queueAgeSeconds,
        };
      });
    new Dashboards(this, "dashboards", {
      teams,
      regions: lz.org.allowedRegions,
    });

    // This account's own quota alarms notify its home-region topics directly. As the monitoring
    // account it sees every linked account's metrics, so its Metrics Insights queries count only its
    // own traffic.
    const home = hubs.get(lz.org.homeRegion)!;
    const topics = Object.fromEntries(
      Object.entries(home.topics).map(([s, t]) => [s, t.arn]),
    ) as Record<AlarmSeverity, string>;
    addCoreQuotaAlarms(this, lz, id, topics, { monitoringAccount: true });
  }
}

// `observability`: the monitoring account every team account reports to.
import { Construct } from "constructs";
import type { LandingZone } from "../config/model";
import { AccountBaseline } from "../modules/account-baseline";
import { AccountStack } from "./account-stack";

export class ObservabilityStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.observability;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, "baseline", { apiGatewayLogging: false });
  }
}

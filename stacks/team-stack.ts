// `team-<team>-<env>`: one workload account. It plans on its own: no reference to any other stack.
import { Construct } from "constructs";
import type { LandingZone, TeamEnvironment } from "../config/model";
import { AccountBaseline } from "../modules/account-baseline";
import { AccountStack } from "./account-stack";

export class TeamStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone, env: TeamEnvironment) {
    super(scope, id, { lz, account: env.account, region: env.region, tags: env.tags });
    new AccountBaseline(this, "baseline", { apiGatewayLogging: true });
  }
}

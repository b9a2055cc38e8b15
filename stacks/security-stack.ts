// `security`: the audit account. It gets the account baseline and an IAM Access Analyzer that reports
// resources shared outside the account.
import { Construct } from "constructs";
import { AccessanalyzerAnalyzer } from "@cdktf/provider-aws/lib/accessanalyzer-analyzer";
import type { LandingZone } from "../config/model";
import { LZ_PREFIX } from "../config/policies";
import { AccountBaseline } from "../modules/account-baseline";
import { AccountStack } from "./account-stack";
import { addCoreQuotaAlarms } from "./observability-wiring";

export class SecurityStack extends AccountStack {
  constructor(scope: Construct, id: string, lz: LandingZone) {
    const account = lz.coreAccounts.security;
    super(scope, id, { lz, account, region: lz.org.homeRegion, tags: lz.baseTags });
    new AccountBaseline(this, "baseline", { apiGatewayLogging: false });
    addCoreQuotaAlarms(this, lz, id);
    new AccessanalyzerAnalyzer(this, "access-analyzer", {
      analyzerName: `${LZ_PREFIX}account-access`,
      type: "ACCOUNT",
    });
  }
}

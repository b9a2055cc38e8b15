// The service table: on-demand until the load is known, point-in-time recovery, encrypted, expiring
// records through TTL, and protected from deletion in production.
import { Construct } from "constructs";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import type { ResolvedBlueprint } from "../../config/model";

export const TABLE_PARTITION_KEY = "pk";

export interface ServiceTableProps {
  name: string;
  settings: ResolvedBlueprint["table"];
  production: boolean;
}

export function serviceTable(scope: Construct, props: ServiceTableProps): DynamodbTable {
  return new DynamodbTable(scope, "table", {
    name: props.name,
    billingMode: "PAY_PER_REQUEST",
    hashKey: TABLE_PARTITION_KEY,
    attribute: [{ name: TABLE_PARTITION_KEY, type: "S" }],
    pointInTimeRecovery: { enabled: true },
    // enabled with no key = the AWS-managed key (aws/dynamodb); a configured key = customer-managed.
    serverSideEncryption: { enabled: true, kmsKeyArn: props.settings.kmsKeyArn },
    ttl: { attributeName: props.settings.ttlAttribute, enabled: true },
    deletionProtectionEnabled: props.production,
    lifecycle: props.production ? { preventDestroy: true } : undefined,
  });
}

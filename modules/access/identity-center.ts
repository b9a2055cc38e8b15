// The organization's IAM Identity Center instance, read at plan time: its ARN and identity store id
// are assigned by AWS when someone enables Identity Center, so configuration cannot hold them.
import { Construct } from "constructs";
import { Fn } from "cdktf";
import { DataAwsSsoadminInstances } from "@cdktf/provider-aws/lib/data-aws-ssoadmin-instances";

export class IdentityCenterInstance extends Construct {
  readonly instanceArn: string;
  readonly identityStoreId: string;

  /** `region`: the Identity Center home region looked in, named in the error. */
  constructor(scope: Construct, id: string, region: string) {
    super(scope, id);
    const instances = new DataAwsSsoadminInstances(this, "instances", {
      lifecycle: {
        // Enabling Identity Center is a one-time console step AWS offers no API for in the management
        // account; without it every resource below would fail with a less helpful message.
        postcondition: [
          {
            condition: "${length(self.arns) == 1}",
            errorMessage: `IAM Identity Center is not enabled in the management account in ${region} (the organization's homeRegion): enable it once there in the IAM Identity Center console (docs/access.md), then plan again; an instance in another region is not found.`,
          },
        ],
      },
    });
    this.instanceArn = Fn.one(instances.arns) as string;
    this.identityStoreId = Fn.one(instances.identityStoreIds) as string;
  }
}

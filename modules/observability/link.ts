// A source account's side of cross-account observability: one link per account and region to the
// sink in the observability account, sharing metrics, log groups and traces.
import { Construct } from "constructs";
import { OamLink } from "@cdktf/provider-aws/lib/oam-link";
import { SHARED_RESOURCE_TYPES } from "./hub";

export interface ObservabilityLinkProps {
  /** ARN of the sink in this account's region. */
  sinkArn: string;
}

export class ObservabilityLink extends Construct {
  readonly link: OamLink;

  constructor(scope: Construct, id: string, props: ObservabilityLinkProps) {
    super(scope, id);
    this.link = new OamLink(this, "link", {
      sinkIdentifier: props.sinkArn,
      // Shown in the monitoring account next to every shared metric and log group.
      labelTemplate: "$AccountName",
      resourceTypes: SHARED_RESOURCE_TYPES,
    });
  }
}

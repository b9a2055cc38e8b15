// The organization's security services: AWS Config in every account, GuardDuty, Security Hub and
// Inspector administered by the security account, and high-severity findings routed to the critical topic.
export { ConfigRecording, CONFIG_DELIVERY_PREFIX } from "./config-recording";
export { DELEGATED_SERVICES, SecurityDelegation } from "./delegation";
export { FINDING_PATTERNS, FindingsRouting } from "./findings-routing";
export { GUARDDUTY_FEATURES, OrganizationGuardDuty } from "./guardduty";
export { INSPECTOR_RESOURCE_TYPES, OrganizationInspector } from "./inspector";
export { fsbpStandardArn, OrganizationSecurityHub } from "./security-hub";

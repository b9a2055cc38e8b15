// Resource-policy statements several modules need, written once so they cannot drift apart.

/** Refuses every request to `resource` that does not arrive over TLS. */
export function denyInsecureTransport(action: string, resource: string | string[]) {
  return {
    Sid: "DenyInsecureTransport",
    Effect: "Deny" as const,
    Principal: "*",
    Action: action,
    Resource: resource,
    Condition: { Bool: { "aws:SecureTransport": "false" } },
  };
}

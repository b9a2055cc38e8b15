// Shared observability: the observability account's sink, alarm topics and dashboards, and the
// link every other account makes to the sink.
export * from "./hub";
export * from "./link";
export * from "./dashboards";

/**
 * `@civic/telemetry`: tracing helpers over `@opentelemetry/api` alone (no SDK), for libraries
 * and services. Programs set up the SDK with `initTelemetry` of `@civic/telemetry/sdk`; tests
 * collect spans with `@civic/telemetry/testing`. See docs/telemetry.md.
 */
export * from './spans.js';
export * from './bounded-map.js';
export * from './tx-traces.js';
export * from './http-server.js';

/** `@civic/telemetry/sdk`: the OpenTelemetry SDK set-up of a program (docs/telemetry.md). */
export * from './init.js';
export * from './errors.js';

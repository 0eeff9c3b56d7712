/** `@civic/telemetry/testing`: an in-memory OTLP receiver that collects spans across processes. */
export * from './otlp-receiver.js';

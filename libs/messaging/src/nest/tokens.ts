/** Injection tokens of the providers MessagingModule registers. */
export const NATS_CONNECTION = Symbol.for('civic.messaging.NatsConnection');
export const JETSTREAM = Symbol.for('civic.messaging.JetStreamClient');
export const JETSTREAM_MANAGER = Symbol.for('civic.messaging.JetStreamManager');
export const MESSAGING_OPTIONS = Symbol.for('civic.messaging.MessagingModuleOptions');

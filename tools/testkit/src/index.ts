export * from './names.js';
export * from './postgres.js';
export * from './nats.js';
export * from './nats-cluster.js';
export * from './nats-channel.js';
export * from './http-inject.js';
export * from './service-instances.js';

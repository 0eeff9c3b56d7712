export * from './names.js';
export * from './postgres.js';
export * from './nats.js';

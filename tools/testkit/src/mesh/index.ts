/**
 * `@civic/testkit/mesh`: a real network of processes (orderers, peers) on NATS and PostgreSQL
 * for multi-process tests of the domain services.
 */
export * from './peer-process.js';
export * from './mesh.js';
export * from './service-process.js';

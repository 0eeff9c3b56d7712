/**
 * @civic/client: the integrator SDK (docs/client.md). Verify blocks, chains, inclusion proofs
 * and checkpoints; subscribe to the verified block stream; query a peer. Everything in
 * `@civic/client/browser` plus the NATS parts (subscription, `.deliver`, the query subject).
 */
export * from './browser.js';
export * from './deliver-source.js';
export * from './peer-nats.js';
export * from './subscribe.js';

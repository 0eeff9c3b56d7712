/**
 * `@civic/testkit/stub-network`: stand-ins for the ordering service and the peers, for tests of
 * what sits above them (the gateway, domain services) against the real NATS: a batching orderer
 * that signs blocks as a consenter (no Raft), peers running libs/ledger's real validation and
 * commit over PGlite or PostgreSQL, and the development network built in memory.
 */
export * from './dev-network.js';
export * from './stub-orderer.js';
export * from './ledger-peer.js';
export * from './event-publisher.js';
export * from './stub-ledger.js';

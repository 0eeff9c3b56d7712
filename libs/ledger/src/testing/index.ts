/**
 * Test support, exported as `@civic/ledger/testing`: an in-memory network, a block factory that
 * builds and signs blocks (with invalid transactions of every code on demand), and a seeded
 * scenario of many blocks with the code each transaction must get.
 */
export * from './test-network.js';
export * from './block-factory.js';
export * from './scenario.js';
export * from './pglite-template.js';

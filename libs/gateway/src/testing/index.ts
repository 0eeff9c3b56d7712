/** Test support, exported as `@civic/gateway/testing`: an in-memory world state with MVCC. */
export * from './memory-ledger.js';
export * from './member-tokens.js';

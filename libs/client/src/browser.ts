/**
 * @civic/client/browser: the parts of the SDK that run in a browser (protocol and plain code,
 * no NATS, no node: imports): the block verifier, proofs, checkpoints, commit hashes, and the
 * peer's REST API.
 */
export * from './errors.js';
export * from './config-in-force.js';
export * from './verifier-state.js';
export * from './block-verifier.js';
export * from './block-source.js';
export * from './trust.js';
export * from './checkpoint.js';
export * from './proof.js';
export * from './commit-chain.js';
export * from './peer-transport.js';
export * from './peer-http.js';
export * from './peer-client.js';
export * from './peer-checkpoint.js';

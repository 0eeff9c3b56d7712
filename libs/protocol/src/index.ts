/**
 * @civic/protocol: the wire contract of Civic Ledger (docs/protocol.md). Pure, no I/O; runs in
 * Node (node:crypto) and in browsers (@noble, through the `browser` export condition).
 */
export * from './bytes.js';
export * from './hex.js';
export * from './base64.js';
export * from './lru.js';
export * from './time.js';
export * from './names.js';
export * from './canonical-json.js';
export * from './hash.js';
export * from './ed25519.js';
export * from './der.js';
export * from './der-writer.js';
export * from './x509.js';
export * from './types.js';
export * from './parse/index.js';
export * from './merkle.js';
export * from './envelope.js';
export * from './block.js';
export * from './verify-errors.js';
export * from './verify.js';
export * from './commit-hash.js';
export * from './checkpoint.js';
export * from './version.js';
export * from './query.js';

export * from './hex.js';
export * from './canonical-json.js';
export * from './hash.js';
export * from './ed25519.js';
export * from './types.js';

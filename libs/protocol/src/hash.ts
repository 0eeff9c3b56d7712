import { backend } from '#crypto-backend';
import type { Sha256Hasher } from './backend/types.js';
import { canonicalBytes } from './canonical-json.js';
import { toHex } from './hex.js';

export type { Sha256Hasher } from './backend/types.js';

/** SHA-256 of raw bytes (or of the concatenation of several byte strings). */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  for (const part of parts) {
    if (!(part instanceof Uint8Array)) throw new TypeError('sha256: every part must be a Uint8Array');
  }
  return backend.sha256(parts);
}

/** An incremental SHA-256, for input that arrives in pieces. */
export function createSha256(): Sha256Hasher {
  return backend.createSha256();
}

/** `H(x)` of the wire contract: SHA-256 of the canonical JSON bytes of `x`. */
export function hashCanonical(value: unknown): Uint8Array {
  return backend.sha256([canonicalBytes(value)]);
}

/** `hex(H(x))`, how the contract names txIds and block hashes. */
export function hashCanonicalHex(value: unknown): string {
  return toHex(hashCanonical(value));
}

/** 64 zeros: the previous hash of block 0 and the commit hash before block 0. */
export const ZERO_HASH_HEX = '0'.repeat(64);

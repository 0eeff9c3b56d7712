import { createHash } from 'node:crypto';
import { canonicalBytes } from './canonical-json.js';
import { toHex } from './hex.js';

/** SHA-256 of raw bytes (or of the concatenation of several byte strings). */
export function sha256(...parts: Uint8Array[]): Uint8Array {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return new Uint8Array(hash.digest());
}

/** `H(x)` of the wire contract: SHA-256 of the canonical JSON bytes of `x`. */
export function hashCanonical(value: unknown): Uint8Array {
  return sha256(canonicalBytes(value));
}

/** `hex(H(x))`, how the contract names txIds and block hashes. */
export function hashCanonicalHex(value: unknown): string {
  return toHex(hashCanonical(value));
}

/** 64 zeros: the previous hash of block 0 and the commit hash before block 0. */
export const ZERO_HASH_HEX = '0'.repeat(64);

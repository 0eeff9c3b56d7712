/**
 * The wire contract's private-data hash (docs/protocol.md): `hex(SHA-256(salt ‖ JCS(data)))`,
 * where the salt is random bytes kept with the data in the private store. Without the salt the
 * hash links to nothing: erasing data and salt leaves the chain valid and anonymous.
 */
import { randomBytes } from 'node:crypto';
import { canonicalBytes, fromHex, isHex, sha256, toHex } from '@civic/protocol';

export const SALT_BYTES_DEFAULT = 32;
const SALT_BYTES_MIN = 16;
const SALT_BYTES_MAX = 64;

/** Fresh random salt, lowercase hex. */
export function newSalt(bytes: number = SALT_BYTES_DEFAULT): string {
  if (!Number.isInteger(bytes) || bytes < SALT_BYTES_MIN || bytes > SALT_BYTES_MAX) {
    throw new RangeError(`salt length must be ${SALT_BYTES_MIN} to ${SALT_BYTES_MAX} bytes, got ${bytes}`);
  }
  return toHex(new Uint8Array(randomBytes(bytes)));
}

/** `hex(SHA-256(salt ‖ JCS(data)))`. */
export function saltedHash(saltHex: string, data: unknown): string {
  if (!isHex(saltHex) || saltHex.length < SALT_BYTES_MIN * 2 || saltHex.length > SALT_BYTES_MAX * 2) {
    throw new RangeError(`salt must be lowercase hex of ${SALT_BYTES_MIN} to ${SALT_BYTES_MAX} bytes`);
  }
  return toHex(sha256(fromHex(saltHex), canonicalBytes(data)));
}

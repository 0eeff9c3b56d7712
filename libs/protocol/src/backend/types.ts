/**
 * What the protocol needs from a cryptography library. Two implementations sit behind the
 * package's `#crypto-backend` import (package.json `imports`): node:crypto for servers (OpenSSL,
 * 10-15x faster) and @noble for browsers (the `browser` condition). Both must give identical
 * results; test/backends.test.ts checks them against each other.
 */

/** An incremental SHA-256. */
export interface Sha256Hasher {
  update(bytes: Uint8Array): Sha256Hasher;
  digest(): Uint8Array;
}

/**
 * A signing key prepared for repeated use (a KeyObject in Node, the seed in the browser).
 * Opaque: only the backend that made it may use it.
 */
export type Ed25519PrivateKeyHandle = object;
/** A public key prepared for repeated verification (cached). Opaque, as above. */
export type Ed25519PublicKeyHandle = object;

export interface CryptoBackend {
  readonly name: 'node' | 'noble';
  sha256(parts: readonly Uint8Array[]): Uint8Array;
  createSha256(): Sha256Hasher;
  /** The raw 32-byte public key of a 32-byte seed. */
  ed25519PublicKey(seed: Uint8Array): Uint8Array;
  ed25519PrivateKey(seed: Uint8Array): Ed25519PrivateKeyHandle;
  /** Prepared (and cached) public key; throws on a key that cannot be imported. */
  ed25519PublicKeyHandle(publicKey: Uint8Array): Ed25519PublicKeyHandle;
  ed25519Sign(message: Uint8Array, key: Ed25519PrivateKeyHandle): Uint8Array;
  /** RFC 8032 verification; false (never a throw) on a bad signature or key. */
  ed25519Verify(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean;
}

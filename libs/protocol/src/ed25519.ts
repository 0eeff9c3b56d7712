/**
 * Ed25519 (RFC 8032). The work is done by the crypto backend chosen at import time
 * (`#crypto-backend`: node:crypto on servers, @noble in browsers); this module checks the
 * arguments and gives the rest of the protocol one API.
 */
import { backend } from '#crypto-backend';
import type { Ed25519PrivateKeyHandle, Ed25519PublicKeyHandle } from './backend/types.js';

export type { Ed25519PrivateKeyHandle, Ed25519PublicKeyHandle } from './backend/types.js';

export const ED25519_PUBLIC_KEY_BYTES = 32;
export const ED25519_SEED_BYTES = 32;
export const ED25519_SIGNATURE_BYTES = 64;

function assertBytes(value: unknown, length: number, what: string): asserts value is Uint8Array {
  if (!(value instanceof Uint8Array)) throw new TypeError(`${what} must be a Uint8Array`);
  if (value.byteLength !== length)
    throw new RangeError(`${what} must be ${length} bytes, got ${value.byteLength}`);
}

/** The backend's prepared public key (a cached KeyObject in Node). Throws on an unusable key. */
export function publicKeyObject(publicKey: Uint8Array): Ed25519PublicKeyHandle {
  assertBytes(publicKey, ED25519_PUBLIC_KEY_BYTES, 'Ed25519 public key');
  return backend.ed25519PublicKeyHandle(publicKey);
}

/** The backend's prepared private key for a 32-byte seed (a KeyObject in Node). */
export function privateKeyObject(seed: Uint8Array): Ed25519PrivateKeyHandle {
  assertBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
  return backend.ed25519PrivateKey(seed);
}

/** An Ed25519 signing key: the 32-byte seed, its prepared private key and the raw public key. */
export interface Ed25519KeyPair {
  readonly seed: Uint8Array;
  readonly publicKey: Uint8Array;
  readonly privateKey: Ed25519PrivateKeyHandle;
}

export function keyPairFromSeed(seed: Uint8Array): Ed25519KeyPair {
  assertBytes(seed, ED25519_SEED_BYTES, 'Ed25519 seed');
  const copy = new Uint8Array(seed);
  return Object.freeze({
    seed: copy,
    publicKey: backend.ed25519PublicKey(copy),
    privateKey: backend.ed25519PrivateKey(copy),
  });
}

/** A fresh key pair from the platform's cryptographic random source. */
export function generateKeyPair(): Ed25519KeyPair {
  const seed = new Uint8Array(ED25519_SEED_BYTES);
  globalThis.crypto.getRandomValues(seed);
  return keyPairFromSeed(seed);
}

function isKeyPair(key: Ed25519KeyPair | Ed25519PrivateKeyHandle): key is Ed25519KeyPair {
  return 'seed' in key && 'privateKey' in key && (key as Ed25519KeyPair).seed instanceof Uint8Array;
}

/** Signs `message`; returns the 64-byte signature. */
export function signEd25519(message: Uint8Array, key: Ed25519KeyPair | Ed25519PrivateKeyHandle): Uint8Array {
  if (!(message instanceof Uint8Array)) throw new TypeError('signEd25519: message must be a Uint8Array');
  if (key === null || typeof key !== 'object')
    throw new TypeError('signEd25519: key pair or private key expected');
  return backend.ed25519Sign(message, isKeyPair(key) ? key.privateKey : key);
}

/** Verifies; never throws on a bad signature or key (returns false), only on wrong argument types. */
export function verifyEd25519(message: Uint8Array, signature: Uint8Array, publicKey: Uint8Array): boolean {
  if (
    !(message instanceof Uint8Array) ||
    !(signature instanceof Uint8Array) ||
    !(publicKey instanceof Uint8Array)
  ) {
    throw new TypeError('verifyEd25519: message, signature and public key must be Uint8Arrays');
  }
  if (signature.byteLength !== ED25519_SIGNATURE_BYTES || publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) {
    return false;
  }
  return backend.ed25519Verify(message, signature, publicKey);
}

/** Which backend this build uses: `node` (node:crypto) or `noble` (browser). */
export const cryptoBackendName: 'node' | 'noble' = backend.name;

/**
 * The node:crypto backend (OpenSSL). Importing a key costs far more than one verification, so
 * public KeyObjects are cached by their raw bytes in a bounded LRU.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { toHex } from '../hex.js';
import { BoundedCache } from '../lru.js';
import type { CryptoBackend, Ed25519PrivateKeyHandle, Sha256Hasher } from './types.js';

// DER prefixes that wrap a raw 32-byte Ed25519 key into SPKI / PKCS#8 (RFC 8410).
const SPKI_PREFIX = Uint8Array.of(0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00);
const PKCS8_PREFIX = Uint8Array.of(
  0x30,
  0x2e,
  0x02,
  0x01,
  0x00,
  0x30,
  0x05,
  0x06,
  0x03,
  0x2b,
  0x65,
  0x70,
  0x04,
  0x22,
  0x04,
  0x20,
);

/** Bound on cached public keys: a channel has a few hundred identities at most. */
const PUBLIC_KEY_CACHE_MAX = 4096;
const publicKeyCache = new BoundedCache<string, KeyObject>(PUBLIC_KEY_CACHE_MAX);

function wrap(prefix: Uint8Array, key: Uint8Array): Buffer {
  return Buffer.concat([prefix, key]);
}

function publicKeyHandle(publicKey: Uint8Array): KeyObject {
  const cacheKey = toHex(publicKey);
  const cached = publicKeyCache.get(cacheKey);
  if (cached) return cached;
  const key = createPublicKey({ key: wrap(SPKI_PREFIX, publicKey), format: 'der', type: 'spki' });
  publicKeyCache.set(cacheKey, key);
  return key;
}

function privateKey(seed: Uint8Array): KeyObject {
  return createPrivateKey({ key: wrap(PKCS8_PREFIX, seed), format: 'der', type: 'pkcs8' });
}

class NodeSha256 implements Sha256Hasher {
  readonly #hash = createHash('sha256');
  update(bytes: Uint8Array): Sha256Hasher {
    this.#hash.update(bytes);
    return this;
  }
  digest(): Uint8Array {
    return new Uint8Array(this.#hash.digest());
  }
}

export const backend: CryptoBackend = {
  name: 'node',
  sha256(parts) {
    const hash = createHash('sha256');
    for (const part of parts) hash.update(part);
    return new Uint8Array(hash.digest());
  },
  createSha256: () => new NodeSha256(),
  ed25519PublicKey(seed) {
    const spki = createPublicKey(privateKey(seed)).export({ format: 'der', type: 'spki' });
    return new Uint8Array(spki.subarray(SPKI_PREFIX.length));
  },
  ed25519PrivateKey: privateKey,
  ed25519PublicKeyHandle: publicKeyHandle,
  ed25519Sign(message: Uint8Array, key: Ed25519PrivateKeyHandle) {
    return new Uint8Array(sign(null, message, key as KeyObject));
  },
  ed25519Verify(message, signature, publicKey) {
    try {
      return verify(null, message, publicKeyHandle(publicKey), signature);
    } catch {
      return false;
    }
  },
};

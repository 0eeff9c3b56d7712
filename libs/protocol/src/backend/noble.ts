/**
 * The browser backend: @noble/hashes and @noble/curves, pure JavaScript (no node: imports).
 * Verification follows RFC 8032 / FIPS 186-5 strictly (`zip215: false`: canonical encodings
 * of R, A and S only), the closest match to OpenSSL, which the servers use.
 */
import { ed25519 } from '@noble/curves/ed25519.js';
import { sha256 } from '@noble/hashes/sha2.js';
import type { CryptoBackend, Ed25519PrivateKeyHandle, Sha256Hasher } from './types.js';

/** The browser keeps the seed itself as the private key handle (noble signs from the seed). */
interface NobleSigningKey {
  readonly seed: Uint8Array;
}

function hasher(): Sha256Hasher {
  const hash = sha256.create();
  const wrapper: Sha256Hasher = {
    update(bytes) {
      hash.update(bytes);
      return wrapper;
    },
    digest: () => hash.digest(),
  };
  return wrapper;
}

export const backend: CryptoBackend = {
  name: 'noble',
  sha256(parts) {
    if (parts.length === 1) return sha256(parts[0] as Uint8Array);
    const hash = sha256.create();
    for (const part of parts) hash.update(part);
    return hash.digest();
  },
  createSha256: hasher,
  ed25519PublicKey: (seed) => ed25519.getPublicKey(seed),
  ed25519PrivateKey: (seed): NobleSigningKey => ({ seed: new Uint8Array(seed) }),
  ed25519PublicKeyHandle(publicKey) {
    // Decoding checks the point; noble verifies from the raw bytes, so the handle is the copy.
    ed25519.Point.fromBytes(publicKey, false);
    return { publicKey: new Uint8Array(publicKey) };
  },
  ed25519Sign(message: Uint8Array, key: Ed25519PrivateKeyHandle) {
    return ed25519.sign(message, (key as NobleSigningKey).seed);
  },
  ed25519Verify(message, signature, publicKey) {
    try {
      return ed25519.verify(signature, message, publicKey, { zip215: false });
    } catch {
      return false;
    }
  },
};

import {
  generateKeyPair,
  keyPairFromSeed,
  sha256,
  toHex,
  utf8Bytes,
  type Ed25519KeyPair,
} from '@civic/protocol';
import { randomSerialHex } from '../msp/issue.js';

/**
 * Where a network's keys and certificate serials come from: fresh randomness for a real
 * development network, or derived from a seed for tests and test vectors (the same seed gives
 * byte-identical certificates, blocks and hashes). Seeded keys are for tests only: anyone who
 * knows the seed has the keys.
 */
export interface KeySource {
  keyPair(name: string): Ed25519KeyPair;
  serialHex(name: string): string;
}

export const randomKeySource: KeySource = {
  keyPair: () => generateKeyPair(),
  serialHex: () => randomSerialHex(),
};

/** Keys = Ed25519 seed SHA-256("<seed>/key/<name>"); serials from SHA-256("<seed>/serial/<name>"). */
export function seededKeySource(seed: string): KeySource {
  if (typeof seed !== 'string' || seed.length === 0)
    throw new TypeError('seededKeySource: a non-empty seed string is needed');
  return {
    keyPair: (name) => keyPairFromSeed(sha256(utf8Bytes(`${seed}/key/${name}`))),
    serialHex: (name) => {
      const bytes = sha256(utf8Bytes(`${seed}/serial/${name}`)).subarray(0, 16);
      bytes[0] = (bytes[0]! & 0x7f) | 0x40; // positive and full length, as randomSerialHex
      return toHex(bytes);
    },
  };
}

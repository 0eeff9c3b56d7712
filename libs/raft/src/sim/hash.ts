/**
 * Fast non-cryptographic 53-bit digests (cyrb53 style) for the simulator: entry identities,
 * the applied-state chain and the trace hash. Collisions are astronomically unlikely at the
 * scale of a simulation, and a collision could only hide a violation, never invent one.
 */

function finish(h1: number, h2: number): number {
  let a = Math.imul(h1 ^ (h1 >>> 16), 2246822507);
  a ^= Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  let b = Math.imul(h2 ^ (h2 >>> 16), 2246822507);
  b ^= Math.imul(a ^ (a >>> 13), 3266489909);
  return 4294967296 * (2097151 & b) + (a >>> 0);
}

/** Digest of bytes, salted with a 32-bit seed. */
export function digestBytes(data: Uint8Array, seed: number): number {
  let h1 = 0xdeadbeef ^ seed;
  let h2 = 0x41c6ce57 ^ seed;
  for (let i = 0; i < data.length; i++) {
    const byte = data[i] as number;
    h1 = Math.imul(h1 ^ byte, 2654435761);
    h2 = Math.imul(h2 ^ byte, 1597334677);
  }
  return finish(h1, h2);
}

/** Digest of two 53-bit numbers (chains digests). */
export function mixDigests(a: number, b: number): number {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (const word of [a >>> 0, Math.floor(a / 4294967296), b >>> 0, Math.floor(b / 4294967296)]) {
    h1 = Math.imul(h1 ^ word, 2654435761);
    h2 = Math.imul(h2 ^ word, 1597334677);
  }
  return finish(h1, h2);
}

/** A running 64-bit-ish hash over strings (the trace hash). */
export class StringHash {
  private h1 = 0xdeadbeef;
  private h2 = 0x41c6ce57;

  update(text: string): void {
    let h1 = this.h1;
    let h2 = this.h2;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      h1 = Math.imul(h1 ^ code, 2654435761);
      h2 = Math.imul(h2 ^ code, 1597334677);
    }
    // A separator, so that ["ab", "c"] and ["a", "bc"] differ.
    this.h1 = Math.imul(h1 ^ 0x0a, 2654435761);
    this.h2 = Math.imul(h2 ^ 0x0a, 1597334677);
  }

  hex(): string {
    const value = finish(this.h1, this.h2);
    return value.toString(16).padStart(14, '0');
  }
}

/**
 * A small deterministic pseudo-random generator (sfc32), seeded explicitly. Raft draws its
 * randomized election timeouts from it; the simulator derives one independent stream per
 * subsystem from a single seed, so adding draws in one subsystem never shifts another.
 */

/** 32-bit FNV-1a of a string's UTF-16 code units: stable across platforms, for seeding. */
export function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash >>> 0;
}

/** One step of splitmix32: spreads a 32-bit value over all bits. */
function splitmix32(state: number): number {
  let z = (state + 0x9e3779b9) >>> 0;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
  return (z ^ (z >>> 16)) >>> 0;
}

export class Prng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  /** `seed` is any safe integer; `stream` names an independent sequence from the same seed. */
  constructor(seed: number, stream = '') {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`prng seed must be a safe integer: ${seed}`);
    const low = seed >>> 0;
    const high = Math.floor(Math.abs(seed) / 0x1_0000_0000) >>> 0;
    const tag = fnv1a32(stream);
    this.a = splitmix32(low ^ tag);
    this.b = splitmix32(high ^ this.a);
    this.c = splitmix32(tag ^ this.b ^ (seed < 0 ? 0xffffffff : 0));
    this.d = splitmix32(this.c ^ 0x5bd1e995);
    // Warm up so that close seeds diverge at once.
    for (let i = 0; i < 12; i++) this.nextU32();
  }

  /** A uniformly distributed unsigned 32-bit integer. */
  nextU32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = ((this.c << 21) | (this.c >>> 11)) >>> 0;
    this.c = (this.c + t) >>> 0;
    return t;
  }

  /** A float in [0, 1). */
  float(): number {
    return this.nextU32() / 0x1_0000_0000;
  }

  /** An integer in [0, bound). */
  below(bound: number): number {
    if (!Number.isSafeInteger(bound) || bound <= 0)
      throw new RangeError(`prng bound must be a positive integer: ${bound}`);
    return Math.floor(this.float() * bound);
  }

  /** An integer in [low, high], both included. */
  between(low: number, high: number): number {
    if (high < low) throw new RangeError(`prng range is empty: [${low}, ${high}]`);
    return low + this.below(high - low + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return p > 0 && this.float() < p;
  }

  /** One element of a non-empty array. */
  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('prng cannot pick from an empty array');
    return items[this.below(items.length)] as T;
  }
}

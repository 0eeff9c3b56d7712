/**
 * Bounds the parsers enforce. Byte limits are on the canonical (RFC 8785) UTF-8 bytes. The
 * defaults suit the ledger's workloads; callers with other needs pass overrides (the orderer
 * derives blockBytesMax from its batch limits, for example).
 */
export interface ProtocolLimits {
  /** Largest transaction payload. 1 MiB: far above a domain transaction (~1-5 KB), yet a bound on work per envelope. */
  readonly payloadBytesMax: number;
  /** Largest envelope (payload, signature, endorsements with their certificates). */
  readonly envelopeBytesMax: number;
  /** Largest block. 16 MiB: 500 envelopes of 32 KB; the orderer's absolute batch limit should be lower. */
  readonly blockBytesMax: number;
  /** Most envelopes in a block (the orderer's max count is lower). */
  readonly envelopesMax: number;
  /** Most entries in a payload's `reads`. */
  readonly readsMax: number;
  /** Most entries in a payload's `writes`. */
  readonly writesMax: number;
  /** Most entries in a payload's `private`. */
  readonly privateMax: number;
  /** Most endorsements on an envelope: policies name a handful of organisations. */
  readonly endorsementsMax: number;
  /** Most consenter signatures on a block: a Raft cluster has 3-7 orderers. */
  readonly signaturesMax: number;
  /** Deepest nesting inside a write `value` or an event `data` (so a whole block stays under the canonicaliser's 64). */
  readonly valueDepthMax: number;
}

export const DEFAULT_LIMITS: ProtocolLimits = Object.freeze({
  payloadBytesMax: 1024 * 1024,
  envelopeBytesMax: 1024 * 1024 + 64 * 1024,
  blockBytesMax: 16 * 1024 * 1024,
  envelopesMax: 10_000,
  readsMax: 1024,
  writesMax: 1024,
  privateMax: 256,
  endorsementsMax: 16,
  signaturesMax: 16,
  valueDepthMax: 32,
});

/** Contract constants (docs/protocol.md), not tunable: every party must agree on them. */
export const KEY_CHARS_MIN = 1;
export const KEY_CHARS_MAX = 512;
export const NONCE_BYTES_MIN = 16;
export const NONCE_BYTES_MAX = 64;

/** The defaults with `overrides` applied; every limit must be a positive safe integer. */
export function resolveLimits(overrides: Partial<ProtocolLimits> = {}): ProtocolLimits {
  if (overrides === null || typeof overrides !== 'object') throw new TypeError('limits must be an object');
  const limits = { ...DEFAULT_LIMITS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_LIMITS)) throw new TypeError(`unknown limit ${JSON.stringify(name)}`);
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || (value as number) < 1) {
      throw new RangeError(`limit ${name} must be a positive integer, got ${String(value)}`);
    }
    (limits as Record<string, number>)[name] = value as number;
  }
  if (limits.valueDepthMax > 48) throw new RangeError('limit valueDepthMax must be at most 48');
  return Object.freeze(limits);
}

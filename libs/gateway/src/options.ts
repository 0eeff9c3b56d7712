/**
 * Bounds of the gateway: how often it rebuilds, resends and waits. Every wait has a limit so that
 * a REST call always ends; every retry loop has a count.
 */
import { GatewayArgumentError } from './errors.js';

export interface GatewayBounds {
  /**
   * Rebuilds after MVCC_READ_CONFLICT (or an endorser that saw newer state): re-read, re-check,
   * rebuild. 5 is plenty for a hot key shared by a handful of authorities; more prolongs a
   * request that keeps losing to others, fewer gives up sooner under contention.
   */
  readonly rebuildsMax: number;
  /** Sends of the same envelope to the orderers (first plus resends on timeout / no leader). */
  readonly submitAttemptsMax: number;
  /** Patience per send. A Raft election takes about 1-2 s with the dev timings. */
  readonly submitTimeoutMs: number;
  /** Backoff before the first resend; doubles up to submitBackoffMaxMs (plus jitter). */
  readonly submitBackoffMs: number;
  readonly submitBackoffMaxMs: number;
  /** Patience for each endorser's answer (it may wait up to minHeightWaitMs for its peer first). */
  readonly endorseTimeoutMs: number;
  /** Patience for the commit code after the orderers accepted the envelope. */
  readonly commitTimeoutMs: number;
  /** How often a pending transaction asks the peer directly, in case a receipt was missed. */
  readonly commitPollMs: number;
  /** Transactions awaiting their commit at once (back-pressure beyond). */
  readonly pendingCommitsMax: number;
  /** Endorser: how long it waits for its peer to reach the creator's height before refusing NOT_READY. */
  readonly minHeightWaitMs: number;
  /**
   * Endorser: largest accepted difference between a payload's txTime and its own clock. Stops a
   * creator from backdating a decision (the grant date is the txTime's date); must exceed the
   * clock skew between organisations plus the time to build and endorse.
   */
  readonly txTimeSkewMaxMs: number;
  /** Endorser: requests handled at once, and waiting beyond which it answers OVERLOADED. */
  readonly endorseConcurrencyMax: number;
  readonly endorsePendingMax: number;
}

export const DEFAULT_BOUNDS: GatewayBounds = Object.freeze({
  rebuildsMax: 5,
  submitAttemptsMax: 6,
  submitTimeoutMs: 3_000,
  submitBackoffMs: 100,
  submitBackoffMaxMs: 2_000,
  endorseTimeoutMs: 10_000,
  commitTimeoutMs: 30_000,
  commitPollMs: 1_000,
  pendingCommitsMax: 10_000,
  minHeightWaitMs: 5_000,
  txTimeSkewMaxMs: 5 * 60_000,
  endorseConcurrencyMax: 8,
  endorsePendingMax: 1_000,
});

export function resolveBounds(overrides: Partial<GatewayBounds> = {}): GatewayBounds {
  const bounds = { ...DEFAULT_BOUNDS };
  for (const [name, value] of Object.entries(overrides)) {
    if (!(name in DEFAULT_BOUNDS))
      throw new GatewayArgumentError(`unknown gateway bound ${JSON.stringify(name)}`);
    if (value === undefined) continue;
    const min = name === 'rebuildsMax' ? 0 : 1;
    if (!Number.isSafeInteger(value) || (value as number) < min) {
      throw new GatewayArgumentError(
        `gateway bound ${name} must be an integer >= ${min}, got ${String(value)}`,
      );
    }
    (bounds as Record<string, number>)[name] = value as number;
  }
  return Object.freeze(bounds);
}

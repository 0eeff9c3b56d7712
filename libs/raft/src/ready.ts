import type { Entry, HardState, Message, Snapshot, SoftState } from './types.js';

/**
 * One batch of work for the driver. Handle it in this order, then call advance(ready):
 *
 * 1. persist `snapshot` (if any), then `entries` (append, replacing any conflicting suffix),
 *    then `hardState` (if any), and fsync when `mustSync`;
 * 2. only then send `messages` (a granted vote or an append acknowledgement may only leave the
 *    node once what it promises is durable);
 * 3. apply `snapshot` to the state machine (if any), then `committedEntries`, in order;
 * 4. call advance(ready).
 *
 * The node may be stepped and ticked while a Ready is being handled; what that produces goes
 * into the next Ready. ready() cannot be called again before advance().
 */
export interface Ready {
  /** Role and leader, when they changed since the previous Ready; otherwise null. */
  readonly softState: SoftState | null;
  /** The hard state to persist, when it changed; otherwise null. */
  readonly hardState: HardState | null;
  /** Entries to append to stable storage. */
  readonly entries: readonly Entry[];
  /** A snapshot from the leader to persist and apply, or null. */
  readonly snapshot: Snapshot | null;
  /** Committed entries to apply to the state machine, in order. */
  readonly committedEntries: readonly Entry[];
  /** Messages to send once step 1 is durable. */
  readonly messages: readonly Message[];
  /** Whether step 1 must be fsynced (term, vote or entries changed; a commit-only change need not). */
  readonly mustSync: boolean;
}

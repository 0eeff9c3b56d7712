import { entrySizeBytes } from './config.js';
import { Inflights } from './inflights.js';
import type { Entry } from './types.js';

export const ProgressState = {
  /** Unsure where the follower's log ends: one append per heartbeat until one is accepted. */
  Probe: 'probe',
  /** Streaming appends optimistically, up to the in-flight bounds. */
  Replicate: 'replicate',
  /** A snapshot is on its way; appends wait for it to be acknowledged. */
  Snapshot: 'snapshot',
} as const;
export type ProgressState = (typeof ProgressState)[keyof typeof ProgressState];

/** The leader's view of one follower's log (Raft's nextIndex/matchIndex, plus flow control). */
export class Progress {
  /** The highest index known to be replicated on the follower; never decreases. */
  match = 0;
  /** The index of the next entry to send. */
  next = 1;
  state: ProgressState = ProgressState.Probe;
  /** In snapshot state: the index of the snapshot sent. */
  pendingSnapshot = 0;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** In probe state: an append was sent; wait for a reply or a heartbeat reply. */
  probeSent = false;
  /** Ticks spent in snapshot state (the snapshot is sent again after snapshotRetryTicks). */
  snapshotTicks = 0;
  readonly inflights: Inflights;

  constructor(
    maxInflightMsgs: number,
    maxInflightBytes: number,
    public isLearner: boolean,
  ) {
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
  }

  /** Starts over after a leader change: nothing known, next entry after our last. */
  reset(next: number, match: number): void {
    this.match = match;
    this.next = next;
    this.becomeState(ProgressState.Probe);
    this.recentActive = false;
  }

  private becomeState(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.pendingSnapshot = 0;
    this.snapshotTicks = 0;
    this.inflights.reset();
  }

  becomeProbe(): void {
    if (this.state === ProgressState.Snapshot) {
      // The snapshot may have arrived: probe from after it rather than from match.
      const sent = this.pendingSnapshot;
      this.becomeState(ProgressState.Probe);
      this.next = Math.max(this.match + 1, sent + 1);
    } else {
      this.becomeState(ProgressState.Probe);
      this.next = this.match + 1;
    }
  }

  becomeReplicate(): void {
    this.becomeState(ProgressState.Replicate);
    this.next = this.match + 1;
  }

  becomeSnapshot(snapshotIndex: number): void {
    this.becomeState(ProgressState.Snapshot);
    this.pendingSnapshot = snapshotIndex;
    this.next = snapshotIndex + 1;
  }

  /** An acknowledgement up to `index`. False when stale (nothing new): progress never goes back. */
  maybeUpdate(index: number): boolean {
    let updated = false;
    if (this.match < index) {
      this.match = index;
      this.probeSent = false;
      updated = true;
    }
    this.next = Math.max(this.next, index + 1);
    return updated;
  }

  /**
   * A rejection of the append after `rejected`; `matchHint` is the highest index that may
   * match. False when the rejection is stale (reordered or duplicated).
   */
  maybeDecrTo(rejected: number, matchHint: number): boolean {
    if (this.state === ProgressState.Replicate) {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, matchHint + 1), this.match + 1);
    this.probeSent = false;
    return true;
  }

  /** Called after sending an append carrying `entries`. */
  sentEntries(entries: readonly Entry[]): void {
    if (this.state === ProgressState.Replicate) {
      const last = entries.at(-1);
      if (last === undefined) return;
      let bytes = 0;
      for (const entry of entries) bytes += entrySizeBytes(entry);
      this.next = last.index + 1;
      this.inflights.add(last.index, bytes);
    } else if (this.state === ProgressState.Probe) {
      this.probeSent = true;
    }
  }

  /** Whether sending more appends now would be pointless or exceed the bounds. */
  isPaused(): boolean {
    switch (this.state) {
      case ProgressState.Probe:
        return this.probeSent;
      case ProgressState.Replicate:
        return this.inflights.full();
      case ProgressState.Snapshot:
        return true;
    }
  }
}

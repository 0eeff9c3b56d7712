import { entrySizeBytes } from './config.js';
import {
  CompactedError,
  CorruptStateError,
  LogGapError,
  SnapshotOutOfDateError,
  UnavailableError,
  assert,
} from './errors.js';
import type { InitialState, Storage } from './storage.js';
import type { ConfState, Entry, HardState, NodeId, Snapshot } from './types.js';
import { EntryType } from './types.js';

const EMPTY = new Uint8Array(0);

/** Index and term of the bootstrap snapshot every founding member starts from. */
export const BOOTSTRAP_INDEX = 1;
export const BOOTSTRAP_TERM = 1;

/**
 * Storage held in memory. In the simulator it is the disk itself (the driver writes to it only
 * once a write is "synced"); in production it is the read cache in front of the write-ahead
 * log, refilled from the log at start-up.
 */
export class MemoryStorage implements Storage {
  private hardState: HardState = { term: 0, vote: null, commit: 0 };
  private snap: Snapshot = {
    metadata: { index: 0, term: 0, confState: { voters: [], learners: [] } },
    data: EMPTY,
  };
  /** ents[0] is a placeholder holding the index and term of the last compacted entry. */
  private ents: Entry[] = [{ index: 0, term: 0, type: EntryType.Normal, data: EMPTY }];

  /**
   * A founding member's storage: a snapshot at index 1, term 1, holding the initial voters and
   * the application's initial state. Every founding member must start from the same one. A
   * node joining later starts from `new MemoryStorage()` and receives the leader's snapshot.
   */
  static bootstrap(voters: readonly NodeId[], data: Uint8Array = EMPTY): MemoryStorage {
    assert(voters.length > 0, 'bootstrap needs at least one voter');
    const storage = new MemoryStorage();
    storage.applySnapshot({
      metadata: {
        index: BOOTSTRAP_INDEX,
        term: BOOTSTRAP_TERM,
        confState: { voters: [...voters].sort(), learners: [] },
      },
      data,
    });
    storage.setHardState({ term: BOOTSTRAP_TERM, vote: null, commit: BOOTSTRAP_INDEX });
    return storage;
  }

  initialState(): InitialState {
    return { hardState: this.hardState, confState: this.snap.metadata.confState };
  }

  hardStateNow(): HardState {
    return this.hardState;
  }

  setHardState(hardState: HardState): void {
    this.hardState = hardState;
  }

  firstIndex(): number {
    return this.offset() + 1;
  }

  lastIndex(): number {
    return this.offset() + this.ents.length - 1;
  }

  term(index: number): number {
    const offset = this.offset();
    if (index < offset) throw new CompactedError(index, offset + 1);
    if (index > this.lastIndex()) throw new UnavailableError(index, this.lastIndex());
    return (this.ents[index - offset] as Entry).term;
  }

  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const offset = this.offset();
    if (lo <= offset) throw new CompactedError(lo, offset + 1);
    if (hi > this.lastIndex() + 1) throw new UnavailableError(hi - 1, this.lastIndex());
    return limitSize(this.ents, lo - offset, hi - offset, maxBytes);
  }

  snapshot(): Snapshot {
    return this.snap;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  applySnapshot(snapshot: Snapshot): void {
    const current = this.snap.metadata.index;
    if (snapshot.metadata.index <= current)
      throw new SnapshotOutOfDateError(snapshot.metadata.index, current);
    this.snap = snapshot;
    this.ents = [
      { index: snapshot.metadata.index, term: snapshot.metadata.term, type: EntryType.Normal, data: EMPTY },
    ];
  }

  /**
   * Records a snapshot of the application's state at `index` (≤ the commit index), made by the
   * application after applying up to there. The log is kept; call compact() to drop it.
   */
  createSnapshot(index: number, confState: ConfState, data: Uint8Array): Snapshot {
    if (index <= this.snap.metadata.index) throw new SnapshotOutOfDateError(index, this.snap.metadata.index);
    if (index > this.hardState.commit) {
      throw new CorruptStateError(
        `cannot snapshot at ${index}: past the commit index ${this.hardState.commit}`,
      );
    }
    const snapshot: Snapshot = {
      metadata: {
        index,
        term: this.term(index),
        confState: { voters: [...confState.voters], learners: [...confState.learners] },
      },
      data,
    };
    this.snap = snapshot;
    return snapshot;
  }

  /**
   * Drops the entries up to and including `index`, which must be covered by the snapshot (so a
   * lagging follower can always be sent the snapshot and then the entries after it).
   */
  compact(index: number): void {
    const offset = this.offset();
    if (index <= offset) return;
    if (index > this.snap.metadata.index) {
      throw new CompactedError(index, this.snap.metadata.index);
    }
    const kept = this.ents.slice(index - offset);
    const head = kept[0] as Entry;
    kept[0] = { index: head.index, term: head.term, type: EntryType.Normal, data: EMPTY };
    this.ents = kept;
  }

  /**
   * Appends entries made durable by the driver, replacing any conflicting suffix. Entries
   * already compacted are skipped. Throws LogGapError on a hole or non-contiguous input.
   */
  append(entries: readonly Entry[]): void {
    if (entries.length === 0) return;
    for (let i = 1; i < entries.length; i++) {
      if ((entries[i] as Entry).index !== (entries[i - 1] as Entry).index + 1) {
        throw new LogGapError(`entries to append are not contiguous at position ${i}`);
      }
    }
    const first = this.firstIndex();
    const firstNew = (entries[0] as Entry).index;
    const lastNew = firstNew + entries.length - 1;
    if (lastNew < first) return;
    if (firstNew > this.lastIndex() + 1) {
      throw new LogGapError(`append at ${firstNew} leaves a hole after the last index ${this.lastIndex()}`);
    }
    const fresh = firstNew < first ? entries.slice(first - firstNew) : entries;
    // Truncate the conflicting suffix in place, then append (the common case truncates nothing).
    this.ents.length = (fresh[0] as Entry).index - this.offset();
    for (const entry of fresh) this.ents.push(entry);
  }

  private offset(): number {
    return (this.ents[0] as Entry).index;
  }
}

/** entries[lo, hi) limited to maxBytes (at least one entry). */
export function limitSize(entries: readonly Entry[], lo: number, hi: number, maxBytes: number): Entry[] {
  if (lo >= hi) return [];
  let end = lo + 1;
  let bytes = entrySizeBytes(entries[lo] as Entry);
  while (end < hi) {
    bytes += entrySizeBytes(entries[end] as Entry);
    if (bytes > maxBytes) break;
    end++;
  }
  return entries.slice(lo, end);
}

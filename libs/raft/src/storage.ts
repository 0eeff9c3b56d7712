import type { ConfState, Entry, HardState, Snapshot } from './types.js';

/** What a node finds on disk when it starts. */
export interface InitialState {
  readonly hardState: HardState;
  /** The membership of the stored snapshot (later changes are replayed from the log). */
  readonly confState: ConfState;
}

/**
 * The stable log as Raft reads it: the entries, hard state and snapshot the driver has made
 * durable. Raft never writes through this interface; the driver writes (what ready() says to
 * persist) and then calls advance(). Implementations answer synchronously, so a driver with a
 * file write-ahead log keeps an in-memory copy (see {@link MemoryStorage}) and rebuilds it from
 * the log at start-up, as etcd does.
 *
 * The log is `snapshot.index + 1 .. lastIndex()` (possibly shorter at the front after
 * compaction); the snapshot's index and term stand in for the entries before it.
 */
export interface Storage {
  initialState(): InitialState;

  /**
   * Entries in [lo, hi), their total size (data + ENTRY_OVERHEAD_BYTES each) at most
   * `maxBytes`, except that at least one entry is returned when lo < hi. Throws CompactedError
   * when lo < firstIndex(), UnavailableError when hi > lastIndex() + 1.
   */
  entries(lo: number, hi: number, maxBytes: number): Entry[];

  /**
   * The term of the entry at `index`, for firstIndex() − 1 ≤ index ≤ lastIndex() (the first
   * answers from the snapshot or the compaction point). Throws CompactedError / UnavailableError
   * outside.
   */
  term(index: number): number;

  /** The index of the first entry still stored (snapshot index + 1 before any entry). */
  firstIndex(): number;

  /** The index of the last entry stored (the snapshot index when there is none after it). */
  lastIndex(): number;

  /**
   * The most recent snapshot. May throw SnapshotTemporarilyUnavailableError while one is being
   * made; the leader then retries later.
   */
  snapshot(): Snapshot;
}

import {
  MemoryStorage,
  type ConfState,
  type Entry,
  type HardState,
  type InitialState,
  type NodeId,
  type Ready,
  type Snapshot,
  type Storage,
} from '@civic/raft';
import { Wal, type WalOpenResult } from './wal.js';
import { WalRecordType, type WalRecord } from './wal-records.js';

/**
 * Raft's stable storage: a MemoryStorage that only ever holds what the write-ahead log has
 * made durable (Raft reads it synchronously), rebuilt from the log at start-up, as etcd does.
 * `persist(ready)` writes the Ready's snapshot, entries and hard state, fsyncs when Raft says
 * so, and only then updates the in-memory copy; the driver sends the Ready's messages after it.
 */
export interface RaftStorageOpenResult {
  readonly storage: DiskRaftStorage;
  /** True when the log was empty and the bootstrap state was written. */
  readonly bootstrapped: boolean;
  /** True when the log was empty and no bootstrap was given: a node that joins later. */
  readonly empty: boolean;
  readonly truncated: WalOpenResult['truncated'];
}

export interface RaftBootstrap {
  /** The founding voters (the genesis config's consenters). */
  readonly voters: readonly NodeId[];
  /** The state machine at index 1: the genesis chain tip (snapshot-data.ts). */
  readonly data: Uint8Array;
}

export class DiskRaftStorage implements Storage {
  private constructor(
    private mem: MemoryStorage,
    private readonly wal: Wal,
  ) {}

  /**
   * Opens the log in `dir`. An empty log is bootstrapped with `bootstrap` when given (a founding
   * member), and stays empty otherwise (a member added later, which receives a snapshot).
   */
  static async open(dir: string, bootstrap: RaftBootstrap | null): Promise<RaftStorageOpenResult> {
    let mem = new MemoryStorage();
    let hardState: HardState | null = null;
    let records = 0;
    const { wal, truncated } = await Wal.open(dir, (record) => {
      records += 1;
      if (record.type === WalRecordType.SNAPSHOT) {
        mem = new MemoryStorage();
        mem.applySnapshot(record.snapshot);
      } else if (record.type === WalRecordType.ENTRIES) {
        mem.append(record.entries);
      } else {
        hardState = record.hardState;
      }
    });
    if (records === 0 && bootstrap !== null) {
      mem = MemoryStorage.bootstrap(bootstrap.voters, bootstrap.data);
      await wal.rewrite([
        { type: WalRecordType.SNAPSHOT, snapshot: mem.snapshot() },
        { type: WalRecordType.HARD_STATE, hardState: mem.hardStateNow() },
      ]);
      return { storage: new DiskRaftStorage(mem, wal), bootstrapped: true, empty: false, truncated };
    }
    if (hardState !== null) {
      const hs: HardState = hardState;
      // A snapshot implies its index is committed; a hard state written before it may lag.
      const commit = Math.min(Math.max(hs.commit, mem.snapshot().metadata.index), mem.lastIndex());
      mem.setHardState({ term: hs.term, vote: hs.vote, commit });
    }
    return { storage: new DiskRaftStorage(mem, wal), bootstrapped: false, empty: records === 0, truncated };
  }

  // ---- Storage (what Raft reads) ------------------------------------------------------------

  initialState(): InitialState {
    return this.mem.initialState();
  }
  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    return this.mem.entries(lo, hi, maxBytes);
  }
  term(index: number): number {
    return this.mem.term(index);
  }
  firstIndex(): number {
    return this.mem.firstIndex();
  }
  lastIndex(): number {
    return this.mem.lastIndex();
  }
  snapshot(): Snapshot {
    return this.mem.snapshot();
  }

  hardState(): HardState {
    return this.mem.hardStateNow();
  }

  /** Bytes held by the log's segments. */
  get walBytes(): number {
    return this.wal.bytes;
  }

  // ---- what the driver writes ---------------------------------------------------------------

  /** Step 1 of a Ready: durable snapshot, entries and hard state (fsynced when `mustSync`). */
  async persist(ready: Ready): Promise<void> {
    if (ready.snapshot !== null) {
      await this.persistWithSnapshot(ready, ready.snapshot);
      return;
    }
    const records: WalRecord[] = [];
    if (ready.entries.length > 0) records.push({ type: WalRecordType.ENTRIES, entries: ready.entries });
    if (ready.hardState !== null)
      records.push({ type: WalRecordType.HARD_STATE, hardState: ready.hardState });
    await this.wal.append(records, ready.mustSync);
    this.mem.append(ready.entries);
    if (ready.hardState !== null) this.mem.setHardState(ready.hardState);
  }

  /** A snapshot from the leader replaces the log: the log is rewritten around it. */
  private async persistWithSnapshot(ready: Ready, snapshot: Snapshot): Promise<void> {
    const hardState = ready.hardState ?? this.mem.hardStateNow();
    await this.wal.rewrite([
      { type: WalRecordType.SNAPSHOT, snapshot },
      { type: WalRecordType.HARD_STATE, hardState },
      ...(ready.entries.length > 0 ? [{ type: WalRecordType.ENTRIES, entries: ready.entries } as const] : []),
    ]);
    const mem = new MemoryStorage();
    mem.applySnapshot(snapshot);
    mem.append(ready.entries);
    mem.setHardState({ ...hardState, commit: Math.max(hardState.commit, snapshot.metadata.index) });
    this.mem = mem;
  }

  /**
   * Records a snapshot of the state machine at `index` (applied), rewrites the log to start
   * there, and drops the in-memory entries before `index - keepEntries` (kept a little longer
   * so that a follower slightly behind still gets entries rather than a snapshot).
   */
  async snapshotAndCompact(
    index: number,
    confState: ConfState,
    data: Uint8Array,
    keepEntries: number,
  ): Promise<Snapshot> {
    const snapshot = this.mem.createSnapshot(index, confState, data);
    const last = this.mem.lastIndex();
    const after = last > index ? this.mem.entries(index + 1, last + 1, Number.MAX_SAFE_INTEGER) : [];
    await this.wal.rewrite([
      { type: WalRecordType.SNAPSHOT, snapshot },
      { type: WalRecordType.HARD_STATE, hardState: this.mem.hardStateNow() },
      ...(after.length > 0 ? [{ type: WalRecordType.ENTRIES, entries: after } as const] : []),
    ]);
    this.mem.compact(Math.max(this.mem.firstIndex() - 1, index - keepEntries));
    return snapshot;
  }

  async close(): Promise<void> {
    await this.wal.close();
  }
}

/**
 * An in-memory world state with versions and the peer's MVCC check, for tests of transaction
 * logic (here and in the service). Not a ledger: no signatures, no policies, no blocks on disk.
 *
 * - `begin` gives a TxContext over a snapshot of the state at that moment: transactions begun
 *   before a commit read the same snapshot, like two authorities reading their peers at once.
 * - `commit` validates transactions in order as one block: a read whose version is no longer the
 *   current version of its key is MVCC_READ_CONFLICT, and its writes are dropped; valid writes get
 *   version `<block>:<tx>`.
 * - Reads return the snapshot value even after a put in the same transaction (as a Fabric-style
 *   peer does); the domain code reads everything before it writes.
 */
import type { TxContext } from '@civic/gateway';
import type { StateReader } from './group.js';

export const MemoryCode = { VALID: 'VALID', MVCC_READ_CONFLICT: 'MVCC_READ_CONFLICT' } as const;
export type MemoryCode = (typeof MemoryCode)[keyof typeof MemoryCode];

interface Versioned {
  readonly value: unknown;
  readonly version: string;
}

export interface HistoryEntry {
  readonly version: string;
  readonly block: number;
  readonly tx: number;
  readonly value: unknown;
  readonly deleted: boolean;
}

export interface RecordedEvent {
  readonly type: string;
  readonly data: unknown;
}

/** A transaction under construction: its read set, write set, event and private hashes. */
export class MemoryTx implements TxContext {
  readonly reads = new Map<string, string | null>();
  readonly writes = new Map<string, { value: unknown } | { delete: true }>();
  readonly privateHashes: { collection: string; key: string; hash: string }[] = [];
  event: RecordedEvent | null = null;

  constructor(
    readonly mspId: string,
    readonly txTime: string,
    private readonly snapshot: ReadonlyMap<string, Versioned>,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    const current = this.snapshot.get(key);
    if (!this.reads.has(key)) this.reads.set(key, current?.version ?? null);
    return current === undefined ? undefined : (structuredClone(current.value) as T);
  }

  put(key: string, value: unknown): void {
    this.writes.set(key, { value: structuredClone(value) });
  }

  delete(key: string): void {
    this.writes.set(key, { delete: true });
  }

  emit(type: string, data: unknown): void {
    if (this.event !== null)
      throw new Error(`second event ${type} in one transaction (first: ${this.event.type})`);
    this.event = { type, data: structuredClone(data) };
  }

  addPrivateHash(collection: string, key: string, hash: string): void {
    this.privateHashes.push({ collection, key, hash });
  }

  /** The keys written, sorted (what an endorser compares). */
  writtenKeys(): string[] {
    return [...this.writes.keys()].sort();
  }
}

export class MemoryLedger {
  private readonly state = new Map<string, Versioned>();
  private readonly history = new Map<string, HistoryEntry[]>();
  private nextBlock = 1;

  /** A transaction context for `mspId` at `txTime`, over the current state. */
  begin(mspId: string, txTime: string): MemoryTx {
    return new MemoryTx(mspId, txTime, new Map(this.state));
  }

  /** Validates and applies `txs` in order as one block; one code per transaction. */
  commit(...txs: MemoryTx[]): MemoryCode[] {
    const block = this.nextBlock++;
    return txs.map((tx, index) => {
      if (tx.writes.size > 0 && tx.event === null)
        throw new Error('a transaction with writes needs its event');
      for (const [key, version] of tx.reads) {
        if ((this.state.get(key)?.version ?? null) !== version) return MemoryCode.MVCC_READ_CONFLICT;
      }
      const version = `${block}:${index}`;
      for (const [key, write] of tx.writes) {
        const deleted = 'delete' in write;
        if (deleted) this.state.delete(key);
        else this.state.set(key, { value: write.value, version });
        const entries = this.history.get(key) ?? [];
        entries.push({ version, block, tx: index, value: deleted ? null : write.value, deleted });
        this.history.set(key, entries);
      }
      return MemoryCode.VALID;
    });
  }

  /** Builds a transaction with `fn`; commits it alone when `fn` returns `{ ok: true }`. */
  async run<R extends { ok: boolean }>(
    mspId: string,
    txTime: string,
    fn: (ctx: TxContext) => Promise<R>,
  ): Promise<{ outcome: R; code: MemoryCode | null; tx: MemoryTx }> {
    const tx = this.begin(mspId, txTime);
    const outcome = await fn(tx);
    const code = outcome.ok ? this.commit(tx)[0]! : null;
    return { outcome, code, tx };
  }

  /** Committed value of `key` (a copy), or undefined. */
  value<T = unknown>(key: string): T | undefined {
    const current = this.state.get(key);
    return current === undefined ? undefined : (structuredClone(current.value) as T);
  }

  /** Version `<block>:<tx>` of the last valid write of `key`, or null. */
  version(key: string): string | null {
    return this.state.get(key)?.version ?? null;
  }

  /** Every valid write of `key`, oldest first. */
  historyOf(key: string): readonly HistoryEntry[] {
    return this.history.get(key) ?? [];
  }

  /** A point reader over the committed state that records nothing (the read side). */
  reader(): StateReader {
    return { get: async <T>(key: string) => this.value<T>(key) };
  }
}

/**
 * In-memory stand-ins for the ports of the parking domain, for tests of the domain and of the
 * service: a world state with versions and a TxContext over it that behaves as the gateway's
 * (reads recorded with the version they saw, writes buffered until commit, exactly one event),
 * and a PrivateStore. Not exported from index.ts: production code never uses them.
 */
import type { TxContext } from '@civic/gateway';
import { canonicalize } from '@civic/protocol';
import { invariant } from './errors.js';
import type { PrivateCollection, PrivateRecord, PrivateStore } from './private-store.js';

interface Versioned {
  readonly value: unknown;
  /** `"<block>:<tx>"` of the last write, as the wire contract spells versions. */
  readonly version: string;
}

/** What one committed transaction put on the chain: exactly the payload's data fields. */
export interface RecordedTx {
  readonly mspId: string;
  readonly txTime: string;
  readonly reads: readonly { key: string; version: string | null }[];
  readonly writes: readonly ({ key: string; value: unknown } | { key: string; delete: true })[];
  readonly event: { type: string; data: unknown };
  readonly private: readonly { collection: string; key: string; hash: string }[];
}

/** JSON round trip through the canonical encoding: what a peer would store and serve back. */
function wire<T>(value: T): T {
  return JSON.parse(canonicalize(value)) as T;
}

/** A TxContext over a MemoryLedger's committed state. */
export class MemoryTxContext implements TxContext {
  readonly reads = new Map<string, string | null>();
  readonly writes = new Map<string, { value: unknown } | { delete: true }>();
  readonly privateHashes: { collection: string; key: string; hash: string }[] = [];
  event: { type: string; data: unknown } | undefined;

  constructor(
    private readonly state: ReadonlyMap<string, Versioned>,
    readonly mspId: string,
    readonly txTime: string,
  ) {}

  async get<T = unknown>(key: string): Promise<T | undefined> {
    // No read-your-writes, as on a peer: the domain must read every key before writing it.
    invariant(!this.writes.has(key), () => `read of ${key} after writing it in the same transaction`);
    const entry = this.state.get(key);
    const version = entry?.version ?? null;
    const seen = this.reads.get(key);
    invariant(seen === undefined || seen === version, () => `key ${key} read at two versions`);
    this.reads.set(key, version);
    return entry === undefined ? undefined : wire(entry.value as T);
  }

  put(key: string, value: unknown): void {
    checkKey(key);
    this.writes.set(key, { value: wire(value) });
  }

  delete(key: string): void {
    checkKey(key);
    this.writes.set(key, { delete: true });
  }

  emit(type: string, data: unknown): void {
    invariant(this.event === undefined, () => `second event ${type} after ${this.event?.type}`);
    this.event = { type, data: wire(data) };
  }

  addPrivateHash(collection: string, key: string, hash: string): void {
    this.privateHashes.push({ collection, key, hash });
  }
}

function checkKey(key: string): void {
  invariant(
    typeof key === 'string' && key.length >= 1 && key.length <= 512,
    () => `key of 1 to 512 characters: ${key}`,
  );
}

/**
 * A world state with versions. `transact` runs a transaction function against it: on success the
 * writes commit as the next block's only transaction and the recorded payload fields come back;
 * when the function throws, nothing changes (the refusal is rethrown).
 */
export class MemoryLedger {
  private readonly state = new Map<string, Versioned>();
  private block = 0;
  readonly transactions: RecordedTx[] = [];

  async transact<R>(
    mspId: string,
    txTime: string,
    run: (ctx: TxContext) => Promise<R>,
  ): Promise<{ result: R; tx: RecordedTx }> {
    const ctx = new MemoryTxContext(this.state, mspId, txTime);
    const result = await run(ctx);
    invariant(ctx.event !== undefined, () => 'a transaction must emit exactly one event');
    this.block++;
    const version = `${this.block}:0`;
    const writes: RecordedTx['writes'][number][] = [];
    for (const [key, write] of ctx.writes) {
      if ('delete' in write) {
        this.state.delete(key);
        writes.push({ key, delete: true });
      } else {
        this.state.set(key, { value: write.value, version });
        writes.push({ key, value: write.value });
      }
    }
    const tx: RecordedTx = {
      mspId,
      txTime,
      reads: [...ctx.reads].map(([key, seen]) => ({ key, version: seen })),
      writes,
      event: ctx.event,
      private: ctx.privateHashes,
    };
    this.transactions.push(tx);
    return { result, tx };
  }

  /** The committed value of `key` (a copy), as a peer's query would serve it. */
  get<T = unknown>(key: string): T | undefined {
    const entry = this.state.get(key);
    return entry === undefined ? undefined : wire(entry.value as T);
  }

  version(key: string): string | null {
    return this.state.get(key)?.version ?? null;
  }

  /** The whole state in canonical JSON: equal snapshots mean nothing changed. */
  snapshot(): string {
    return canonicalize(Object.fromEntries([...this.state].sort(([a], [b]) => (a < b ? -1 : 1))));
  }

  /** The whole chain's data in canonical JSON, for scanning it for personal data. */
  chainText(): string {
    return canonicalize(this.transactions);
  }
}

/** A PrivateStore in a Map, per organisation. */
export class MemoryPrivateStore implements PrivateStore {
  private readonly records = new Map<string, PrivateRecord>();

  async put(collection: PrivateCollection, key: string, record: PrivateRecord): Promise<void> {
    this.records.set(`${collection}\u0000${key}`, wire(record));
  }

  async get(collection: PrivateCollection, key: string): Promise<PrivateRecord | undefined> {
    const record = this.records.get(`${collection}\u0000${key}`);
    return record === undefined ? undefined : wire(record);
  }

  async delete(collection: PrivateCollection, key: string): Promise<boolean> {
    return this.records.delete(`${collection}\u0000${key}`);
  }

  async erase(hid: string): Promise<number> {
    let erased = 0;
    for (const [id, record] of this.records) {
      if (record.holder === hid) {
        this.records.delete(id);
        erased++;
      }
    }
    return erased;
  }

  get size(): number {
    return this.records.size;
  }

  /** Everything in the store as text, for scanning. */
  dump(): string {
    return canonicalize([...this.records.entries()]);
  }
}

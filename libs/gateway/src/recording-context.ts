/**
 * The TxContext a transaction's logic runs on, on the creator and on every endorser: point reads
 * from a state source (the own peer), recorded with the version they saw; writes, the event and
 * private hashes collected for the payload. The read and write sets come out sorted by key, so
 * two parties that ran the same logic on the same state produce byte-identical sets.
 */
import {
  canonicalize,
  type DomainEvent,
  type PrivateDataHash,
  type ReadEntry,
  type WriteEntry,
} from '@civic/protocol';
import { GatewayArgumentError } from './errors.js';
import type { TxContext } from './tx-context.js';

/** A value in the world state and the version (`<block>:<tx>`) of its last valid write. */
export interface VersionedValue {
  readonly value: unknown;
  readonly version: string;
}

/** Where a context reads from: the own peer (PeerClient), a snapshot (tests). */
export interface StateSource {
  /** The current value of `key` in `namespace`, or null when absent. */
  getState(namespace: string, key: string): Promise<VersionedValue | null>;
}

/** Bound on distinct keys one transaction may read: the protocol's reads limit. */
export const READS_PER_TX_MAX = 1024;
/** Bound on distinct keys one transaction may write: the protocol's writes limit. */
export const WRITES_PER_TX_MAX = 1024;
/** The contract's key length bounds (docs/protocol.md). */
const KEY_CHARS_MAX = 512;

export type RecordedWrite = { readonly value: unknown } | { readonly delete: true };

export interface RecordingContextOptions {
  /** The creator's organisation (also on endorsers: see TxContext.mspId). */
  readonly mspId: string;
  readonly txTime: string;
  readonly namespace: string;
  readonly source: StateSource;
}

function assertKey(key: unknown, what: string): asserts key is string {
  if (typeof key !== 'string' || key.length < 1 || key.length > KEY_CHARS_MAX) {
    throw new GatewayArgumentError(`${what}: key must be a string of 1 to ${KEY_CHARS_MAX} characters`);
  }
}

/** A JSON copy: what goes on the wire is JSON, so the logic never sees a shared object. */
function jsonCopy<T>(value: T, what: string): T {
  try {
    return JSON.parse(canonicalize(value)) as T;
  } catch (cause) {
    throw new GatewayArgumentError(`${what}: not a JSON value (${(cause as Error).message})`, { cause });
  }
}

function byKey(a: { key: string }, b: { key: string }): number {
  return a.key < b.key ? -1 : a.key > b.key ? 1 : 0;
}

export class RecordingTxContext implements TxContext {
  readonly mspId: string;
  readonly txTime: string;
  readonly namespace: string;
  /** key → the version read (null: absent). The first read of a key fixes it. */
  readonly reads = new Map<string, string | null>();
  /** key → the last put or delete. */
  readonly writes = new Map<string, RecordedWrite>();
  readonly privateHashes: PrivateDataHash[] = [];
  event: DomainEvent | null = null;
  readonly #source: StateSource;
  /** Values read, so that a second read of a key sees what the first saw (one snapshot per key). */
  readonly #values = new Map<string, unknown>();

  constructor(options: RecordingContextOptions) {
    this.mspId = options.mspId;
    this.txTime = options.txTime;
    this.namespace = options.namespace;
    this.#source = options.source;
  }

  async get<T = unknown>(key: string): Promise<T | undefined> {
    assertKey(key, 'get');
    if (!this.reads.has(key)) {
      if (this.reads.size >= READS_PER_TX_MAX) {
        throw new GatewayArgumentError(
          `get ${key}: more than ${READS_PER_TX_MAX} keys read in one transaction`,
        );
      }
      const entry = await this.#source.getState(this.namespace, key);
      // Another concurrent get of the same key may have recorded it meanwhile: keep the first.
      if (!this.reads.has(key)) {
        this.reads.set(key, entry?.version ?? null);
        this.#values.set(key, entry === null ? undefined : entry.value);
      }
    }
    const value = this.#values.get(key);
    return value === undefined ? undefined : (structuredClone(value) as T);
  }

  put(key: string, value: unknown): void {
    assertKey(key, 'put');
    if (value === undefined) throw new GatewayArgumentError(`put ${key}: value is undefined (use delete)`);
    this.#checkWriteRoom(key);
    this.writes.set(key, { value: jsonCopy(value, `put ${key}`) });
  }

  delete(key: string): void {
    assertKey(key, 'delete');
    this.#checkWriteRoom(key);
    this.writes.set(key, { delete: true });
  }

  emit(type: string, data: unknown): void {
    if (this.event !== null) {
      throw new GatewayArgumentError(
        `emit ${type}: a transaction has one event (already ${this.event.type})`,
      );
    }
    if (typeof type !== 'string' || type.length === 0)
      throw new GatewayArgumentError('emit: event type expected');
    this.event = { type, data: jsonCopy(data ?? null, `emit ${type}`) };
  }

  addPrivateHash(collection: string, key: string, hash: string): void {
    this.privateHashes.push({ collection, key, hash });
  }

  /** The keys written, sorted. */
  writtenKeys(): string[] {
    return [...this.writes.keys()].sort();
  }

  /** The read set, sorted by key. */
  readSet(): ReadEntry[] {
    return [...this.reads].map(([key, version]) => ({ key, version })).sort(byKey);
  }

  /** The write set, sorted by key. */
  writeSet(): WriteEntry[] {
    return [...this.writes]
      .map(([key, write]): WriteEntry =>
        'delete' in write ? { key, delete: true } : { key, value: write.value },
      )
      .sort(byKey);
  }

  /** Highest block number among the versions read (-1 when none): the state the logic saw at least. */
  highestReadBlock(): number {
    let highest = -1;
    for (const version of this.reads.values()) {
      if (version === null) continue;
      const block = Number(version.slice(0, version.indexOf(':')));
      if (Number.isSafeInteger(block) && block > highest) highest = block;
    }
    return highest;
  }

  #checkWriteRoom(key: string): void {
    if (!this.writes.has(key) && this.writes.size >= WRITES_PER_TX_MAX) {
      throw new GatewayArgumentError(
        `write ${key}: more than ${WRITES_PER_TX_MAX} keys written in one transaction`,
      );
    }
  }
}

/** What an endorser compares with the creator's payload: the parts its logic produced. */
export interface TxEffects {
  readonly reads: readonly ReadEntry[];
  readonly writes: readonly WriteEntry[];
  readonly event: DomainEvent | null;
  readonly private: readonly PrivateDataHash[];
}

export function effectsOf(ctx: RecordingTxContext): TxEffects {
  return { reads: ctx.readSet(), writes: ctx.writeSet(), event: ctx.event, private: ctx.privateHashes };
}

/**
 * Canonical comparison of two transactions' effects. Returns null when equal, else what differs
 * first, in words (the endorser's STATE_DIFFERS reason).
 */
export function effectsDiffer(expected: TxEffects, actual: TxEffects): string | null {
  const readsA = new Map(expected.reads.map((r) => [r.key, r.version]));
  const readsB = new Map(actual.reads.map((r) => [r.key, r.version]));
  for (const [key, version] of readsA) {
    if (!readsB.has(key)) return `the proposal reads ${key}, this endorser's logic does not`;
    if (readsB.get(key) !== version) {
      return `read of ${key}: the proposal saw version ${version ?? 'absent'}, this endorser's peer has ${readsB.get(key) ?? 'absent'}`;
    }
  }
  for (const key of readsB.keys()) {
    if (!readsA.has(key)) return `this endorser's logic reads ${key}, the proposal does not`;
  }
  if (canonicalize(expected.writes) !== canonicalize(actual.writes)) {
    const keysA = expected.writes.map((w) => w.key).join(', ');
    const keysB = actual.writes.map((w) => w.key).join(', ');
    return keysA === keysB
      ? `the written values differ (keys ${keysA})`
      : `the proposal writes [${keysA}], this endorser's logic writes [${keysB}]`;
  }
  if (canonicalize(expected.event) !== canonicalize(actual.event)) {
    return `the event differs (proposal ${expected.event?.type ?? 'none'}, endorser ${actual.event?.type ?? 'none'})`;
  }
  if (canonicalize(expected.private) !== canonicalize(actual.private))
    return 'the private data hashes differ';
  return null;
}

/**
 * An in-memory world state with versions and the peer's MVCC rule, for tests of transaction
 * logic in the domain services. Not a ledger: no signatures, policies or blocks on disk.
 *
 * - `begin` gives a RecordingTxContext (the gateway's own) over a snapshot of the state at that
 *   moment: transactions begun before a commit read the same snapshot, like two authorities
 *   reading their peers at once.
 * - `commit` validates transactions in order as one block: a read whose version is no longer the
 *   current version of its key is MVCC_READ_CONFLICT and its writes are dropped; valid writes get
 *   version `<block>:<tx>`.
 * - Reads return the snapshot value even after a put in the same transaction, as a peer does.
 * - Every committed transaction is kept with its payload's data fields (`transactions`), valid or
 *   not, as a block would hold it: tests scan the chain's text for personal data, or check that a
 *   refusal added nothing (`snapshot()` of the state before and after).
 */
import { canonicalize, type DomainEvent } from '@civic/protocol';
import {
  effectsOf,
  RecordingTxContext,
  type StateSource,
  type TxEffects,
  type VersionedValue,
} from '../recording-context.js';
import type { TxContext } from '../tx-context.js';

export const MemoryCode = { VALID: 'VALID', MVCC_READ_CONFLICT: 'MVCC_READ_CONFLICT' } as const;
export type MemoryCode = (typeof MemoryCode)[keyof typeof MemoryCode];

/** The namespace of a MemoryLedger that was not given one. */
export const MEMORY_NAMESPACE = 'test';

export interface HistoryEntry {
  readonly version: string;
  readonly block: number;
  readonly tx: number;
  readonly value: unknown;
  readonly deleted: boolean;
}

/**
 * A committed transaction as a block holds it: the payload's data fields (reads and writes sorted
 * by key, as the gateway puts them in the payload) and its code.
 */
export interface CommittedTx extends TxEffects {
  readonly block: number;
  /** Index in its block. */
  readonly tx: number;
  readonly code: MemoryCode;
  readonly mspId: string;
  readonly txTime: string;
}

/** A transaction under construction over a MemoryLedger snapshot. */
export type MemoryTx = RecordingTxContext;

function snapshotSource(snapshot: ReadonlyMap<string, VersionedValue>): StateSource {
  return { getState: async (_namespace, key) => snapshot.get(key) ?? null };
}

export class MemoryLedger {
  readonly #state = new Map<string, VersionedValue>();
  readonly #history = new Map<string, HistoryEntry[]>();
  readonly #committed: CommittedTx[] = [];
  #nextBlock = 1;

  constructor(readonly namespace: string = MEMORY_NAMESPACE) {}

  /** A transaction context for `mspId` at `txTime`, over the current state. */
  begin(mspId: string, txTime: string): MemoryTx {
    return new RecordingTxContext({
      mspId,
      txTime,
      namespace: this.namespace,
      source: snapshotSource(new Map(this.#state)),
    });
  }

  /** Validates and applies `txs` in order as one block; one code per transaction. */
  commit(...txs: MemoryTx[]): MemoryCode[] {
    const block = this.#nextBlock++;
    return txs.map((tx, index) => {
      if (tx.writes.size > 0 && tx.event === null)
        throw new Error('a transaction with writes needs its event');
      const code = this.#validate(tx);
      this.#committed.push({ block, tx: index, code, mspId: tx.mspId, txTime: tx.txTime, ...effectsOf(tx) });
      if (code !== MemoryCode.VALID) return code;
      const version = `${block}:${index}`;
      for (const [key, write] of tx.writes) {
        const deleted = 'delete' in write;
        if (deleted) this.#state.delete(key);
        else this.#state.set(key, { value: write.value, version });
        const entries = this.#history.get(key) ?? [];
        entries.push({ version, block, tx: index, value: deleted ? null : write.value, deleted });
        this.#history.set(key, entries);
      }
      return MemoryCode.VALID;
    });
  }

  #validate(tx: MemoryTx): MemoryCode {
    for (const [key, version] of tx.reads) {
      if ((this.#state.get(key)?.version ?? null) !== version) return MemoryCode.MVCC_READ_CONFLICT;
    }
    return MemoryCode.VALID;
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

  /**
   * Builds a transaction with `fn` for domain code that throws its refusals: a throw leaves
   * everything as it was and is rethrown; otherwise the transaction, which must have emitted its
   * event (as the gateway requires of an accepted outcome), is committed alone.
   */
  async transact<R>(
    mspId: string,
    txTime: string,
    fn: (ctx: TxContext) => Promise<R>,
  ): Promise<{ result: R; code: MemoryCode; tx: CommittedTx & { readonly event: DomainEvent } }> {
    const tx = this.begin(mspId, txTime);
    const result = await fn(tx);
    if (tx.event === null) throw new Error('an accepted transaction must emit its event');
    const { event } = tx;
    const code = this.commit(tx)[0]!;
    return { result, code, tx: { ...this.#committed.at(-1)!, event } };
  }

  /** Every transaction committed so far (valid or not), oldest first. */
  get transactions(): readonly CommittedTx[] {
    return this.#committed;
  }

  /** The current state (keys, values and versions) as canonical JSON: equal texts, nothing changed. */
  snapshot(): string {
    return canonicalize(Object.fromEntries(this.#state));
  }

  /** Every committed transaction as canonical JSON: the chain's text, to scan for what must not be on it. */
  chainText(): string {
    return canonicalize(this.#committed);
  }

  /** Committed value of `key` (a copy), or undefined. */
  value<T = unknown>(key: string): T | undefined {
    const current = this.#state.get(key);
    return current === undefined ? undefined : (structuredClone(current.value) as T);
  }

  /** Version `<block>:<tx>` of the last valid write of `key`, or null. */
  version(key: string): string | null {
    return this.#state.get(key)?.version ?? null;
  }

  /** Every valid write of `key`, oldest first. */
  historyOf(key: string): readonly HistoryEntry[] {
    return this.#history.get(key) ?? [];
  }

  /** A point reader over the committed state that records nothing (the read side). */
  reader(): { get<T = unknown>(key: string): Promise<T | undefined> } {
    return { get: async <T>(key: string) => this.value<T>(key) };
  }
}

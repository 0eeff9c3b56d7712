/**
 * What a domain service's transaction logic sees while it builds one transaction: the world
 * state of its namespace as its own peer has it, and a place to put its writes and its event.
 *
 * Reads are recorded with the version they saw (the read set); writes and the event become the
 * write set and the domain event of the payload. Endorsers run the same logic against their own
 * peer's state through the same interface, so the same code decides everywhere.
 *
 * MVCC protects point reads only: design keys so that every rule reads the keys it depends on by
 * name (aggregates such as a per-undertaking aid register), never by scanning a range.
 */
export interface TxContext {
  /**
   * The organisation that CREATES the transaction (its creator's mspId). An endorser re-running
   * the logic sees the creator's mspId here too, so that rules such as "only the scheme's own
   * authority decides" give the same answer on every endorser.
   */
  readonly mspId: string;
  /** The transaction's time (RFC 3339 UTC, ms), fixed by the creator; endorsers see the same. */
  readonly txTime: string;
  /** Value of `key` in this namespace, or undefined when absent. Records the read and its version. */
  get<T = unknown>(key: string): Promise<T | undefined>;
  /** Sets `key` to `value` (JSON). The last put or delete of a key wins. */
  put(key: string, value: unknown): void;
  /** Deletes `key`. */
  delete(key: string): void;
  /** The transaction's domain event; exactly one per transaction. */
  emit(type: string, data: unknown): void;
  /** Salted hash of personal data kept in this organisation's private store. */
  addPrivateHash(collection: string, key: string, hash: string): void;
}

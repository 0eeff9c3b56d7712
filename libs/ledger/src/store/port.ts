/**
 * The storage port of the ledger: everything the commit pipeline, the queries and the audit
 * ask of a database. One implementation (`SqlLedgerStore`) serves PostgreSQL and PGlite.
 * JSON values cross this port as canonical JSON text, never re-encoded.
 */

/** Where the stored chain ends. */
export interface ChainHead {
  readonly channel: string;
  /** Number of the last committed block; -1 before the genesis block. */
  readonly height: number;
  /** Hash of the last committed block (64 zeros before genesis). */
  readonly blockHash: string;
  /** `time` of the last committed block header ('' before genesis). */
  readonly blockTime: string;
  /** Commit hash after the last committed block (64 zeros before genesis). */
  readonly commitHash: string;
  /** Number of the config block in force for the next block (-1 before genesis). */
  readonly configBlock: number;
  /** VALID transactions in blocks 0..height (each has one domain event). */
  readonly validTxs: number;
  /** Last block whose events and receipt JetStream acknowledged (-1 = none). */
  readonly publishedHeight: number;
}

/** One transaction of a block, as stored (valid or not). */
export interface TxRecord {
  readonly index: number;
  readonly txId: string;
  readonly code: string;
  /** Why an invalid transaction is invalid (null for VALID); for people, not hashed. */
  readonly reason: string | null;
  /** Canonical JSON of the envelope exactly as it was in the block. */
  readonly envelope: string;
  /** The fields below are null for a MALFORMED envelope that did not parse. */
  readonly namespace: string | null;
  readonly action: string | null;
  readonly creatorMsp: string | null;
  readonly creatorSubject: string | null;
  readonly txTime: string | null;
}

/** The state of one key after a block: a put (value = canonical JSON) or a delete (value null). */
export interface StateChange {
  readonly namespace: string;
  readonly key: string;
  readonly value: string | null;
  /** `"<block>:<tx>"` of the write. */
  readonly version: string;
}

/** One valid write, as kept forever in the key's history. */
export interface HistoryRecord {
  readonly namespace: string;
  readonly key: string;
  readonly block: number;
  readonly index: number;
  readonly txId: string;
  readonly creatorMsp: string;
  readonly creatorSubject: string;
  readonly blockTime: string;
  readonly txTime: string;
  /** Canonical JSON of the written value; null for a delete. */
  readonly value: string | null;
}

/** A block as the store keeps it: its row and its transactions' rows. */
export interface StoredBlock {
  readonly number: number;
  readonly hash: string;
  readonly previousHash: string;
  /** Canonical JSON of the header and of the metadata. */
  readonly header: string;
  readonly metadata: string;
  readonly time: string;
  /** Validation code per envelope, in envelope order. */
  readonly codes: readonly string[];
  readonly commitHash: string;
  /** VALID transactions in the blocks before this one: the event ordinal of its first valid one. */
  readonly validBefore: number;
  readonly txs: readonly TxRecord[];
}

/** Everything one block changes, written in one database transaction. */
export interface BlockCommit extends StoredBlock {
  /** Config block in force for the block after this one. */
  readonly configBlock: number;
  /** Final state of each key this block changed (one entry per key, last valid write wins). */
  readonly stateChanges: readonly StateChange[];
  readonly history: readonly HistoryRecord[];
}

export interface StateEntry {
  readonly namespace: string;
  readonly key: string;
  /** Canonical JSON. */
  readonly value: string;
  readonly version: string;
}

/** Where a transaction is: its block, position and code. */
export interface TxLocation {
  readonly block: number;
  readonly tx: TxRecord;
}

export interface StateKey {
  readonly namespace: string;
  readonly key: string;
}

export interface HistoryPage {
  readonly entries: readonly HistoryRecord[];
  /** Pass as `before` to read the next (older) page; absent on the last page. */
  readonly next?: { readonly block: number; readonly index: number };
}

export interface LedgerStore {
  /** Which database this is, for logs and metrics. */
  readonly engine: string;
  head(): Promise<ChainHead>;
  /** Current version of each key present (keys absent from the map are absent from the state). */
  readVersions(keys: readonly StateKey[]): Promise<Map<string, string>>;
  /** The txIds of `txIds` that occur in the stored chain (only in blocks before `beforeBlock` when given). */
  knownTxIds(txIds: readonly string[], beforeBlock?: number): Promise<Set<string>>;
  /**
   * Commits blocks `head+1 … head+n` in ONE database transaction; refuses (HeightMismatchError,
   * nothing written) unless the first one follows the stored head.
   */
  commitBlocks(blocks: readonly BlockCommit[]): Promise<ChainHead>;
  /** Records that blocks up to `height` are published (monotonic: a lower value is ignored). */
  markPublished(height: number): Promise<void>;

  getState(key: StateKey): Promise<StateEntry | null>;
  getHistory(key: StateKey, limit: number, before?: { block: number; index: number }): Promise<HistoryPage>;
  getBlock(number: number): Promise<StoredBlock | null>;
  getBlockByHash(hash: string): Promise<StoredBlock | null>;
  /** The first occurrence of a txId in the chain (later ones are DUPLICATE_TXID). */
  getTx(txId: string): Promise<TxLocation | null>;

  /** Blocks `from … from+count-1` that exist, in order (audit, republishing). */
  blocksFrom(from: number, count: number): Promise<StoredBlock[]>;
  /** History rows of blocks `fromBlock … toBlock`, ordered by block, index, namespace, key. */
  historyOfBlocks(fromBlock: number, toBlock: number): Promise<HistoryRecord[]>;
  /** State rows after `after` in (namespace, key) order, at most `limit`. */
  statePage(after: StateKey | null, limit: number): Promise<StateEntry[]>;
  /** Every block number present (audit: finds gaps and strays beyond the head). */
  blockNumberRange(): Promise<{ min: number; max: number; count: number }>;
  /** Rows that name a block outside 0..height (audit: rows inserted by hand). */
  rowsOutside(height: number): Promise<{ txs: number; history: number }>;

  close(): Promise<void>;
}

/** Map key of a (namespace, key) pair; U+0000 cannot occur in a namespace name. */
export function stateMapKey(namespace: string, key: string): string {
  return `${namespace}\u0000${key}`;
}

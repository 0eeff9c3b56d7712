import {
  blockHashOf,
  canonicalize,
  sha256,
  toHex,
  utf8Bytes,
  ZERO_HASH_HEX,
  type BlockHeader,
} from '@civic/protocol';
import { BlockRejectedError } from '../errors.js';
import type { HistoryRecord, LedgerStore, StoredBlock } from '../store/port.js';
import { stateMapKey } from '../store/port.js';
import { readBlockInput } from '../validation/block-input.js';
import { signatureChecksOf, verdictsFrom } from '../validation/signatures.js';
import {
  chainStart,
  validateBlock,
  type BlockOutcome,
  type ChainState,
} from '../validation/validate-block.js';
import { versionBlock } from '../version.js';
import { InlineSignatureVerifier, type SignatureVerifier } from '../verify/signature-verifier.js';

/**
 * The self-audit: re-verifies the stored chain from genesis as if it arrived now (hashes,
 * Merkle roots, consenter and transaction signatures, every code, the commit hash chain), and
 * rebuilds the world state and the history from the blocks alone to compare with the state
 * and history tables. Anything changed, deleted or inserted by hand is reported with the block
 * it belongs to. Reads only.
 *
 * Memory: the rebuilt state is kept as key → (version, SHA-256 of the value), about 150 bytes
 * per live key (150 MB for a million keys); blocks are read in batches of BATCH_BLOCKS.
 */

export const AuditProblemKind = {
  /** A block row is missing, or a row names a block beyond the head. */
  MISSING_BLOCK: 'MISSING_BLOCK',
  STRAY_ROW: 'STRAY_ROW',
  /** The stored block does not verify (hash, chain, Merkle root, signature, genesis). */
  BLOCK_INVALID: 'BLOCK_INVALID',
  /** A stored column differs from what the block itself says (hash, codes, commit hash, tx row). */
  BLOCK_MISMATCH: 'BLOCK_MISMATCH',
  HISTORY_MISMATCH: 'HISTORY_MISMATCH',
  STATE_MISMATCH: 'STATE_MISMATCH',
  HEAD_MISMATCH: 'HEAD_MISMATCH',
} as const;
export type AuditProblemKind = (typeof AuditProblemKind)[keyof typeof AuditProblemKind];

export interface AuditProblem {
  readonly kind: AuditProblemKind;
  /** The block the problem belongs to (null when none can be named). */
  readonly block: number | null;
  readonly detail: string;
}

export interface AuditReport {
  readonly ok: boolean;
  /** Head height the audit checked up to. */
  readonly height: number;
  readonly blocksChecked: number;
  readonly transactionsChecked: number;
  readonly stateKeys: number;
  /** At most PROBLEMS_MAX problems, in the order found. */
  readonly problems: readonly AuditProblem[];
  /** The commit hash recomputed at the head. */
  readonly commitHash: string;
}

export interface AuditOptions {
  readonly channel: string;
  readonly genesisHash?: string;
  readonly verifier?: SignatureVerifier;
  /** Called after each batch of blocks (progress bars). */
  readonly onProgress?: (progress: { block: number; height: number }) => void;
}

/** Blocks read per query. */
const BATCH_BLOCKS = 100;
/** Bound on reported problems: a wholesale corruption is named by its first ones. */
const PROBLEMS_MAX = 100;
const STATE_PAGE_ROWS = 5000;

interface RebuiltEntry {
  readonly version: string;
  readonly valueHash: string;
}

const hashValue = (text: string) => toHex(sha256(utf8Bytes(text)));

export async function auditChain(store: LedgerStore, options: AuditOptions): Promise<AuditReport> {
  const run = new AuditRun(store, options);
  return run.run();
}

class AuditRun {
  readonly problems: AuditProblem[] = [];
  readonly state = new Map<string, RebuiltEntry & { namespace: string; key: string }>();
  readonly verifier: SignatureVerifier;
  chain: ChainState;
  blocksChecked = 0;
  transactionsChecked = 0;

  constructor(
    readonly store: LedgerStore,
    readonly options: AuditOptions,
  ) {
    this.verifier = options.verifier ?? new InlineSignatureVerifier();
    this.chain = chainStart(options.channel);
  }

  report(kind: AuditProblemKind, block: number | null, detail: string): void {
    if (this.problems.length < PROBLEMS_MAX) this.problems.push({ kind, block, detail });
  }

  async run(): Promise<AuditReport> {
    const head = await this.store.head();
    await this.checkRows(head.height);
    const replayed = await this.replay(head.height);
    if (replayed) {
      await this.compareState();
      if (
        head.commitHash !== this.chain.commitHash ||
        head.blockHash !== (this.chain.tip?.hash ?? ZERO_HASH_HEX)
      ) {
        this.report(
          AuditProblemKind.HEAD_MISMATCH,
          head.height,
          `head says commit ${head.commitHash}, the chain gives ${this.chain.commitHash}`,
        );
      }
      if (head.configBlock !== this.chain.configBlock) {
        this.report(
          AuditProblemKind.HEAD_MISMATCH,
          head.height,
          `head says config block ${head.configBlock}, the chain gives ${this.chain.configBlock}`,
        );
      }
      if (head.validTxs !== this.chain.validTxs) {
        this.report(
          AuditProblemKind.HEAD_MISMATCH,
          head.height,
          `head counts ${head.validTxs} valid transactions, the chain ${this.chain.validTxs}`,
        );
      }
    }
    return {
      ok: this.problems.length === 0,
      height: head.height,
      blocksChecked: this.blocksChecked,
      transactionsChecked: this.transactionsChecked,
      stateKeys: this.state.size,
      problems: this.problems,
      commitHash: this.chain.commitHash,
    };
  }

  async checkRows(height: number): Promise<void> {
    const range = await this.store.blockNumberRange();
    if (range.count > 0 && (range.min < 0 || range.max > height)) {
      this.report(
        AuditProblemKind.STRAY_ROW,
        range.max > height ? range.max : range.min,
        `block rows span ${range.min}..${range.max}, the head is ${height}`,
      );
    }
    const outside = await this.store.rowsOutside(height);
    if (outside.txs > 0)
      this.report(
        AuditProblemKind.STRAY_ROW,
        null,
        `${outside.txs} transaction rows name a block beyond the head ${height}`,
      );
    if (outside.history > 0)
      this.report(
        AuditProblemKind.STRAY_ROW,
        null,
        `${outside.history} history rows name a block beyond the head ${height}`,
      );
  }

  /** Replays blocks 0..height; false when the chain breaks (the state cannot be rebuilt past it). */
  async replay(height: number): Promise<boolean> {
    for (let from = 0; from <= height; from += BATCH_BLOCKS) {
      const to = Math.min(height, from + BATCH_BLOCKS - 1);
      const blocks = await this.store.blocksFrom(from, to - from + 1);
      const history = groupByBlock(await this.store.historyOfBlocks(from, to));
      for (let n = from; n <= to; n++) {
        const stored = blocks.find((b) => b.number === n);
        if (!stored) {
          this.report(AuditProblemKind.MISSING_BLOCK, n, `block ${n} is not in the blocks table`);
          return false;
        }
        const outcome = await this.verifyBlock(stored);
        if (!outcome) return false;
        this.compareBlock(stored, outcome);
        this.compareHistory(n, outcome.commit.history, history.get(n) ?? []);
        this.apply(outcome);
      }
      this.options.onProgress?.({ block: to, height });
    }
    return true;
  }

  async verifyBlock(stored: StoredBlock): Promise<BlockOutcome | undefined> {
    const n = stored.number;
    let raw: unknown;
    try {
      raw = {
        header: JSON.parse(stored.header) as unknown,
        envelopes: stored.txs.map((tx) => JSON.parse(tx.envelope) as unknown),
        metadata: JSON.parse(stored.metadata) as unknown,
      };
    } catch (error) {
      this.report(
        AuditProblemKind.BLOCK_INVALID,
        n,
        `stored JSON does not parse: ${(error as Error).message}`,
      );
      return undefined;
    }
    if (stored.txs.some((tx, i) => tx.index !== i)) {
      this.report(
        AuditProblemKind.BLOCK_INVALID,
        n,
        'transaction rows are not numbered 0..n-1 (a row was deleted or inserted)',
      );
    }
    const headerHash = blockHashOf((raw as { header: BlockHeader }).header);
    if (headerHash !== stored.hash) {
      this.report(
        AuditProblemKind.BLOCK_MISMATCH,
        n,
        `stored hash ${stored.hash} but the stored header hashes to ${headerHash}`,
      );
    }
    try {
      const input = readBlockInput(raw);
      const results = await this.verifier.verifyAll(signatureChecksOf(input));
      const reader = await this.readerFor(n, input.txIds);
      const outcome = validateBlock(input, this.chain, reader, {
        signatures: verdictsFrom(input, results),
        ...(this.options.genesisHash !== undefined ? { genesisHash: this.options.genesisHash } : {}),
      });
      this.blocksChecked++;
      this.transactionsChecked += outcome.codes.length;
      return outcome;
    } catch (error) {
      if (!(error instanceof BlockRejectedError)) throw error;
      this.report(AuditProblemKind.BLOCK_INVALID, n, error.reason);
      return undefined;
    }
  }

  async readerFor(n: number, txIds: readonly string[]) {
    // Earlier blocks' transaction rows are verified already, so the txs table up to n-1 is
    // trustworthy for duplicates; the state comes from the rebuilt map, not the state table.
    const known = await this.store.knownTxIds([...new Set(txIds)], n);
    const state = this.state;
    return {
      version: (namespace: string, key: string) => state.get(stateMapKey(namespace, key))?.version ?? null,
      hasTxId: (txId: string) => known.has(txId),
    };
  }

  compareBlock(stored: StoredBlock, outcome: BlockOutcome): void {
    const n = stored.number;
    const expected = outcome.commit;
    const fields: [string, unknown, unknown][] = [
      ['header', stored.header, expected.header],
      ['metadata', stored.metadata, expected.metadata],
      ['previous hash', stored.previousHash, expected.previousHash],
      ['time', stored.time, expected.time],
      ['codes', stored.codes.join(','), expected.codes.join(',')],
      ['commit hash', stored.commitHash, expected.commitHash],
      ['valid transactions before', stored.validBefore, expected.validBefore],
    ];
    for (const [what, got, want] of fields) {
      if (got !== want)
        this.report(
          AuditProblemKind.BLOCK_MISMATCH,
          n,
          `${what}: stored ${clip(got)}, the block gives ${clip(want)}`,
        );
    }
    expected.txs.forEach((tx, i) => {
      const row = stored.txs[i];
      if (!row) return;
      for (const field of [
        'envelope',
        'txId',
        'code',
        'namespace',
        'action',
        'creatorMsp',
        'creatorSubject',
        'txTime',
      ] as const) {
        if (row[field] !== tx[field]) {
          this.report(
            AuditProblemKind.BLOCK_MISMATCH,
            n,
            `transaction ${i} ${field}: stored ${clip(row[field])}, the block gives ${clip(tx[field])}`,
          );
        }
      }
    });
  }

  compareHistory(n: number, expected: readonly HistoryRecord[], stored: readonly HistoryRecord[]): void {
    const keyOf = (h: HistoryRecord) => `${h.index}\u0000${h.namespace}\u0000${h.key}`;
    const rows = new Map(stored.map((h) => [keyOf(h), h]));
    if (rows.size !== stored.length)
      this.report(AuditProblemKind.HISTORY_MISMATCH, n, 'history holds the same write twice');
    for (const want of expected) {
      const got = rows.get(keyOf(want));
      rows.delete(keyOf(want));
      if (!got) {
        this.report(
          AuditProblemKind.HISTORY_MISMATCH,
          n,
          `history row of ${want.namespace}/${clip(want.key)} (tx ${want.index}) is missing`,
        );
        continue;
      }
      if (canonicalize(got) !== canonicalize(want)) {
        this.report(
          AuditProblemKind.HISTORY_MISMATCH,
          n,
          `history row of ${want.namespace}/${clip(want.key)} (tx ${want.index}) was changed`,
        );
      }
    }
    for (const extra of rows.values()) {
      this.report(
        AuditProblemKind.HISTORY_MISMATCH,
        n,
        `history row of ${extra.namespace}/${clip(extra.key)} (tx ${extra.index}) is not a write of the block`,
      );
    }
  }

  apply(outcome: BlockOutcome): void {
    for (const change of outcome.commit.stateChanges) {
      const mapKey = stateMapKey(change.namespace, change.key);
      if (change.value === null) this.state.delete(mapKey);
      else
        this.state.set(mapKey, {
          namespace: change.namespace,
          key: change.key,
          version: change.version,
          valueHash: hashValue(change.value),
        });
    }
    this.chain = outcome.next;
  }

  /** Every state row against the rebuilt state: changed, inserted and deleted rows, each with its block. */
  async compareState(): Promise<void> {
    const unseen = new Set(this.state.keys());
    let after: { namespace: string; key: string } | null = null;
    for (;;) {
      const page = await this.store.statePage(after, STATE_PAGE_ROWS);
      for (const row of page) {
        const mapKey = stateMapKey(row.namespace, row.key);
        const want = this.state.get(mapKey);
        unseen.delete(mapKey);
        if (!want) {
          this.report(
            AuditProblemKind.STATE_MISMATCH,
            versionBlock(row.version),
            `state row ${row.namespace}/${clip(row.key)} exists, but no block leaves it (it claims version ${row.version})`,
          );
        } else if (want.version !== row.version || want.valueHash !== hashValue(row.value)) {
          this.report(
            AuditProblemKind.STATE_MISMATCH,
            versionBlock(want.version),
            `state row ${row.namespace}/${clip(row.key)} was changed (block ${want.version} wrote it)`,
          );
        }
      }
      const last = page.at(-1);
      if (!last || page.length < STATE_PAGE_ROWS) break;
      after = { namespace: last.namespace, key: last.key };
    }
    for (const mapKey of unseen) {
      const want = this.state.get(mapKey);
      if (want)
        this.report(
          AuditProblemKind.STATE_MISMATCH,
          versionBlock(want.version),
          `state row ${want.namespace}/${clip(want.key)} is missing (block ${want.version} wrote it)`,
        );
    }
  }
}

function groupByBlock(rows: readonly HistoryRecord[]): Map<number, HistoryRecord[]> {
  const byBlock = new Map<number, HistoryRecord[]>();
  for (const row of rows) {
    let list = byBlock.get(row.block);
    if (!list) byBlock.set(row.block, (list = []));
    list.push(row);
  }
  return byBlock;
}

function clip(value: unknown): string {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  return text === undefined ? 'undefined' : text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

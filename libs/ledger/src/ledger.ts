import { CONFIG_KEY, CONFIG_NAMESPACE } from '@civic/protocol';
import type { ChannelConfig } from '@civic/identity';
import { BlockRejectedError, LedgerInvariantError } from './errors.js';
import type { ChainHead, LedgerStore, StateChange } from './store/port.js';
import { stateMapKey } from './store/port.js';
import { readBlockInput, type BlockInput } from './validation/block-input.js';
import { signatureChecksOf, verdictsFrom, type SignatureVerdicts } from './validation/signatures.js';
import {
  chainStart,
  keysReadBy,
  validateBlock,
  type BlockOutcome,
  type ChainState,
  type StateReader,
} from './validation/validate-block.js';
import { InlineSignatureVerifier, type SignatureVerifier } from './verify/signature-verifier.js';

export interface LedgerOptions {
  readonly store: LedgerStore;
  readonly channel: string;
  /** Hash block 0 must have (from the genesis file): the trust anchor. Absent = trust the first block 0. */
  readonly genesisHash?: string;
  /** Where signatures are verified; inline by default. The ledger does not close it. */
  readonly verifier?: SignatureVerifier;
}

/** A block read and its signatures being verified, ahead of its commit. */
export interface PreparedBlock {
  readonly input: BlockInput;
  readonly number: number;
  readonly signatures: Promise<SignatureVerdicts>;
}

/** Bound on blocks committed in one database transaction (catch-up batches). */
export const COMMIT_GROUP_BLOCKS_MAX = 64;

/**
 * The commit pipeline over a store: reads blocks, verifies them, validates their transactions
 * (validateBlock, pure) against the committed state, and commits each group of blocks in one
 * database transaction. Keeps the chain state of the last commit in memory; the store is the
 * truth, re-read on open.
 */
export class Ledger {
  #chain: ChainState;
  #head: ChainHead;
  readonly #store: LedgerStore;
  readonly #verifier: SignatureVerifier;
  readonly #genesisHash: string | undefined;

  private constructor(options: LedgerOptions, head: ChainHead, chain: ChainState) {
    this.#store = options.store;
    this.#verifier = options.verifier ?? new InlineSignatureVerifier();
    this.#genesisHash = options.genesisHash;
    this.#head = head;
    this.#chain = chain;
  }

  static async open(options: LedgerOptions): Promise<Ledger> {
    const head = await options.store.head();
    return new Ledger(options, head, await chainStateOf(options.store, head, options.channel));
  }

  get store(): LedgerStore {
    return this.#store;
  }

  /** The store's head after the last commit. */
  get head(): ChainHead {
    return this.#head;
  }

  get chain(): ChainState {
    return this.#chain;
  }

  /** Number of the last committed block (-1 before genesis). */
  get height(): number {
    return this.#head.height;
  }

  /** Reads a block and starts verifying its signatures. Throws BlockRejectedError for a block that cannot be read. */
  prepare(raw: unknown): PreparedBlock {
    const input = readBlockInput(raw);
    const signatures = this.#verifier
      .verifyAll(signatureChecksOf(input))
      .then((results) => verdictsFrom(input, results));
    // A rejection is observed by commit(); this only keeps Node from reporting it unhandled meanwhile.
    signatures.catch(() => undefined);
    return { input, number: input.block.header.number, signatures };
  }

  /**
   * Validates and commits prepared blocks, in order, in one database transaction. When one is
   * rejected, the blocks before it are committed and BlockRejectedError is thrown for it:
   * nothing of a rejected block is ever written.
   */
  async commit(blocks: readonly PreparedBlock[]): Promise<BlockOutcome[]> {
    if (blocks.length === 0 || blocks.length > COMMIT_GROUP_BLOCKS_MAX) {
      throw new RangeError(`commit: 1..${COMMIT_GROUP_BLOCKS_MAX} blocks, got ${blocks.length}`);
    }
    const outcomes: BlockOutcome[] = [];
    const overlay = new GroupOverlay();
    let chain = this.#chain;
    let rejection: unknown;
    for (const prepared of blocks) {
      try {
        const reader = await this.#readerFor(prepared.input, overlay);
        const outcome = validateBlock(prepared.input, chain, reader, {
          signatures: await prepared.signatures,
          ...(this.#genesisHash !== undefined ? { genesisHash: this.#genesisHash } : {}),
        });
        overlay.add(outcome);
        outcomes.push(outcome);
        chain = outcome.next;
      } catch (error) {
        rejection = error;
        break;
      }
    }
    if (outcomes.length > 0) {
      this.#head = await this.#store.commitBlocks(outcomes.map((o) => o.commit));
      this.#chain = chain;
      if (this.#head.height !== chain.tip?.number) {
        throw new LedgerInvariantError(
          `store head ${this.#head.height} after committing up to ${chain.tip?.number}`,
        );
      }
    }
    if (rejection !== undefined) throw rejection;
    return outcomes;
  }

  /** prepare + commit of raw blocks (tests, tools). */
  async append(raws: readonly unknown[]): Promise<BlockOutcome[]> {
    const prepared: PreparedBlock[] = [];
    for (const raw of raws) {
      try {
        prepared.push(this.prepare(raw));
      } catch (error) {
        if (prepared.length > 0) await this.commit(prepared);
        throw error;
      }
    }
    return this.commit(prepared);
  }

  async #readerFor(input: BlockInput, overlay: GroupOverlay): Promise<StateReader> {
    const keys = keysReadBy(input).filter((k) => !overlay.changes.has(stateMapKey(k.namespace, k.key)));
    const txIds = [...new Set(input.txIds)].filter((txId) => !overlay.txIds.has(txId));
    const [versions, known] = await Promise.all([
      this.#store.readVersions(keys),
      this.#store.knownTxIds(txIds),
    ]);
    return {
      version(namespace, key) {
        const mapKey = stateMapKey(namespace, key);
        const pending = overlay.changes.get(mapKey);
        if (pending) return pending.value === null ? null : pending.version;
        return versions.get(mapKey) ?? null;
      },
      hasTxId: (txId) => overlay.txIds.has(txId) || known.has(txId),
    };
  }
}

/** Writes and txIds of the blocks validated earlier in the same commit group (not yet in the store). */
class GroupOverlay {
  readonly changes = new Map<string, StateChange>();
  readonly txIds = new Set<string>();

  add(outcome: BlockOutcome): void {
    for (const change of outcome.commit.stateChanges)
      this.changes.set(stateMapKey(change.namespace, change.key), change);
    for (const txId of outcome.txIds) this.txIds.add(txId);
  }
}

/** The chain state of a store's head: the tip, the commit hash and the config in force. */
export async function chainStateOf(
  store: LedgerStore,
  head: ChainHead,
  channel: string,
): Promise<ChainState> {
  if (head.channel !== channel)
    throw new LedgerInvariantError(`store holds ${head.channel}, ledger opened for ${channel}`);
  if (head.height < 0) {
    return chainStart(channel);
  }
  const entry = await store.getState({ namespace: CONFIG_NAMESPACE, key: CONFIG_KEY });
  if (!entry) throw new BlockRejectedError(head.height, 'the stored state has no channel config');
  return {
    channel,
    tip: { channel, number: head.height, hash: head.blockHash, time: head.blockTime },
    commitHash: head.commitHash,
    config: JSON.parse(entry.value) as ChannelConfig,
    configBlock: head.configBlock,
    validTxs: head.validTxs,
  };
}

import {
  BlockVerificationError,
  canonicalize,
  codesByTxId,
  CONFIG_KEY,
  CONFIG_NAMESPACE,
  commitHashOf,
  formatVersion,
  verifyBlock,
  ValidationCode,
  ZERO_HASH_HEX,
  type ChainTip,
  type CommitReceipt,
  type Envelope,
} from '@civic/protocol';
import { ConfigTransactionError, configFromBlock, type ChannelConfig } from '@civic/identity';
import { BlockRejectedError, LedgerInvariantError } from '../errors.js';
import type { BlockCommit, HistoryRecord, StateChange, StateKey, TxRecord } from '../store/port.js';
import { stateMapKey } from '../store/port.js';
import type { BlockInput } from './block-input.js';
import { verifySignaturesInline, type SignatureVerdicts } from './signatures.js';
import { checkTx, type TxCheck } from './validate-tx.js';

/**
 * Block validation (DESIGN.md step 6), pure and deterministic: the same chain state, block and
 * committed versions give the same codes and the same commit hash on every peer. No clock, no
 * randomness, no I/O: the caller prefetches the versions of the keys the block reads
 * (`keysReadBy`) and whether its txIds are already in the chain.
 */

/** What the validator knows of the chain before the block. */
export interface ChainState {
  readonly channel: string;
  /** The last committed block; null before the genesis block. */
  readonly tip: ChainTip | null;
  /** Commit hash after `tip` (64 zeros before genesis). */
  readonly commitHash: string;
  /** The config in force for the next block; null before genesis. */
  readonly config: ChannelConfig | null;
  /** Number of the config block in force (-1 before genesis). */
  readonly configBlock: number;
  /** VALID transactions through `tip` (the ordinal of the next domain event). */
  readonly validTxs: number;
}

/** The chain state before block 0: no tip, 64 zeros of commit hash, no config yet. */
export function chainStart(channel: string): ChainState {
  return { channel, tip: null, commitHash: ZERO_HASH_HEX, config: null, configBlock: -1, validTxs: 0 };
}

/** Committed state as of `tip`, for the keys and txIds of one block. */
export interface StateReader {
  /** Version of a key (null = absent). Asked only for keys of `keysReadBy(input)`. */
  version(namespace: string, key: string): string | null;
  /** True when the txId occurs anywhere in the committed chain (any code). */
  hasTxId(txId: string): boolean;
}

export interface ValidateOptions {
  /** Precomputed signature booleans (worker pool); computed inline when absent. */
  readonly signatures?: SignatureVerdicts;
  /** The hash block 0 must have: the trust anchor of a peer that starts from nothing. */
  readonly genesisHash?: string;
}

/** A valid transaction's domain event, for publishing. */
export interface CommittedEvent {
  /** Position of the event among all events of the channel (0 = the genesis config event). */
  readonly ordinal: number;
  readonly txId: string;
  readonly block: number;
  readonly index: number;
  readonly namespace: string;
  readonly type: string;
  readonly data: unknown;
}

export interface BlockOutcome {
  readonly number: number;
  readonly blockHash: string;
  readonly commitHash: string;
  readonly txIds: readonly string[];
  readonly codes: readonly ValidationCode[];
  /** Why each invalid transaction is invalid (null for VALID). */
  readonly reasons: readonly (string | null)[];
  /** What the store writes, in one database transaction. */
  readonly commit: BlockCommit;
  readonly receipt: CommitReceipt;
  readonly events: readonly CommittedEvent[];
  /** The chain state after this block: the context of the next one. */
  readonly next: ChainState;
}

/** The keys a block reads (to prefetch their versions), one entry per distinct key. */
export function keysReadBy(input: BlockInput): StateKey[] {
  const keys = new Map<string, StateKey>();
  for (const entry of input.envelopes) {
    if (!entry.ok) continue;
    const { namespace, reads } = entry.envelope.payload;
    for (const read of reads) keys.set(stateMapKey(namespace, read.key), { namespace, key: read.key });
  }
  return [...keys.values()];
}

export function validateBlock(
  input: BlockInput,
  chain: ChainState,
  state: StateReader,
  options: ValidateOptions = {},
): BlockOutcome {
  const { block } = input;
  const number = block.header.number;
  const config = configInForce(input, chain);
  const verified = verifyOrReject(input, chain, config, options.genesisHash);
  if (verified.txIds.some((txId, i) => txId !== input.txIds[i])) {
    throw new LedgerInvariantError(`block ${number}: txIds differ between reader and verifier`);
  }
  const signatures = options.signatures ?? verifySignaturesInline(input);
  if (signatures.creator.length !== input.envelopes.length) {
    throw new LedgerInvariantError(
      `block ${number}: signature verdicts for ${signatures.creator.length} of ${input.envelopes.length} envelopes`,
    );
  }
  const run = new BlockRun(input, state, number, chain.validTxs);
  let nextConfig: ChannelConfig | undefined;
  input.envelopes.forEach((entry, i) => {
    const check = checkTx(
      entry,
      { creator: signatures.creator[i] === true, endorsements: signatures.endorsements[i] ?? [] },
      {
        config,
        channel: chain.channel,
        blockTime: block.header.time,
        genesis: number === 0,
        configVersion: () => run.currentVersion(CONFIG_NAMESPACE, CONFIG_KEY),
      },
    );
    const code = run.settle(i, check);
    if (code === ValidationCode.VALID && 'nextConfig' in check && check.nextConfig)
      nextConfig = check.nextConfig;
  });
  if (number === 0 && run.codes[0] !== ValidationCode.VALID) {
    throw new BlockRejectedError(0, `the genesis transaction is ${run.codes[0]}: ${run.reasons[0]}`);
  }
  return run.outcome(verified.blockHash, chain, config, nextConfig);
}

function configInForce(input: BlockInput, chain: ChainState): ChannelConfig {
  const number = input.block.header.number;
  if (chain.tip === null) {
    if (number !== 0) throw new BlockRejectedError(number, 'the chain starts at block 0');
    try {
      return configFromBlock(input.block);
    } catch (error) {
      if (error instanceof ConfigTransactionError)
        throw new BlockRejectedError(0, error.message, { cause: error });
      throw error;
    }
  }
  if (chain.config === null) throw new LedgerInvariantError('a chain past genesis has a config');
  return chain.config;
}

function verifyOrReject(input: BlockInput, chain: ChainState, config: ChannelConfig, genesisHash?: string) {
  const number = input.block.header.number;
  if (input.block.header.channel !== chain.channel) {
    throw new BlockRejectedError(
      number,
      `channel ${input.block.header.channel}, this peer keeps ${chain.channel}`,
    );
  }
  try {
    return verifyBlock(input.block, {
      previous: chain.tip,
      consenters: config.consenters,
      configNumber: chain.tip === null ? 0 : chain.configBlock,
      ...(number === 0 && genesisHash !== undefined ? { expectedHash: genesisHash } : {}),
    });
  } catch (error) {
    if (error instanceof BlockVerificationError)
      throw new BlockRejectedError(number, error.reason, { cause: error });
    throw error;
  }
}

/** Accumulates one block's codes, state overlay, history and records, transaction by transaction. */
class BlockRun {
  readonly codes: ValidationCode[] = [];
  readonly reasons: (string | null)[] = [];
  readonly txs: TxRecord[] = [];
  readonly history: HistoryRecord[] = [];
  readonly events: CommittedEvent[] = [];
  /** Writes of earlier VALID transactions of this block: key → version (null = deleted). */
  readonly overlay = new Map<string, StateChange>();
  readonly seenTxIds = new Set<string>();

  constructor(
    readonly input: BlockInput,
    readonly state: StateReader,
    readonly number: number,
    readonly validBefore: number,
  ) {}

  /** Applies the state-dependent checks after `check` and records the transaction. */
  settle(index: number, check: TxCheck): ValidationCode {
    const txId = this.input.txIds[index] as string;
    const entry = this.input.envelopes[index];
    let code = check.code;
    let reason = 'reason' in check ? check.reason : null;
    // A config update's stale read of the config key is found with the update (identity's
    // rule), but a duplicate txId still comes first, as for any other transaction.
    if ((code === ValidationCode.VALID || code === ValidationCode.MVCC_READ_CONFLICT) && entry?.ok) {
      const later = this.lateCheck(txId, entry.envelope, code === ValidationCode.VALID);
      if (later) [code, reason] = later;
    }
    this.seenTxIds.add(txId);
    this.codes.push(code);
    this.reasons.push(reason);
    const payload = entry?.ok ? entry.envelope.payload : undefined;
    this.txs.push({
      index,
      txId,
      code,
      reason,
      envelope: this.input.envelopeJson[index] as string,
      namespace: payload?.namespace ?? null,
      action: payload?.action ?? null,
      creatorMsp: payload && check.creator ? check.creator.mspId : null,
      creatorSubject: payload && check.creator ? check.creator.subject : null,
      txTime: payload?.txTime ?? null,
    });
    if (code === ValidationCode.VALID && entry?.ok && check.creator)
      this.apply(index, txId, entry.envelope, check.creator);
    return code;
  }

  /**
   * DUPLICATE_TXID, then (when `reads`) MVCC_READ_CONFLICT against committed state plus this
   * block's earlier valid writes.
   */
  lateCheck(txId: string, envelope: Envelope, reads: boolean): [ValidationCode, string] | undefined {
    if (this.seenTxIds.has(txId)) return [ValidationCode.DUPLICATE_TXID, 'txId occurs earlier in this block'];
    if (this.state.hasTxId(txId)) return [ValidationCode.DUPLICATE_TXID, 'txId occurs in an earlier block'];
    if (!reads) return undefined;
    const { namespace } = envelope.payload;
    for (const read of envelope.payload.reads) {
      const current = this.currentVersion(namespace, read.key);
      if (current !== read.version) {
        return [
          ValidationCode.MVCC_READ_CONFLICT,
          `read of ${namespace}/${JSON.stringify(read.key.slice(0, 80))} at version ${read.version ?? 'null'}, current ${current ?? 'null (absent)'}`,
        ];
      }
    }
    return undefined;
  }

  /** A key's version now: this block's earlier valid writes, else the committed state (null = absent). */
  currentVersion(namespace: string, key: string): string | null {
    const pending = this.overlay.get(stateMapKey(namespace, key));
    if (pending) return pending.value === null ? null : pending.version;
    return this.state.version(namespace, key);
  }

  apply(index: number, txId: string, envelope: Envelope, creator: { mspId: string; subject: string }): void {
    const { payload } = envelope;
    const version = formatVersion(this.number, index);
    for (const write of payload.writes) {
      const value = 'delete' in write ? null : canonicalize(write.value);
      this.overlay.set(stateMapKey(payload.namespace, write.key), {
        namespace: payload.namespace,
        key: write.key,
        value,
        version,
      });
      this.history.push({
        namespace: payload.namespace,
        key: write.key,
        block: this.number,
        index,
        txId,
        creatorMsp: creator.mspId,
        creatorSubject: creator.subject,
        blockTime: this.input.block.header.time,
        txTime: payload.txTime,
        value,
      });
    }
    this.events.push({
      ordinal: this.validBefore + this.events.length,
      txId,
      block: this.number,
      index,
      namespace: payload.namespace,
      type: payload.event.type,
      data: payload.event.data,
    });
  }

  outcome(
    blockHash: string,
    chain: ChainState,
    config: ChannelConfig,
    nextConfig: ChannelConfig | undefined,
  ): BlockOutcome {
    const { header } = this.input.block;
    const codes = codesByTxId(this.input.txIds, this.codes);
    const commitHash = commitHashOf(chain.commitHash, blockHash, codes);
    const configBlock = nextConfig ? this.number : chain.configBlock;
    const commit: BlockCommit = {
      number: this.number,
      hash: blockHash,
      previousHash: header.previousHash,
      header: this.input.headerJson,
      metadata: this.input.metadataJson,
      time: header.time,
      codes: this.codes,
      commitHash,
      configBlock,
      validBefore: this.validBefore,
      txs: this.txs,
      stateChanges: [...this.overlay.values()],
      history: this.history,
    };
    return {
      number: this.number,
      blockHash,
      commitHash,
      txIds: this.input.txIds,
      codes: this.codes,
      reasons: this.reasons,
      commit,
      receipt: { number: this.number, blockHash, commitHash, codes },
      events: this.events,
      next: {
        channel: chain.channel,
        tip: { channel: chain.channel, number: this.number, hash: blockHash, time: header.time },
        commitHash,
        config: nextConfig ?? config,
        configBlock,
        validTxs: this.validBefore + this.events.length,
      },
    };
  }
}

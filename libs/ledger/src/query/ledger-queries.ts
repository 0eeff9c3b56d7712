import {
  canonicalBlockText,
  isHex,
  merkleInclusionProof,
  merkleLeafHash,
  NamePattern,
  sha256,
  utf8Bytes,
  type BlockReply,
  type HeightReply,
  type HistoryEntry,
  type HistoryReply,
  type ProofReply,
  type Signer,
  type StateReply,
  type TxReply,
} from '@civic/protocol';
import { BadQueryError, NotFoundError } from '../errors.js';
import type { HistoryRecord, LedgerStore, StoredBlock } from '../store/port.js';
import { signCheckpoint, type Checkpoint } from './checkpoint.js';

/**
 * The peer's read API over its store, transport-free: NATS and REST both call these and only
 * change the framing. Arguments come from the outside, so each is checked and a bad one is a
 * BadQueryError naming it; a miss is a NotFoundError. Replies are the wire JSON of docs/peer.md
 * (protocol's query.ts types).
 */

/** Most history entries per page. */
export const HISTORY_LIMIT_MAX = 1000;
export const HISTORY_LIMIT_DEFAULT = 100;
const KEY_CHARS_MAX = 512;

export class LedgerQueries {
  constructor(
    private readonly store: LedgerStore,
    private readonly identity: { readonly channel: string; readonly peerId: string; readonly signer: Signer },
  ) {}

  async height(): Promise<HeightReply> {
    const head = await this.store.head();
    return { height: head.height, blockHash: head.blockHash, commitHash: head.commitHash };
  }

  async state(namespace: unknown, key: unknown): Promise<StateReply> {
    const ns = checkNamespace(namespace);
    const k = checkKey(key);
    const entry = await this.store.getState({ namespace: ns, key: k });
    if (!entry) throw new NotFoundError(`no state for ${ns}/${k}`);
    return {
      found: true,
      namespace: ns,
      key: k,
      value: JSON.parse(entry.value) as unknown,
      version: entry.version,
    };
  }

  async history(namespace: unknown, key: unknown, limit?: unknown, before?: unknown): Promise<HistoryReply> {
    const ns = checkNamespace(namespace);
    const k = checkKey(key);
    const max =
      limit === undefined ? HISTORY_LIMIT_DEFAULT : checkInteger('limit', limit, 1, HISTORY_LIMIT_MAX);
    const cursor = before === undefined ? undefined : checkCursor(before);
    const page = await this.store.getHistory({ namespace: ns, key: k }, max, cursor);
    return {
      namespace: ns,
      key: k,
      entries: page.entries.map(historyEntry),
      ...(page.next ? { next: { block: page.next.block, txIndex: page.next.index } } : {}),
    };
  }

  /** A block by number (decimal) or by hash (64 hex). */
  async block(numberOrHash: unknown): Promise<BlockReply> {
    const stored = await this.#storedBlock(numberOrHash);
    return {
      found: true,
      number: stored.number,
      hash: stored.hash,
      block: {
        header: JSON.parse(stored.header) as unknown,
        envelopes: stored.txs.map((tx) => JSON.parse(tx.envelope) as unknown),
        metadata: JSON.parse(stored.metadata) as unknown,
      },
      codes: stored.codes,
      commitHash: stored.commitHash,
    };
  }

  /**
   * A block's wire form: its canonical JSON (RFC 8785), byte for byte what the `.blocks` stream
   * and `.deliver` carry, joined from the canonical texts the store keeps.
   */
  async blockWire(
    numberOrHash: unknown,
  ): Promise<{ readonly number: number; readonly hash: string; readonly wire: string }> {
    const stored = await this.#storedBlock(numberOrHash);
    const wire = canonicalBlockText(
      stored.txs.map((tx) => tx.envelope),
      stored.header,
      stored.metadata,
    );
    return { number: stored.number, hash: stored.hash, wire };
  }

  async tx(txId: unknown): Promise<TxReply> {
    const id = checkTxId(txId);
    const location = await this.store.getTx(id);
    if (!location) throw new NotFoundError(`no transaction ${id}`);
    const block = await this.store.getBlock(location.block);
    if (!block) throw new NotFoundError(`block ${location.block} of transaction ${id} is missing`);
    return {
      found: true,
      txId: id,
      block: location.block,
      txIndex: location.tx.index,
      blockHash: block.hash,
      code: location.tx.code,
      reason: location.tx.reason,
      envelope: JSON.parse(location.tx.envelope) as unknown,
    };
  }

  /** The inclusion proof of a transaction's envelope in its block (its first occurrence). */
  async proof(txId: unknown): Promise<ProofReply> {
    const id = checkTxId(txId);
    const location = await this.store.getTx(id);
    if (!location) throw new NotFoundError(`no transaction ${id}`);
    const block = await this.store.getBlock(location.block);
    if (!block) throw new NotFoundError(`block ${location.block} of transaction ${id} is missing`);
    // The stored envelope text is canonical, so H(envelope) is the SHA-256 of the text itself.
    const leaves = block.txs.map((tx) => merkleLeafHash(sha256(utf8Bytes(tx.envelope))));
    return {
      found: true,
      txId: id,
      block: block.number,
      txIndex: location.tx.index,
      code: location.tx.code,
      header: JSON.parse(block.header) as unknown,
      blockHash: block.hash,
      envelope: JSON.parse(location.tx.envelope) as unknown,
      proof: merkleInclusionProof(leaves, location.tx.index),
    };
  }

  /** A checkpoint of the current head, signed by the peer's key. */
  async checkpoint(): Promise<Checkpoint> {
    const head = await this.store.head();
    if (head.height < 0) throw new NotFoundError('the peer has no block yet');
    const { channel, peerId, signer } = this.identity;
    return signCheckpoint(
      { channel, peerId, height: head.height, blockHash: head.blockHash, commitHash: head.commitHash },
      signer,
    );
  }

  async #storedBlock(numberOrHash: unknown): Promise<StoredBlock> {
    if (
      typeof numberOrHash === 'number' ||
      (typeof numberOrHash === 'string' && /^(0|[1-9][0-9]{0,15})$/.test(numberOrHash))
    ) {
      const number = checkInteger('block', Number(numberOrHash), 0, Number.MAX_SAFE_INTEGER);
      const stored = await this.store.getBlock(number);
      if (!stored) throw new NotFoundError(`no block ${number}`);
      return stored;
    }
    if (isHex(numberOrHash, 32)) {
      const stored = await this.store.getBlockByHash(numberOrHash);
      if (!stored) throw new NotFoundError(`no block with hash ${numberOrHash}`);
      return stored;
    }
    throw new BadQueryError('block must be a block number or a 64-hex block hash');
  }
}

function historyEntry(record: HistoryRecord): HistoryEntry {
  return {
    block: record.block,
    txIndex: record.index,
    txId: record.txId,
    creatorMspId: record.creatorMsp,
    creatorSubject: record.creatorSubject,
    blockTime: record.blockTime,
    txTime: record.txTime,
    value: record.value === null ? null : (JSON.parse(record.value) as unknown),
    deleted: record.value === null,
  };
}

function checkNamespace(value: unknown): string {
  if (typeof value !== 'string' || !NamePattern.NAMESPACE.test(value)) {
    throw new BadQueryError(`namespace must match ${NamePattern.NAMESPACE.source}`);
  }
  return value;
}

function checkKey(value: unknown): string {
  if (
    typeof value !== 'string' ||
    value.length < 1 ||
    value.length > KEY_CHARS_MAX ||
    !value.isWellFormed()
  ) {
    throw new BadQueryError(`key must be a string of 1 to ${KEY_CHARS_MAX} characters`);
  }
  return value;
}

function checkTxId(value: unknown): string {
  if (!isHex(value, 32)) throw new BadQueryError('txId must be 64 lowercase hex digits');
  return value;
}

function checkInteger(what: string, value: unknown, min: number, max: number): number {
  const n = typeof value === 'string' && /^[0-9]{1,16}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n) || n < min || n > max) {
    throw new BadQueryError(`${what} must be an integer in ${min}..${max}`);
  }
  return n;
}

function checkCursor(value: unknown): { block: number; index: number } {
  if (value === null || typeof value !== 'object') throw new BadQueryError('before must be {block, txIndex}');
  const { block, txIndex } = value as Record<string, unknown>;
  return {
    block: checkInteger('before.block', block, 0, Number.MAX_SAFE_INTEGER),
    index: checkInteger('before.txIndex', txIndex, 0, Number.MAX_SAFE_INTEGER),
  };
}

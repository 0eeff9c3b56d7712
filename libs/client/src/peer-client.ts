/**
 * PeerClient: the peer's read API (libs/ledger LedgerQueries, served over REST and over
 * `civic.<channel>.query.<peerId>`), typed. It checks the shape of each answer (a bad one is
 * PeerResponseError) but does not trust it: blocks are returned as the peer sent them, for a
 * BlockVerifier to judge; proofs in the exported format, for verifyTxProof. Browser-safe with
 * the REST transport.
 */
import {
  isHex,
  type BlockReply,
  type HeightReply,
  type Hex,
  type HistoryEntry,
  type HistoryReply,
  type StateReply,
  type TxReply,
} from '@civic/protocol';
import type { BlockSource } from './block-source.js';
import { parseCheckpoint, type Checkpoint } from './checkpoint.js';
import { ClientArgumentError, PeerResponseError } from './errors.js';
import { isObject } from './json-read.js';
import { httpPeerTransport, type HttpPeerOptions } from './peer-http.js';
import type { PeerQuery, PeerTransport } from './peer-transport.js';
import { parseTxProof, txProofFromPeerReply, type TxInclusionProof } from './proof.js';

// What PeerClient returns: the peer's query answers (protocol's query.ts), shape-checked, without
// the `found` marker (a miss is PeerNotFoundError).
export type PeerHead = HeightReply;
export type PeerState = Omit<StateReply, 'found'>;
export type PeerHistoryEntry = HistoryEntry;
export type PeerHistoryPage = Pick<HistoryReply, 'entries' | 'next'>;
/** A block as the peer serves it: not verified (give `block` to a BlockVerifier). */
export type PeerBlock = Omit<BlockReply, 'found'>;
export type PeerTx = Omit<TxReply, 'found'>;

/** Blocks fetched ahead by blocks(): requests in flight at once. */
export const BLOCK_PREFETCH_MAX = 8;

function bad(target: string, what: string): never {
  throw new PeerResponseError(target, what);
}

function isCount(value: unknown, min = 0): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

export class PeerClient {
  constructor(readonly transport: PeerTransport) {
    if (transport === null || typeof transport !== 'object' || typeof transport.ask !== 'function') {
      throw new ClientArgumentError('PeerClient: a transport {target, ask} expected');
    }
  }

  /** A client of the peer's REST API at `baseUrl` (e.g. http://127.0.0.1:7201). */
  static http(baseUrl: string, options: HttpPeerOptions = {}): PeerClient {
    return new PeerClient(httpPeerTransport(baseUrl, options));
  }

  get target(): string {
    return this.transport.target;
  }

  async #ask(query: PeerQuery): Promise<Record<string, unknown>> {
    const answer = await this.transport.ask(query);
    if (!isObject(answer)) bad(this.target, `${query.query}: not a JSON object`);
    return answer;
  }

  async height(): Promise<PeerHead> {
    const a = await this.#ask({ query: 'height' });
    if (!isCount(a.height, -1) || !isHex(a.blockHash, 32) || !isHex(a.commitHash, 32)) {
      bad(this.target, 'height: {height, blockHash, commitHash} expected');
    }
    return { height: a.height, blockHash: a.blockHash, commitHash: a.commitHash };
  }

  /** A key's current value; PeerNotFoundError when the key is absent. */
  async state(namespace: string, key: string): Promise<PeerState> {
    const a = await this.#ask({ query: 'state', namespace, key });
    if (typeof a.version !== 'string' || !('value' in a))
      bad(this.target, 'state: {value, version} expected');
    return { namespace, key, value: a.value, version: a.version };
  }

  async history(
    namespace: string,
    key: string,
    options: { readonly limit?: number; readonly before?: { block: number; txIndex: number } } = {},
  ): Promise<PeerHistoryPage> {
    const a = await this.#ask({ query: 'history', namespace, key, ...options });
    if (!Array.isArray(a.entries)) bad(this.target, 'history: {entries} expected');
    const next = a.next;
    if (next !== undefined && (!isObject(next) || !isCount(next.block) || !isCount(next.txIndex))) {
      bad(this.target, 'history: next must be {block, txIndex}');
    }
    return {
      entries: a.entries as PeerHistoryEntry[],
      ...(next === undefined ? {} : { next: next as { block: number; txIndex: number } }),
    };
  }

  /** Block `numberOrHash` as served (unverified), with the peer's codes and commit hash. */
  async block(numberOrHash: number | Hex): Promise<PeerBlock> {
    const a = await this.#ask(
      typeof numberOrHash === 'number'
        ? { query: 'block', number: numberOrHash }
        : { query: 'block', hash: numberOrHash },
    );
    if (!isCount(a.number) || !isHex(a.hash, 32) || !isHex(a.commitHash, 32) || !isObject(a.block)) {
      bad(this.target, `block ${numberOrHash}: {number, hash, block, codes, commitHash} expected`);
    }
    if (!Array.isArray(a.codes) || !a.codes.every((c) => typeof c === 'string')) {
      bad(this.target, `block ${numberOrHash}: codes must be a list of strings`);
    }
    if (typeof numberOrHash === 'number' && a.number !== numberOrHash) {
      bad(this.target, `block ${numberOrHash}: the answer is block ${a.number}`);
    }
    return {
      number: a.number,
      hash: a.hash,
      block: a.block,
      codes: a.codes as string[],
      commitHash: a.commitHash,
    };
  }

  async tx(txId: Hex): Promise<PeerTx> {
    const a = await this.#ask({ query: 'tx', txId });
    if (!isCount(a.block) || !isCount(a.txIndex) || !isHex(a.blockHash, 32) || typeof a.code !== 'string') {
      bad(this.target, `tx ${txId}: {block, txIndex, blockHash, code, envelope} expected`);
    }
    return {
      txId,
      block: a.block,
      txIndex: a.txIndex,
      blockHash: a.blockHash,
      code: a.code,
      reason: typeof a.reason === 'string' ? a.reason : null,
      envelope: a.envelope,
    };
  }

  /**
   * The inclusion proof of `txId` in the exported format (not yet verified: verifyTxProof).
   * With `checkpoint`, the peer's current signed checkpoint is attached.
   */
  async proof(txId: Hex, options: { readonly checkpoint?: boolean } = {}): Promise<TxInclusionProof> {
    const a = await this.#ask({ query: 'proof', txId });
    let proof: TxInclusionProof;
    try {
      proof = parseTxProof(txProofFromPeerReply(a));
    } catch (cause) {
      throw new PeerResponseError(this.target, `proof ${txId}: ${(cause as Error).message}`, { cause });
    }
    if (options.checkpoint !== true) return proof;
    return Object.freeze({ ...proof, checkpoint: await this.checkpoint() });
  }

  /** The peer's signed checkpoint of its head (shape checked; verify it with verifyCheckpoint). */
  async checkpoint(): Promise<Checkpoint> {
    const a = await this.#ask({ query: 'checkpoint' });
    try {
      return parseCheckpoint(a);
    } catch (cause) {
      throw new PeerResponseError(this.target, `checkpoint: ${(cause as Error).message}`, { cause });
    }
  }

  /**
   * Blocks `from..to` in order, with up to BLOCK_PREFETCH_MAX requests in flight: the peer's
   * chain page by page, for a verifier.
   */
  async *blocks(from: number, to: number, prefetch = BLOCK_PREFETCH_MAX): AsyncGenerator<PeerBlock> {
    if (!isCount(from) || !isCount(to) || to < from - 1)
      throw new ClientArgumentError(`blocks: bad range ${from}..${to}`);
    const window = Math.max(1, Math.min(prefetch, BLOCK_PREFETCH_MAX));
    const inflight: Promise<PeerBlock>[] = [];
    let next = from;
    const fill = () => {
      while (inflight.length < window && next <= to) {
        const request = this.block(next);
        request.catch(() => undefined); // awaited in order below; avoid an unhandled rejection meanwhile
        inflight.push(request);
        next += 1;
      }
    };
    fill();
    while (inflight.length > 0) {
      const block = await (inflight.shift() as Promise<PeerBlock>);
      fill();
      yield block;
    }
  }

  /** The peer's blocks as a BlockSource (trust anchors, catch-up). */
  blockSource(): BlockSource {
    const blocks = (from: number, to: number) => this.blocks(from, to);
    return (from, to) => ({
      async *[Symbol.asyncIterator]() {
        for await (const b of blocks(from, to)) yield b.block;
      },
    });
  }
}

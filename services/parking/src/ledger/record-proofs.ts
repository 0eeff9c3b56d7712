/**
 * The proof attached to a roadside check: for each record the answer rests on, the transaction
 * that last wrote it (block, index, txId) and the RFC 6962 inclusion proof of that transaction's
 * envelope in its block, up to the header's dataHash, with the header and its hash. A verifier
 * recomputes `blockHash = H(header)`, checks it against the chain it trusts, and checks the audit
 * path from `envelopeHash` to `header.dataHash` (docs/protocol.md).
 *
 * The write behind a version never changes, so proofs are cached by key and version (bounded,
 * oldest out first): a warm check costs only its point reads. Each proof fetched from the peer is
 * verified here before it is served or cached.
 */
import type { PeerClient } from '@civic/gateway';
import { requestJson, subjects } from '@civic/messaging';
import {
  blockHashOf,
  canonicalBytes,
  merkleLeafHash,
  sha256,
  toHex,
  verifyInclusionProof,
  type BlockHeader,
  type InclusionProof,
  type ProofReply,
} from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import { PARKING_NAMESPACE } from '../domain/index.js';

/** Where proofs come from: the own peer's query subject, or an in-process ledger in tests. */
export interface ProofSource {
  /** The peer's `proof` answer (protocol's ProofReply; docs/peer.md), checked here before use. */
  proof(txId: string): Promise<ProofReply>;
}

export class ProofUnavailableError extends Error {
  override readonly name = 'ProofUnavailableError';
}

/** The `proof` query on `civic.<channel>.query.<peerId>`. */
export function natsProofSource(
  nc: NatsConnection,
  channel: string,
  peerId: string,
  timeoutMs = 5_000,
): ProofSource {
  const subject = subjects(channel).query(peerId);
  return {
    proof: async (txId) => {
      try {
        return await requestJson<ProofReply>(nc, subject, { query: 'proof', txId }, { timeoutMs });
      } catch (cause) {
        throw new ProofUnavailableError(`peer ${peerId}: proof of ${txId}: ${(cause as Error).message}`, {
          cause,
        });
      }
    },
  };
}

/** The proof of one record as the check answer carries it. */
export interface RecordProof {
  readonly key: string;
  /** `<block>:<tx>` of the record's last write. */
  readonly version: string;
  readonly block: number;
  readonly txIndex: number;
  readonly txId: string;
  readonly blockHash: string;
  readonly header: BlockHeader;
  /** H(envelope): the Merkle leaf is SHA-256(0x00 ‖ envelopeHash). */
  readonly envelopeHash: string;
  readonly inclusion: InclusionProof;
}

/** Bound on cached proofs: about 2 KB each, so 20 MB at most. */
export const PROOF_CACHE_MAX = 10_000;

/** A transaction's verified inclusion: what the records it wrote share. */
type TxInclusion = Pick<
  RecordProof,
  'block' | 'txIndex' | 'blockHash' | 'header' | 'envelopeHash' | 'inclusion'
>;

export class RecordProofs {
  readonly #cache = new Map<string, RecordProof>();
  /** By txId: a card.issue writes the card and the holder, one proof serves both (and concurrent checks). */
  readonly #byTx = new Map<string, Promise<TxInclusion>>();

  constructor(
    private readonly peer: PeerClient,
    private readonly source: ProofSource,
    private readonly onCache: (hit: boolean) => void = () => undefined,
    private readonly cacheMax: number = PROOF_CACHE_MAX,
  ) {}

  /** The proof of `key` at `version` (the version the check read). */
  async of(key: string, version: string): Promise<RecordProof> {
    const id = `${key}@${version}`;
    const cached = this.#cache.get(id);
    if (cached !== undefined) {
      this.onCache(true);
      return cached;
    }
    this.onCache(false);
    const proof = await this.#fetch(key, version);
    if (this.#cache.size >= this.cacheMax) this.#cache.delete(this.#cache.keys().next().value!);
    this.#cache.set(id, proof);
    return proof;
  }

  async #fetch(key: string, version: string): Promise<RecordProof> {
    const [block, txIndex] = version.split(':').map(Number) as [number, number];
    // The newest write is normally the one read; a write committed in between is one page deeper.
    const page = await this.peer.history(PARKING_NAMESPACE, key, { limit: 4 });
    const entry = page.entries.find((e) => e.block === block && e.txIndex === txIndex);
    if (entry === undefined) {
      throw new ProofUnavailableError(`the peer's history of ${key} has no write at ${version}`);
    }
    const tx = await this.#inclusion(entry.txId);
    if (tx.block !== block || tx.txIndex !== txIndex) {
      throw new ProofUnavailableError(
        `the peer's proof of ${key} at ${version} is for ${tx.block}:${tx.txIndex}`,
      );
    }
    return { key, version, txId: entry.txId, ...tx };
  }

  /** The verified inclusion proof of `txId`, fetched once (failures are not kept). */
  #inclusion(txId: string): Promise<TxInclusion> {
    const cached = this.#byTx.get(txId);
    if (cached !== undefined) return cached;
    const fetched = this.#fetchInclusion(txId);
    if (this.#byTx.size >= this.cacheMax) this.#byTx.delete(this.#byTx.keys().next().value!);
    this.#byTx.set(txId, fetched);
    fetched.catch(() => this.#byTx.delete(txId));
    return fetched;
  }

  async #fetchInclusion(txId: string): Promise<TxInclusion> {
    const reply = await this.source.proof(txId);
    // The answer's header is the peer's word until it hashes to blockHash (checked below).
    const header = reply.header as BlockHeader;
    const envelopeDigest = sha256(canonicalBytes(reply.envelope));
    const envelopeHash = toHex(envelopeDigest);
    const leaf = toHex(merkleLeafHash(envelopeDigest));
    if (
      reply.txId !== txId ||
      blockHashOf(header) !== reply.blockHash ||
      !verifyInclusionProof(leaf, reply.proof, header.dataHash)
    ) {
      throw new ProofUnavailableError(`the peer's proof of transaction ${txId} does not verify`);
    }
    // Only what the answer carries is kept (not the envelope).
    const { block, txIndex, blockHash, proof } = reply;
    return { block, txIndex, blockHash, header, envelopeHash, inclusion: proof };
  }
}

/**
 * The answers of a peer's queries (docs/peer.md, "Queries"): request/reply on
 * `civic.<channel>.query.<peerId>` and the same JSON over the peer's REST routes. libs/ledger
 * makes them; clients read them (shape-checked, never trusted: a block is verified with a
 * block verifier, a proof against a header one trusts).
 */
import type { Hex, InclusionProof } from './types.js';

/** `{type: "height"}`: the peer's head. */
export interface HeightReply {
  /** Number of the last committed block (-1 before genesis). */
  readonly height: number;
  readonly blockHash: Hex;
  readonly commitHash: Hex;
}

/** `{type: "state", namespace, key}`: a key's current value. */
export interface StateReply {
  readonly found: true;
  readonly namespace: string;
  readonly key: string;
  readonly value: unknown;
  /** `"<block>:<tx>"` of the last valid write. */
  readonly version: string;
}

/** One valid write of a key (a history entry), newest first in a page. */
export interface HistoryEntry {
  readonly block: number;
  /** Index of the transaction in its block. */
  readonly txIndex: number;
  readonly txId: Hex;
  /** Organisation and subject of the transaction's creator. */
  readonly creatorMspId: string;
  readonly creatorSubject: string;
  /** The block's time (when it was cut) and the transaction's (when its creator built it). */
  readonly blockTime: string;
  readonly txTime: string;
  /** The value written; null for a delete. */
  readonly value: unknown;
  readonly deleted: boolean;
}

/** Where a history page ends: pass it as `before` for the next (older) page. */
export interface HistoryCursor {
  readonly block: number;
  readonly txIndex: number;
}

/** `{type: "history", namespace, key, limit?, before?}`: one page of a key's history. */
export interface HistoryReply {
  readonly namespace: string;
  readonly key: string;
  /** Newest first. */
  readonly entries: readonly HistoryEntry[];
  /** Absent on the last page. */
  readonly next?: HistoryCursor;
}

/** `{type: "block", number}` (a number or a hash): a block as the peer serves it, not verified. */
export interface BlockReply {
  readonly found: true;
  readonly number: number;
  /** The hash the peer claims. */
  readonly hash: Hex;
  /** The block exactly as ordered: header, envelopes, metadata (verify it). */
  readonly block: unknown;
  /** The peer's code per envelope, in order. */
  readonly codes: readonly string[];
  /** The peer's commit hash after this block. */
  readonly commitHash: Hex;
}

/** `{type: "tx", txId}`: where a transaction is (its first occurrence) and its code. */
export interface TxReply {
  readonly found: true;
  readonly txId: Hex;
  readonly block: number;
  readonly txIndex: number;
  readonly blockHash: Hex;
  readonly code: string;
  readonly reason: string | null;
  readonly envelope: unknown;
}

/** `{type: "proof", txId}`: the transaction with its inclusion proof. */
export interface ProofReply {
  readonly found: true;
  readonly txId: Hex;
  readonly block: number;
  readonly txIndex: number;
  readonly code: string;
  /** The block header: blockHash = hex(H(header)), and the proof leads to header.dataHash. */
  readonly header: unknown;
  readonly blockHash: Hex;
  readonly envelope: unknown;
  /** RFC 6962 audit path of the envelope's leaf to header.dataHash. */
  readonly proof: InclusionProof;
}

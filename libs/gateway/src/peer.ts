/**
 * What the gateway needs from its organisation's own peer: point reads with versions, the
 * committed height, a key's history (who wrote it, when, in which block and transaction) and a
 * transaction's commit code. `PeerClient` is the port; `nats-peer-client.ts` speaks the peer's
 * query subject `civic.<channel>.query.<peerId>`.
 */
import type { StateSource } from './recording-context.js';

/** One valid write of a key, newest first in a history page. */
export interface KeyHistoryEntry {
  readonly block: number;
  /** Index of the transaction in its block. */
  readonly txIndex: number;
  readonly txId: string;
  /** Organisation and subject of the transaction's creator. */
  readonly creatorMspId: string;
  readonly creatorSubject: string;
  /** The block's time (when it was cut) and the transaction's time (when its creator built it). */
  readonly blockTime: string;
  readonly txTime: string;
  /** The value written; null for a delete. */
  readonly value: unknown;
  readonly deleted: boolean;
}

/** Where a transaction is and what its code is. */
export interface TxStatus {
  readonly txId: string;
  readonly block: number;
  readonly txIndex: number;
  readonly code: string;
}

export interface PeerClient extends StateSource {
  readonly peerId: string;
  /** Number of the last committed block (-1 before genesis). */
  height(): Promise<number>;
  /** The valid writes of a key, newest first, at most `limit`. */
  history(namespace: string, key: string, limit: number): Promise<readonly KeyHistoryEntry[]>;
  /** The first occurrence of `txId` in the chain, or null when the peer has not committed it. */
  tx(txId: string): Promise<TxStatus | null>;
}

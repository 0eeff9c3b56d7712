/**
 * What the gateway needs from its organisation's own peer: point reads with versions, the
 * committed height, a key's history (who wrote it, when, in which block and transaction) and a
 * transaction's commit code. `PeerClient` is the port; `nats-peer-client.ts` speaks the peer's
 * query subject `civic.<channel>.query.<peerId>`.
 */
import type { HistoryCursor, HistoryEntry, HistoryReply, TxReply } from '@civic/protocol';
import type { StateSource } from './recording-context.js';

/** One valid write of a key, newest first in a history page (the peer's answer, protocol's type). */
export type KeyHistoryEntry = HistoryEntry;

/** One page of a key's history, newest first; `next` continues with older writes (absent on the last page). */
export type KeyHistoryPage = Pick<HistoryReply, 'entries' | 'next'>;

export type { HistoryCursor };

/** Where a transaction is and what its code is (the part of the peer's `tx` answer the gateway uses). */
export type TxStatus = Pick<TxReply, 'txId' | 'block' | 'txIndex' | 'code'>;

export interface PeerClient extends StateSource {
  readonly peerId: string;
  /** Number of the last committed block (-1 before genesis). */
  height(): Promise<number>;
  /** The valid writes of a key, newest first, at most `limit`, older than `before` when given. */
  history(
    namespace: string,
    key: string,
    options: { limit: number; before?: HistoryCursor },
  ): Promise<KeyHistoryPage>;
  /** The first occurrence of `txId` in the chain, or null when the peer has not committed it. */
  tx(txId: string): Promise<TxStatus | null>;
}

/** Bound on history pages read by firstWriteOf. */
export const HISTORY_PAGES_MAX = 50;

/**
 * The oldest valid write of a key (its creation: a grant's decision), reading the history page by
 * page; null when the key was never written or has more than HISTORY_PAGES_MAX pages.
 */
export async function firstWriteOf(
  peer: PeerClient,
  namespace: string,
  key: string,
  pageSize = 100,
): Promise<KeyHistoryEntry | null> {
  let before: HistoryCursor | undefined;
  for (let page = 0; page < HISTORY_PAGES_MAX; page++) {
    const { entries, next } = await peer.history(namespace, key, {
      limit: pageSize,
      ...(before ? { before } : {}),
    });
    if (next === undefined) return entries.at(-1) ?? null;
    before = next;
  }
  return null;
}

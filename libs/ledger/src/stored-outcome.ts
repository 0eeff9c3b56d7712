import { codesByTxId, ValidationCode, type CommitReceipt } from '@civic/protocol';
import type { StoredBlock } from './store/port.js';
import type { CommittedEvent } from './validation/validate-block.js';

/**
 * What a committed block publishes, read back from the store (a peer republishing after a
 * restart): the same events and receipt as the BlockOutcome validation gave when it committed.
 */

/** The domain events of the block's VALID transactions, with their ordinals. */
export function committedEventsOf(block: StoredBlock): CommittedEvent[] {
  const events: CommittedEvent[] = [];
  for (const tx of block.txs) {
    if (tx.code !== ValidationCode.VALID || tx.namespace === null) continue;
    const envelope = JSON.parse(tx.envelope) as { payload: { event: { type: string; data: unknown } } };
    events.push({
      ordinal: block.validBefore + events.length,
      txId: tx.txId,
      block: block.number,
      index: tx.index,
      namespace: tx.namespace,
      type: envelope.payload.event.type,
      data: envelope.payload.event.data,
    });
  }
  return events;
}

/** The block's commit receipt `{number, blockHash, commitHash, codes}`. */
export function receiptOf(block: StoredBlock): CommitReceipt {
  const codes = codesByTxId(
    block.txs.map((tx) => tx.txId),
    block.codes,
  );
  return { number: block.number, blockHash: block.hash, commitHash: block.commitHash, codes };
}

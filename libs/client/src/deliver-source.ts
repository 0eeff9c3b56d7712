/**
 * `.deliver` for the SDK: messaging's requesting side (deliverBlocks, DeliverError: one
 * implementation for orderers, peers and clients), re-exported, and as a BlockSource for trust
 * anchors and gap repair.
 */
import { deliverBlocks, type DeliverOptions } from '@civic/messaging';
import type { NatsConnection } from '@nats-io/nats-core';

export { deliverBlocks, DeliverError, type DeliveredBlock, type DeliverOptions } from '@civic/messaging';

/** deliverBlocks as a BlockSource (for trust anchors and catch-up): the blocks' wire bytes. */
export function deliverSource(nc: NatsConnection, channel: string, options: DeliverOptions = {}) {
  return (from: number, to: number): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      for await (const block of deliverBlocks(nc, channel, from, to, options)) yield block.bytes;
    },
  });
}

/**
 * A test `.deliver` responder that serves blocks from an array, framed like the orderer
 * (`Civic-Deliver` headers, an END terminator) or bare (block messages without headers, an
 * empty terminator). It records the requests it saw.
 */
import { QueueGroup, subjects } from '@civic/messaging';
import { headers as natsHeaders, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { serializeBlock, type Block } from '@civic/protocol';

export interface TestResponder {
  readonly requests: { from: number; to?: number }[];
  stop(): void;
}

export function serveDeliver(
  nc: NatsConnection,
  channel: string,
  blocks: readonly Block[],
  framing: 'orderer' | 'bare' = 'orderer',
  perReplyMax = 2,
): TestResponder {
  const requests: { from: number; to?: number }[] = [];
  const sub: Subscription = nc.subscribe(subjects(channel).deliver, {
    queue: QueueGroup.DELIVERERS,
    callback: (_error, msg) => {
      const request = msg.json<{ from: number; to?: number }>();
      requests.push(request);
      const last = Math.min(
        request.to ?? blocks.length - 1,
        blocks.length - 1,
        request.from + perReplyMax - 1,
      );
      for (let n = request.from; n <= last; n++) {
        const h = natsHeaders();
        if (framing === 'orderer') {
          h.set('Civic-Deliver', 'block');
          h.set('Civic-Block-Number', String(n));
        }
        msg.respond(serializeBlock(blocks[n]!), framing === 'orderer' ? { headers: h } : {});
      }
      if (framing === 'orderer') {
        const h = natsHeaders();
        h.set('Civic-Deliver', 'end');
        msg.respond(JSON.stringify({ status: 'END', next: last + 1, height: blocks.length }), { headers: h });
      } else {
        msg.respond(new Uint8Array(0));
      }
    },
  });
  return { requests, stop: () => sub.unsubscribe() };
}

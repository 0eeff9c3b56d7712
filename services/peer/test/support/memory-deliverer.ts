import { headers as natsHeaders, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { QueueGroup, subjects } from '@civic/messaging';
import { serializeBlock, type Block } from '@civic/protocol';

/**
 * A stand-in for the orderers' `.deliver` responder (the contract of docs/peer.md "Deliver"),
 * serving blocks from memory: what a peer's repair tests talk to until they run against real
 * orderers. Counts the requests it answered.
 */
export class MemoryDeliverer {
  requests = 0;
  readonly #subscription: Subscription;

  constructor(
    nc: NatsConnection,
    channel: string,
    private readonly blocks: readonly Block[],
  ) {
    this.#subscription = nc.subscribe(subjects(channel).deliver, {
      queue: QueueGroup.DELIVERERS,
      callback: (_error, msg) => {
        this.requests++;
        const { from, to } = JSON.parse(new TextDecoder().decode(msg.data)) as { from: number; to?: number };
        const last = Math.min(to ?? this.blocks.length - 1, this.blocks.length - 1);
        const end = natsHeaders();
        end.set('Civic-Deliver', 'end');
        if (from > last) {
          msg.respond(JSON.stringify({ status: 'ERROR', code: 'NOT_FOUND', reason: `no block ${from}` }), {
            headers: end,
          });
          return;
        }
        for (let n = from; n <= last; n++) {
          const h = natsHeaders();
          h.set('Civic-Deliver', 'block');
          h.set('Civic-Block-Number', String(n));
          msg.respond(serializeBlock(this.blocks[n] as Block), { headers: h });
        }
        msg.respond(JSON.stringify({ status: 'END', next: last + 1, height: this.blocks.length }), {
          headers: end,
        });
      },
    });
  }

  stop(): void {
    this.#subscription.unsubscribe();
  }
}

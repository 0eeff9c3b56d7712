/**
 * What a peer does after each commit besides its receipt (DESIGN.md, "the flow of one change",
 * step 7): publish the domain event of every VALID transaction of the block on
 * `civic.<channel>.events.<namespace>.<type>`, msg id = txId. LedgerPeer (the stand-in peer) does
 * not; tests of event consumers (e.g. the parking Assessor's erasure) run this next to it. It
 * follows the peer's commit receipts and reads each block from the peer's store; what a block
 * publishes is libs/ledger's `committedEventsOf`, as the peer republishing after a restart.
 */
import { committedEventsOf, type LedgerStore } from '@civic/ledger';
import { publishEvent, streamNames, subjects, tailStream, type StreamTail } from '@civic/messaging';
import type { JetStreamClient } from '@nats-io/jetstream';

export interface EventPublisherOptions {
  readonly js: JetStreamClient;
  readonly channel: string;
  readonly peerId: string;
  /** The peer's store (LedgerPeer.store), where the committed blocks are read. */
  readonly store: LedgerStore;
}

interface Receipt {
  readonly number: number;
}

export class EventPublisher {
  /** Events published so far. */
  published = 0;
  #tail: StreamTail<Receipt> | null = null;
  #loop: Promise<void> = Promise.resolve();

  private constructor(readonly options: EventPublisherOptions) {}

  static async start(options: EventPublisherOptions): Promise<EventPublisher> {
    const publisher = new EventPublisher(options);
    publisher.#tail = await tailStream<Receipt>(options.js, streamNames(options.channel).commits, {
      filterSubject: subjects(options.channel).commits(options.peerId),
    });
    publisher.#loop = publisher.#run();
    return publisher;
  }

  async #run(): Promise<void> {
    for await (const msg of this.#tail!) {
      const block = await this.options.store.getBlock(msg.data.number);
      if (block === null || block === undefined) continue;
      for (const { txId, index, namespace, type, data } of committedEventsOf(block)) {
        await publishEvent(this.options.js, this.options.channel, {
          txId,
          block: block.number,
          txIndex: index,
          namespace,
          type,
          data,
        });
        this.published++;
      }
    }
  }

  async stop(): Promise<void> {
    await this.#tail?.stop();
    await this.#loop.catch(() => undefined);
  }
}

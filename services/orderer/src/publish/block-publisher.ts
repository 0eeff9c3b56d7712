import type { JetStreamClient, JetStreamManager } from '@nats-io/jetstream';
import { lastBlockNumber, publishBlockBytes, readBlock, WrongLastSequenceError } from '@civic/messaging';
import { contextWithSpan } from '@civic/telemetry';
import { blockHashOf, utf8Text, type Block } from '@civic/protocol';
import type { Logger } from 'pino';
import type { BlockSource } from '../delivery/deliver-server.js';
import type { RecentBlock } from '../node/chain-applier.js';
import { blockSpan } from '../telemetry/tx-traces.js';

/**
 * Publishes the chain on the channel's JetStream stream while this orderer leads: every
 * stored block, in order, its stored canonical bytes as they are, each fenced at stream
 * sequence number + 1 with msg id `<channel>:<number>` (libs/messaging's publishBlockBytes), so
 * the stream never holds a gap or a duplicate. On activation (a new leader that has applied its whole log) it first asks the
 * stream where it ends and publishes whatever the stream lacks from the block store. Another
 * publisher racing it (a deposed leader still finishing) is harmless: the fence refuses the
 * second copy, and this publisher re-reads the stream's end and carries on after it.
 */
export class BlockPublisher {
  private active = false;
  private next: number | null = null;
  private loop: Promise<void> | null = null;
  private wake: (() => void) | null = null;
  private publishedCount = 0;

  constructor(
    private readonly js: JetStreamClient,
    private readonly jsm: JetStreamManager,
    private readonly channel: string,
    private readonly source: BlockSource,
    private readonly log: Logger,
    private readonly onPublished: (number: number) => void = () => undefined,
    /** Blocks still held (recently applied), so they need not be read from disk again. */
    private readonly recentBlock?: (number: number) => RecentBlock | undefined,
  ) {}

  get published(): number {
    return this.publishedCount;
  }

  /** The next block number this publisher will publish, when known. */
  get position(): number | null {
    return this.next;
  }

  activate(): void {
    this.active = true;
    this.next = null;
    if (this.loop === null) this.loop = this.run().finally(() => (this.loop = null));
    this.notify();
  }

  deactivate(): void {
    this.active = false;
    this.notify();
  }

  /** A block was stored. */
  notify(): void {
    this.wake?.();
  }

  async stop(): Promise<void> {
    this.deactivate();
    await this.loop;
  }

  private async run(): Promise<void> {
    let backoffMs = 100;
    while (this.active) {
      try {
        if (this.next === null) this.next = ((await lastBlockNumber(this.jsm, this.channel)) ?? -1) + 1;
        if (this.next >= this.source.watch.height) {
          await this.sleep(1000);
          continue;
        }
        const number = this.next;
        const recent = this.recentBlock?.(number);
        const bytes = recent?.bytes ?? (await this.source.read(number));
        // The block's trace context travels in the message headers to every peer (docs/telemetry.md).
        const span = blockSpan(() => recent?.block ?? (JSON.parse(utf8Text(bytes)) as Block));
        const ack = await publishBlockBytes(
          this.js,
          this.channel,
          number,
          bytes,
          span === undefined ? {} : { context: contextWithSpan(span) },
        ).finally(() => span?.end());
        if (!ack.duplicate) this.publishedCount += 1;
        this.next = number + 1;
        this.onPublished(number);
        backoffMs = 100;
      } catch (error) {
        if (error instanceof WrongLastSequenceError) {
          if (error.alreadyPublished && this.next !== null) await this.compare(this.next);
          this.next = null;
          continue;
        }
        this.log.warn({ err: error, next: this.next }, 'block publication failed; retrying');
        await this.sleep(backoffMs);
        backoffMs = Math.min(backoffMs * 2, 2000);
      }
    }
  }

  /** Someone else published block `number`: it must be ours. */
  private async compare(number: number): Promise<void> {
    try {
      const theirs = await readBlock(this.jsm, this.channel, number);
      if (theirs === null) return;
      const ours = JSON.parse(utf8Text(await this.source.read(number))) as Block;
      if (blockHashOf(theirs.header) !== blockHashOf(ours.header)) {
        this.log.error({ number }, 'the block stream holds a different block than the chain at this number');
      }
    } catch (error) {
      this.log.warn({ err: error, number }, 'could not compare a block published by another orderer');
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }
}

import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import {
  DELIVER_BLOCKS_MAX,
  DELIVER_BYTES_MAX,
  DELIVER_KIND_HEADER,
  DELIVER_NUMBER_HEADER,
  DeliverErrorCode,
  DeliverKind,
  parseDeliverRequest,
  QueueGroup,
  subjects,
  type DeliverEnd,
} from '@civic/messaging';
import type { Logger } from 'pino';
import type { HeightWatch } from './height-watch.js';

/** Where delivery reads blocks: the block store behind a height watch. */
export interface BlockSource {
  readonly watch: HeightWatch;
  read(number: number): Promise<Uint8Array>;
}

/**
 * Answers `civic.<channel>.deliver` (libs/messaging's deliver-protocol.ts) from this orderer's
 * block store, in the queue group `deliverers`. At most `concurrencyMax` requests are served at
 * once; further ones wait in NATS's buffer.
 */
export class DeliverServer {
  private sub: Subscription | null = null;
  private running = 0;
  private readonly queue: Msg[] = [];

  constructor(
    private readonly nc: NatsConnection,
    private readonly channel: string,
    private readonly source: BlockSource,
    private readonly log: Logger,
    private readonly concurrencyMax = 8,
    private readonly queueMax = 256,
  ) {}

  start(): void {
    if (this.sub !== null) return;
    this.sub = this.nc.subscribe(subjects(this.channel).deliver, {
      queue: QueueGroup.DELIVERERS,
      callback: (error, msg) => {
        if (error !== null) return;
        if (this.queue.length >= this.queueMax) {
          this.end(msg, {
            status: 'ERROR',
            code: DeliverErrorCode.UNAVAILABLE,
            reason: 'too many delivery requests waiting',
          });
          return;
        }
        this.queue.push(msg);
        this.pump();
      },
    });
  }

  get started(): boolean {
    return this.sub !== null;
  }

  stop(): void {
    this.sub?.unsubscribe();
    this.sub = null;
  }

  private pump(): void {
    while (this.running < this.concurrencyMax && this.queue.length > 0) {
      const msg = this.queue.shift() as Msg;
      this.running += 1;
      void this.serve(msg)
        .catch((err: unknown) => {
          this.log.warn({ err }, 'delivery failed');
          this.end(msg, {
            status: 'ERROR',
            code: DeliverErrorCode.UNAVAILABLE,
            reason: (err as Error).message,
          });
        })
        .finally(() => {
          this.running -= 1;
          this.pump();
        });
    }
  }

  private async serve(msg: Msg): Promise<void> {
    if (!msg.reply) return;
    let value: unknown;
    try {
      value = msg.json();
    } catch {
      this.end(msg, { status: 'ERROR', code: DeliverErrorCode.BAD_REQUEST, reason: 'request is not JSON' });
      return;
    }
    const parsed = parseDeliverRequest(value);
    if (!parsed.ok) {
      this.end(msg, { status: 'ERROR', code: DeliverErrorCode.BAD_REQUEST, reason: parsed.reason });
      return;
    }
    const { from, to, wait, waitMs } = parsed.request;
    const { watch } = this.source;
    const needed = to ?? from;
    if (!wait && watch.height <= needed) {
      this.end(msg, {
        status: 'ERROR',
        code: DeliverErrorCode.NOT_FOUND,
        reason: `block ${needed} is not cut yet (height ${watch.height})`,
      });
      return;
    }
    const deadline = Date.now() + waitMs;
    let next = from;
    let bytes = 0;
    const last = to ?? Number.MAX_SAFE_INTEGER;
    while (next <= last && next - from < DELIVER_BLOCKS_MAX && bytes < DELIVER_BYTES_MAX) {
      if (watch.height <= next) {
        if (!wait) break;
        const remaining = deadline - Date.now();
        if (remaining <= 0 || !(await watch.wait(next + 1, remaining))) break;
      }
      const block = await this.source.read(next);
      const h = natsHeaders();
      h.set(DELIVER_KIND_HEADER, DeliverKind.BLOCK);
      h.set(DELIVER_NUMBER_HEADER, String(next));
      msg.respond(block, { headers: h });
      bytes += block.length;
      next += 1;
    }
    this.end(msg, { status: 'END', next, height: watch.height });
  }

  private end(msg: Msg, end: DeliverEnd): void {
    if (!msg.reply) return;
    const h = natsHeaders();
    h.set(DELIVER_KIND_HEADER, DeliverKind.END);
    try {
      msg.respond(new TextEncoder().encode(JSON.stringify(end)), { headers: h });
    } catch {
      // The connection is closing; the requester times out.
    }
  }
}

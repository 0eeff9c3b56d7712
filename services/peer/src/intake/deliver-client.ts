import { createInbox, type NatsConnection } from '@nats-io/nats-core';
import { subjects } from '@civic/messaging';

/**
 * The requesting side of `.deliver` (the orderers' repair path, docs/peer.md "Deliver"): a
 * request `{from, to?, wait?, waitMs?}` with a reply inbox; the responder (an orderer, in the
 * queue group `deliverers`) sends each block in its own message (header `Civic-Deliver: block`,
 * `Civic-Block-Number: n`, body = canonical JSON of the block), then a terminator
 * (`Civic-Deliver: end`, body `{status: "END", next, height}` or
 * `{status: "ERROR", code, reason}`). A reply holds at most 256 blocks / ~8 MiB; `next` says
 * where to continue.
 */
export const DELIVER_KIND_HEADER = 'Civic-Deliver';
export const DELIVER_NUMBER_HEADER = 'Civic-Block-Number';

export class DeliverError extends Error {
  override readonly name = 'DeliverError';
  constructor(
    /** The responder's code (BAD_REQUEST, NOT_FOUND, UNAVAILABLE) or NO_RESPONDERS / TIMEOUT. */
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

export interface DeliveredBlock {
  readonly number: number;
  readonly bytes: Uint8Array;
}

export interface FetchBlocksOptions {
  /** Longest silence between two messages of a reply. */
  readonly idleTimeoutMs: number;
  /** Requests in a row that bring nothing before giving up. */
  readonly attemptsMax: number;
  readonly retryDelayMs: number;
}

/** Blocks `from..to` (inclusive), in order, over as many requests as needed. Throws DeliverError. */
export async function* fetchBlocks(
  nc: NatsConnection,
  channel: string,
  from: number,
  to: number,
  options: FetchBlocksOptions,
): AsyncGenerator<DeliveredBlock> {
  let next = from;
  let fruitless = 0;
  while (next <= to) {
    let failure: DeliverError | undefined;
    const before = next;
    try {
      for await (const block of oneRequest(nc, channel, next, to, options.idleTimeoutMs)) {
        yield block;
        next = block.number + 1;
      }
    } catch (error) {
      if (!(error instanceof DeliverError)) throw error;
      failure = error;
    }
    if (next > before) {
      fruitless = 0;
      continue;
    }
    if (++fruitless >= options.attemptsMax) {
      throw (
        failure ?? new DeliverError('UNAVAILABLE', `no block ${next} after ${fruitless} delivery requests`)
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
  }
}

async function* oneRequest(
  nc: NatsConnection,
  channel: string,
  from: number,
  to: number,
  idleTimeoutMs: number,
): AsyncGenerator<DeliveredBlock> {
  const subject = subjects(channel).deliver;
  const inbox = createInbox();
  const subscription = nc.subscribe(inbox);
  let timer: NodeJS.Timeout | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => subscription.unsubscribe(), idleTimeoutMs);
  };
  try {
    rearm();
    nc.publish(subject, JSON.stringify({ from, to }), { reply: inbox });
    let expected = from;
    for await (const msg of subscription) {
      rearm();
      const kind = msg.headers?.get(DELIVER_KIND_HEADER);
      if (kind === 'block') {
        const number = Number(msg.headers?.get(DELIVER_NUMBER_HEADER));
        if (number !== expected)
          throw new DeliverError('UNAVAILABLE', `expected block ${expected}, the reply holds ${number}`);
        expected++;
        yield { number, bytes: msg.data };
      } else if (kind === 'end') {
        const end = JSON.parse(new TextDecoder().decode(msg.data)) as {
          status: string;
          code?: string;
          reason?: string;
        };
        if (end.status !== 'END')
          throw new DeliverError(end.code ?? 'UNAVAILABLE', end.reason ?? 'delivery refused');
        return;
      } else if (msg.data.length === 0 && msg.headers?.code === 503) {
        throw new DeliverError('NO_RESPONDERS', `no one answers ${subject}`);
      } else {
        throw new DeliverError('UNAVAILABLE', `unexpected message in a reply on ${subject}`);
      }
    }
    throw new DeliverError('TIMEOUT', `no reply on ${subject} within ${idleTimeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    subscription.unsubscribe();
  }
}

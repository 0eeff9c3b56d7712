import { createInbox, type Msg, type NatsConnection } from '@nats-io/nats-core';
import { subjects } from '@civic/messaging';
import { DeliverError } from '../errors.js';
import {
  DELIVER_KIND_HEADER,
  DELIVER_NUMBER_HEADER,
  DeliverErrorCode,
  DeliverKind,
  type DeliverEnd,
  type DeliverRequest,
} from './deliver-protocol.js';

export interface DeliveredBlock {
  readonly number: number;
  /** The block's canonical JSON, as stored by the responder. */
  readonly bytes: Uint8Array;
}

export interface DeliverOptions {
  /** Longest silence between two messages of the reply before giving up. */
  readonly idleTimeoutMs: number;
}

/**
 * One `.deliver` request (deliver-protocol.ts): yields the blocks of the reply in order, then
 * returns the terminator's `next` (where a further request continues). Throws DeliverError
 * with the responder's code, NO_RESPONDERS, or TIMEOUT.
 */
export async function* deliverOnce(
  nc: NatsConnection,
  channel: string,
  request: DeliverRequest,
  options: DeliverOptions,
): AsyncGenerator<DeliveredBlock, number> {
  const inbox = createInbox();
  const sub = nc.subscribe(inbox, { max: 1_000_000 });
  let timer: NodeJS.Timeout | null = null;
  const arm = () => {
    if (timer !== null) clearTimeout(timer);
    timer = setTimeout(
      () => sub.unsubscribe(),
      options.idleTimeoutMs + (request.wait ? (request.waitMs ?? 30_000) : 0),
    );
  };
  try {
    arm();
    nc.publish(subjects(channel).deliver, new TextEncoder().encode(JSON.stringify(request)), {
      reply: inbox,
    });
    let expected = request.from;
    for await (const msg of sub) {
      arm();
      const kind = msg.headers?.get(DELIVER_KIND_HEADER);
      if (kind === DeliverKind.BLOCK) {
        const number = Number(msg.headers?.get(DELIVER_NUMBER_HEADER));
        if (number !== expected)
          throw new DeliverError(DeliverErrorCode.UNAVAILABLE, `expected block ${expected}, got ${number}`);
        expected += 1;
        yield { number, bytes: msg.data };
        continue;
      }
      if (kind === DeliverKind.END) {
        const end = decodeEnd(msg);
        if (end.status === 'ERROR') throw new DeliverError(end.code, end.reason);
        return end.next;
      }
      if (isNoResponders(msg))
        throw new DeliverError(DeliverErrorCode.NO_RESPONDERS, `no one answers ${subjects(channel).deliver}`);
      throw new DeliverError(DeliverErrorCode.UNAVAILABLE, 'unexpected message in a delivery reply');
    }
    throw new DeliverError(
      DeliverErrorCode.TIMEOUT,
      `no reply to a delivery from ${request.from} within ${options.idleTimeoutMs} ms`,
    );
  } finally {
    if (timer !== null) clearTimeout(timer);
    sub.unsubscribe();
  }
}

function decodeEnd(msg: Msg): DeliverEnd {
  try {
    return msg.json<DeliverEnd>();
  } catch (cause) {
    throw new DeliverError(DeliverErrorCode.UNAVAILABLE, 'undecodable delivery terminator', { cause });
  }
}

function isNoResponders(msg: Msg): boolean {
  return msg.data.length === 0 && msg.headers?.code === 503;
}

/**
 * Blocks `from`..`to` (inclusive) from whoever answers, over as many requests as the replies'
 * bounds need; a failed request is retried (another responder may answer) up to `attemptsMax`
 * times in a row.
 */
export async function* fetchBlocks(
  nc: NatsConnection,
  channel: string,
  from: number,
  to: number,
  options: DeliverOptions & { readonly attemptsMax: number; readonly retryDelayMs: number },
): AsyncGenerator<DeliveredBlock> {
  let next = from;
  let failures = 0;
  while (next <= to) {
    const start = next;
    let failure: DeliverError | null = null;
    try {
      const it = deliverOnce(nc, channel, { from: next, to, wait: false }, options);
      for (;;) {
        const step = await it.next();
        if (step.done) break;
        yield step.value;
        next = step.value.number + 1;
      }
    } catch (error) {
      if (!(error instanceof DeliverError)) throw error;
      failure = error;
    }
    if (next > start) {
      failures = 0;
      continue;
    }
    failures += 1;
    if (failures >= options.attemptsMax) {
      throw (
        failure ??
        new DeliverError(DeliverErrorCode.UNAVAILABLE, `no block from ${next} after ${failures} requests`)
      );
    }
    await new Promise((resolve) => setTimeout(resolve, options.retryDelayMs));
  }
}

/**
 * The requesting side of `civic.<channel>.deliver`, the repair path for gaps in the block
 * stream. One request `{from, to}` with a reply inbox; the responder (an orderer or a peer, in
 * the queue group `deliverers`) sends each block in its own message, then ends the reply.
 *
 * Two enders are understood, because the orderer and the peer frame them differently today:
 * a message with header `Civic-Deliver: end` and body `{status: "END", next, height}` or
 * `{status: "ERROR", code, reason}` (services/orderer); or an empty message, with
 * `Civic-Error-Code`/`Civic-Error` headers for a refusal (services/peer). A block message is
 * any other non-empty message (the orderer also names it with `Civic-Deliver: block` and
 * `Civic-Block-Number`). Only `from` and `to` are sent: both responders accept them.
 */
import { ErrorHeader, subjects } from '@civic/messaging';
import { createInbox, type Msg, type NatsConnection } from '@nats-io/nats-core';
import { DeliverError } from './errors.js';

export const DELIVER_KIND_HEADER = 'Civic-Deliver';
export const DELIVER_NUMBER_HEADER = 'Civic-Block-Number';

export interface DeliverOptions {
  /** Longest silence between two messages of one reply (default 5000 ms). */
  readonly idleTimeoutMs?: number;
  /** Requests in a row that bring no block before giving up (default 3). */
  readonly attemptsMax?: number;
  /** Pause between such requests (default 250 ms). */
  readonly retryDelayMs?: number;
}

/** One delivered block: its number (from the header when sent) and its wire bytes. */
export interface DeliveredBlock {
  readonly number: number;
  readonly bytes: Uint8Array;
}

const DEFAULTS = { idleTimeoutMs: 5_000, attemptsMax: 3, retryDelayMs: 250 } as const;

type Reply = { readonly kind: 'block'; readonly msg: Msg } | { readonly kind: 'end' };

function classify(msg: Msg, subject: string): Reply {
  const kind = msg.headers?.get(DELIVER_KIND_HEADER);
  if (kind === 'end') {
    let end: { status?: unknown; code?: unknown; reason?: unknown };
    try {
      end = msg.json();
    } catch (cause) {
      throw new DeliverError('UNAVAILABLE', `undecodable end of a reply on ${subject}`, { cause });
    }
    if (end.status !== 'END')
      throw new DeliverError(String(end.code ?? 'UNAVAILABLE'), String(end.reason ?? 'refused'));
    return { kind: 'end' };
  }
  if (msg.data.length === 0) {
    if (msg.headers?.code === 503) throw new DeliverError('NO_RESPONDERS', `no one answers ${subject}`);
    const code = msg.headers?.get(ErrorHeader.CODE);
    if (code) throw new DeliverError(code, msg.headers?.get(ErrorHeader.MESSAGE) || 'refused');
    return { kind: 'end' };
  }
  return { kind: 'block', msg };
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
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      subscription.unsubscribe();
    }, idleTimeoutMs);
  };
  try {
    rearm();
    nc.publish(subject, JSON.stringify({ from, to }), { reply: inbox });
    let expected = from;
    for await (const msg of subscription) {
      rearm();
      const reply = classify(msg, subject);
      if (reply.kind === 'end') return;
      const named = msg.headers?.get(DELIVER_NUMBER_HEADER);
      if (named && Number(named) !== expected) {
        throw new DeliverError('UNAVAILABLE', `block ${expected} expected, the reply holds ${named}`);
      }
      yield { number: expected, bytes: msg.data };
      expected += 1;
      if (expected > to) return;
    }
    if (timedOut) throw new DeliverError('TIMEOUT', `no reply on ${subject} within ${idleTimeoutMs} ms`);
  } finally {
    clearTimeout(timer);
    subscription.unsubscribe();
  }
}

/**
 * Blocks `from..to` (inclusive) in order, over as many requests as the responders' bounds
 * need. Throws DeliverError after `attemptsMax` requests in a row that bring nothing.
 */
export async function* deliverBlocks(
  nc: NatsConnection,
  channel: string,
  from: number,
  to: number,
  options: DeliverOptions = {},
): AsyncGenerator<DeliveredBlock> {
  const { idleTimeoutMs, attemptsMax, retryDelayMs } = { ...DEFAULTS, ...options };
  let next = from;
  let fruitless = 0;
  while (next <= to) {
    const before = next;
    let failure: DeliverError | undefined;
    try {
      for await (const block of oneRequest(nc, channel, next, to, idleTimeoutMs)) {
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
    fruitless += 1;
    if (fruitless >= attemptsMax) {
      throw (
        failure ?? new DeliverError('NOT_FOUND', `no responder has block ${next} (${fruitless} requests)`)
      );
    }
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
  }
}

/** deliverBlocks as a BlockSource (for trust anchors and catch-up). */
export function deliverSource(nc: NatsConnection, channel: string, options: DeliverOptions = {}) {
  return (from: number, to: number): AsyncIterable<Uint8Array> => ({
    async *[Symbol.asyncIterator]() {
      for await (const block of deliverBlocks(nc, channel, from, to, options)) yield block.bytes;
    },
  });
}

/**
 * The requesting side of `civic.<channel>.deliver` (deliver-protocol.ts), the repair path for
 * gaps in the block stream: orderers restoring a snapshot, peers and the SDK use it. One
 * request with a reply inbox; the responder sends each block in its own message, then ends the
 * reply.
 *
 * A block message carries `Civic-Deliver: block` and `Civic-Block-Number: n`; the reply ends
 * with `Civic-Deliver: end` and `{status: "END", next, height}` or `{status: "ERROR", code,
 * reason}`. Also understood, for responders built on serveJson: an empty message with
 * `Civic-Error-Code`/`Civic-Error` headers (a refusal) or with none (the end), and block
 * messages without the deliver headers.
 */
import { createInbox, type Msg, type NatsConnection } from '@nats-io/nats-core';
import {
  DELIVER_KIND_HEADER,
  DELIVER_NUMBER_HEADER,
  DELIVER_WAIT_MS_DEFAULT,
  DeliverErrorCode,
  DeliverKind,
  type DeliverRequest,
} from './deliver-protocol.js';
import { DeliverError, MessagingArgumentError } from './errors.js';
import { ErrorHeader } from './remote-error.js';
import { subjects } from './subjects.js';

/** One delivered block: its number and its wire bytes (the block's canonical JSON). */
export interface DeliveredBlock {
  readonly number: number;
  readonly bytes: Uint8Array;
}

export interface DeliverOnceOptions {
  /** Longest silence between two messages of the reply (default 5000 ms; `waitMs` is added with `wait`). */
  readonly idleTimeoutMs?: number;
}

export interface DeliverOptions extends DeliverOnceOptions {
  /** Requests in a row that bring no block before giving up (default 3). */
  readonly attemptsMax?: number;
  /** Pause between such requests (default 250 ms). */
  readonly retryDelayMs?: number;
}

const DEFAULTS = { idleTimeoutMs: 5_000, attemptsMax: 3, retryDelayMs: 250 } as const;

/** What one reply message is: a block, the end of the reply (with `next` when it says), or a refusal (thrown). */
type Reply =
  { readonly kind: 'block'; readonly msg: Msg } | { readonly kind: 'end'; readonly next: number | null };

function classify(msg: Msg, subject: string): Reply {
  const kind = msg.headers?.get(DELIVER_KIND_HEADER);
  if (kind === DeliverKind.END) {
    let end: { status?: unknown; next?: unknown; code?: unknown; reason?: unknown };
    try {
      end = msg.json();
    } catch (cause) {
      throw new DeliverError(DeliverErrorCode.UNAVAILABLE, `undecodable end of a reply on ${subject}`, {
        cause,
      });
    }
    if (end?.status !== 'END')
      throw new DeliverError(
        String(end?.code ?? DeliverErrorCode.UNAVAILABLE),
        String(end?.reason ?? 'refused'),
      );
    return { kind: 'end', next: Number.isSafeInteger(end.next) ? (end.next as number) : null };
  }
  if (msg.data.length === 0) {
    if (msg.headers?.code === 503)
      throw new DeliverError(DeliverErrorCode.NO_RESPONDERS, `no one answers ${subject}`);
    const code = msg.headers?.get(ErrorHeader.CODE);
    if (code) throw new DeliverError(code, msg.headers?.get(ErrorHeader.MESSAGE) || 'refused');
    return { kind: 'end', next: null };
  }
  return { kind: 'block', msg };
}

function checkRequest(request: DeliverRequest): void {
  const { from, to } = request;
  if (
    !Number.isSafeInteger(from) ||
    from < 0 ||
    (to !== undefined && (!Number.isSafeInteger(to) || to < from))
  ) {
    throw new MessagingArgumentError(
      `deliver: blocks ${from}..${String(to ?? '')} is not a range of block numbers`,
    );
  }
}

/**
 * One `.deliver` request: yields the reply's blocks in order, then returns where a further
 * request continues (the terminator's `next`, or the block after the last one received when the
 * reply ends without saying). Stops reading once block `to` arrived. Throws DeliverError with
 * the responder's code, NO_RESPONDERS, UNAVAILABLE (a block out of order) or TIMEOUT.
 */
export async function* deliverOnce(
  nc: NatsConnection,
  channel: string,
  request: DeliverRequest,
  options: DeliverOnceOptions = {},
): AsyncGenerator<DeliveredBlock, number> {
  checkRequest(request);
  const subject = subjects(channel).deliver;
  const idleMs =
    (options.idleTimeoutMs ?? DEFAULTS.idleTimeoutMs) +
    (request.wait === true ? (request.waitMs ?? DELIVER_WAIT_MS_DEFAULT) : 0);
  const inbox = createInbox();
  const subscription = nc.subscribe(inbox);
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rearm = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      timedOut = true;
      subscription.unsubscribe();
    }, idleMs);
  };
  let expected = request.from;
  try {
    rearm();
    nc.publish(subject, JSON.stringify(request), { reply: inbox });
    for await (const msg of subscription) {
      rearm();
      const reply = classify(msg, subject);
      if (reply.kind === 'end') return reply.next ?? expected;
      const named = msg.headers?.get(DELIVER_NUMBER_HEADER);
      if (named && Number(named) !== expected) {
        throw new DeliverError(
          DeliverErrorCode.UNAVAILABLE,
          `block ${expected} expected, the reply on ${subject} holds ${named}`,
        );
      }
      yield { number: expected, bytes: msg.data };
      expected += 1;
      if (request.to !== undefined && expected > request.to) return expected;
    }
    if (timedOut)
      throw new DeliverError(DeliverErrorCode.TIMEOUT, `no reply on ${subject} within ${idleMs} ms`);
    return expected;
  } finally {
    clearTimeout(timer);
    subscription.unsubscribe();
  }
}

/**
 * Blocks `from..to` (inclusive) in order, from whoever answers, over as many requests as the
 * responders' bounds need (`{from, to}` each, the members every responder accepts). A request
 * that brings nothing is retried after `retryDelayMs` (another responder may answer); after
 * `attemptsMax` such requests in a row it throws the last DeliverError (NOT_FOUND when the
 * replies just ended empty).
 */
export async function* deliverBlocks(
  nc: NatsConnection,
  channel: string,
  from: number,
  to: number,
  options: DeliverOptions = {},
): AsyncGenerator<DeliveredBlock> {
  checkRequest({ from, to });
  const { attemptsMax, retryDelayMs } = { ...DEFAULTS, ...options };
  let next = from;
  let fruitless = 0;
  while (next <= to) {
    const before = next;
    let failure: DeliverError | undefined;
    try {
      for await (const block of deliverOnce(nc, channel, { from: next, to }, options)) {
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
        failure ??
        new DeliverError(DeliverErrorCode.NOT_FOUND, `no responder has block ${next} (${fruitless} requests)`)
      );
    }
    await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
  }
}

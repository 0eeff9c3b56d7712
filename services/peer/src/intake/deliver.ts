import { headers as natsHeaders, type Msg, type NatsConnection, type Subscription } from '@nats-io/nats-core';
import { ErrorHeader, QueueGroup, subjects } from '@civic/messaging';

/**
 * The `.deliver` repair path (docs/peer.md, "Deliver"): a peer that finds a gap asks the
 * orderers (queue group `deliverers`) for blocks by number. One request, several replies: each
 * block as its own message (its canonical JSON, exactly as on the blocks stream, so every
 * message stays under NATS's 1 MiB payload), in order, then an empty message that ends the
 * reply. A refusal is that empty message with `Civic-Error-Code`/`Civic-Error` headers.
 *
 *   request  {from, to?, maxBlocks?, wait?}
 *   replies  block(from), block(from+1), …, block(k), <empty>   (k <= to, k - from < maxBlocks)
 *
 * Fewer blocks than asked means the responder has no more (yet). With `wait: true` and
 * nothing at `from`, the responder holds the request until block `from` exists or its own
 * bound (a few seconds) passes.
 */
export interface DeliverRequest {
  readonly from: number;
  readonly to?: number;
  readonly maxBlocks?: number;
  readonly wait?: boolean;
}

/** Most blocks one request returns (the requester asks again for more). */
export const DELIVER_BLOCKS_MAX = 256;
/** Default of `maxBlocks`. */
export const DELIVER_BLOCKS_DEFAULT = 64;
/** Longest a responder holds a `wait` request. */
export const DELIVER_WAIT_MS_MAX = 10_000;

export const DeliverErrorCode = { BAD_REQUEST: 'BAD_REQUEST', UNAVAILABLE: 'UNAVAILABLE' } as const;

export class DeliverError extends Error {
  override readonly name = 'DeliverError';
  constructor(
    readonly code: string,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** Checks a request's shape; throws DeliverError(BAD_REQUEST) naming the field. */
export function parseDeliverRequest(
  value: unknown,
): Required<Omit<DeliverRequest, 'to'>> & { to: number | null } {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw new DeliverError(DeliverErrorCode.BAD_REQUEST, 'request must be a JSON object');
  }
  const { from, to, maxBlocks, wait, ...rest } = value as Record<string, unknown>;
  const unknown = Object.keys(rest);
  if (unknown.length > 0) throw new DeliverError(DeliverErrorCode.BAD_REQUEST, `unknown field ${unknown[0]}`);
  const count = (what: string, v: unknown, min: number) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min) {
      throw new DeliverError(DeliverErrorCode.BAD_REQUEST, `${what} must be an integer >= ${min}`);
    }
    return v;
  };
  const first = count('from', from, 0);
  const last = to === undefined || to === null ? null : count('to', to, first);
  const max = maxBlocks === undefined ? DELIVER_BLOCKS_DEFAULT : count('maxBlocks', maxBlocks, 1);
  if (wait !== undefined && typeof wait !== 'boolean')
    throw new DeliverError(DeliverErrorCode.BAD_REQUEST, 'wait must be a boolean');
  return { from: first, to: last, maxBlocks: Math.min(max, DELIVER_BLOCKS_MAX), wait: wait === true };
}

export interface DeliverClientOptions {
  /** Bound on the whole exchange. */
  readonly timeoutMs: number;
}

/**
 * Asks for blocks and yields each reply's bytes (canonical JSON of a block) in order. Ends at
 * the responder's empty message; throws DeliverError for a refusal, and NoRespondersError
 * (nats.js) when nobody serves the channel.
 */
export async function* requestBlocks(
  nc: NatsConnection,
  channel: string,
  request: DeliverRequest,
  options: DeliverClientOptions,
): AsyncGenerator<Uint8Array> {
  const replies = await nc.requestMany(subjects(channel).deliver, JSON.stringify(request), {
    strategy: 'sentinel',
    maxWait: options.timeoutMs,
  });
  for await (const msg of replies) {
    if (msg.data.length === 0) {
      const code = msg.headers?.get(ErrorHeader.CODE);
      if (code) throw new DeliverError(code, msg.headers?.get(ErrorHeader.MESSAGE) ?? 'refused');
      return;
    }
    yield msg.data;
  }
}

export interface DeliverSource {
  /** Number of the last block the source has (-1 = none). */
  height(): number;
  /** Canonical JSON bytes of block `number`, or null when the source does not have it. */
  block(number: number): Promise<Uint8Array | null>;
  /** Resolves true once block `number` exists, false after `timeoutMs`. */
  waitFor?(number: number, timeoutMs: number): Promise<boolean>;
}

/** Requests one responder answers at once; more are refused UNAVAILABLE (the requester retries). */
export const DELIVER_CONCURRENT_MAX = 16;

/**
 * Serves `.deliver` in the `deliverers` queue group from `source` (an orderer's block store; in
 * tests, blocks in memory). Each request's replies go out in order; requests run side by side,
 * at most DELIVER_CONCURRENT_MAX at a time.
 */
export function serveDeliver(nc: NatsConnection, channel: string, source: DeliverSource): Subscription {
  const subscription = nc.subscribe(subjects(channel).deliver, { queue: QueueGroup.DELIVERERS });
  let running = 0;
  void (async () => {
    for await (const msg of subscription) {
      if (running >= DELIVER_CONCURRENT_MAX) {
        refuse(msg, DeliverErrorCode.UNAVAILABLE, `more than ${DELIVER_CONCURRENT_MAX} requests in progress`);
        continue;
      }
      running++;
      void answer(msg, source)
        .catch(() => undefined)
        .finally(() => running--);
    }
  })();
  return subscription;
}

async function answer(msg: Msg, source: DeliverSource): Promise<void> {
  if (!msg.reply) return;
  let request: ReturnType<typeof parseDeliverRequest>;
  try {
    request = parseDeliverRequest(JSON.parse(new TextDecoder().decode(msg.data)));
  } catch (error) {
    const reason = error instanceof SyntaxError ? `not JSON: ${error.message}` : (error as Error).message;
    refuse(msg, DeliverErrorCode.BAD_REQUEST, reason);
    return;
  }
  if (request.wait && request.from > source.height() && source.waitFor) {
    await source.waitFor(request.from, DELIVER_WAIT_MS_MAX);
  }
  const last = Math.min(
    request.to ?? Number.MAX_SAFE_INTEGER,
    source.height(),
    request.from + request.maxBlocks - 1,
  );
  for (let n = request.from; n <= last; n++) {
    const bytes = await source.block(n);
    if (bytes === null) break;
    msg.respond(bytes);
  }
  msg.respond(new Uint8Array(0));
}

function refuse(msg: Msg, code: string, message: string): void {
  if (!msg.reply) return;
  const headers = natsHeaders();
  headers.set(ErrorHeader.CODE, code);
  headers.set(ErrorHeader.MESSAGE, message.replace(/[\r\n]+/g, ' ').slice(0, 512));
  msg.respond(new Uint8Array(0), { headers });
}

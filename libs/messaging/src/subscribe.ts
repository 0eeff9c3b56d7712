import type { Context } from '@opentelemetry/api';
import type { Msg, MsgHdrs, NatsConnection, Subscription } from '@nats-io/nats-core';
import { decodeJson } from './codec.js';
import { MessagingArgumentError } from './errors.js';
import { extractTraceContext, withTraceContext } from './trace.js';

/** A received message, decoded, with the trace context it carried. */
export interface IncomingMessage<T> {
  readonly subject: string;
  readonly data: T;
  readonly headers: MsgHdrs | undefined;
  /** The sender's trace context (the root context when it sent none). */
  readonly traceContext: Context;
}

export interface SubscribeOptions {
  /** Queue group: the group's members share the messages (one gets each). */
  readonly queue?: string;
  /** Handlers running at once. Default 1: messages are handled in arrival order. */
  readonly concurrencyMax?: number;
  /**
   * Messages waiting in the client beyond which new ones are dropped (counted in
   * `dropped`) instead of queued. Default 10 000: bounds memory when handlers fall behind.
   */
  readonly pendingMax?: number;
  /** Told about messages that failed to decode or whose handler threw. */
  readonly onError?: (err: unknown, subject: string) => void;
}

/** A running subscription or responder. */
export interface Subscriber {
  readonly subject: string;
  /** Messages handled (successfully or not), and dropped for being over `pendingMax`. */
  readonly stats: { readonly handled: number; readonly dropped: number };
  /** Stops taking messages, finishes those received, then resolves. Idempotent. */
  stop(): Promise<void>;
  /** Resolves when the subscription has ended (stop, or the connection closed). */
  readonly done: Promise<void>;
}

export const SUBSCRIBE_DEFAULTS = { concurrencyMax: 1, pendingMax: 10_000 } as const;

/** Checks and fills the bounds shared by subscribers and responders. */
export function subscriptionBounds(
  subject: string,
  options: SubscribeOptions,
): { concurrencyMax: number; pendingMax: number } {
  const concurrencyMax = options.concurrencyMax ?? SUBSCRIBE_DEFAULTS.concurrencyMax;
  const pendingMax = options.pendingMax ?? SUBSCRIBE_DEFAULTS.pendingMax;
  for (const [what, value] of [
    ['concurrencyMax', concurrencyMax],
    ['pendingMax', pendingMax],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1) {
      throw new MessagingArgumentError(
        `subscription to ${subject}: ${what} must be a positive integer, got ${value}`,
      );
    }
  }
  return { concurrencyMax, pendingMax };
}

/** Decodes a message strictly and extracts its trace context. */
export function incoming<T>(msg: Msg): IncomingMessage<T> {
  return {
    subject: msg.subject,
    data: decodeJson<T>(msg.data, msg.subject),
    headers: msg.headers,
    traceContext: extractTraceContext(msg.headers),
  };
}

/**
 * Runs `handle` for each message with at most `concurrencyMax` in flight; a message that
 * arrives while more than `pendingMax` wait is given to `overflow` instead. `handle` and
 * `overflow` must not reject (callers catch inside).
 */
export function runSubscription(
  sub: Subscription,
  bounds: { concurrencyMax: number; pendingMax: number },
  handle: (msg: Msg) => Promise<void>,
  overflow: (msg: Msg) => void,
): Subscriber {
  const stats = { handled: 0, dropped: 0 };
  const loop = async (): Promise<void> => {
    const inflight = new Set<Promise<void>>();
    for await (const msg of sub) {
      if (sub.getPending() > bounds.pendingMax) {
        stats.dropped += 1;
        overflow(msg);
        continue;
      }
      const running: Promise<void> = handle(msg).finally(() => {
        stats.handled += 1;
        inflight.delete(running);
      });
      inflight.add(running);
      if (inflight.size >= bounds.concurrencyMax) await Promise.race(inflight);
    }
    await Promise.all(inflight);
  };
  const done = loop();
  // Whoever awaits `done` still sees a failure; an unwatched one must not crash the process.
  done.catch(() => undefined);
  return {
    subject: sub.getSubject(),
    stats,
    done,
    async stop() {
      if (!sub.isClosed() && !sub.isDraining()) await sub.drain().catch(() => sub.unsubscribe());
      await done;
    },
  };
}

/**
 * Subscribes to plain messages (Raft traffic, notifications) and hands each decoded message
 * to `handler`, inside the sender's trace context. A message that does not decode or whose
 * handler throws goes to `onError` and the subscription carries on.
 */
export function subscribeJson<T>(
  nc: NatsConnection,
  subject: string,
  options: SubscribeOptions,
  handler: (msg: IncomingMessage<T>) => Promise<void> | void,
): Subscriber {
  const bounds = subscriptionBounds(subject, options);
  const report = options.onError ?? (() => undefined);
  const sub = nc.subscribe(subject, options.queue === undefined ? {} : { queue: options.queue });
  return runSubscription(
    sub,
    bounds,
    async (msg) => {
      try {
        const decoded = incoming<T>(msg);
        await withTraceContext(decoded.traceContext, () => handler(decoded));
      } catch (err) {
        report(err, msg.subject);
      }
    },
    () => undefined,
  );
}

import type { NatsConnection } from '@nats-io/nats-core';
import { TransportError } from './errors.js';
import { prepareFor, type OutgoingOptions } from './outgoing.js';

/**
 * Fire-and-forget publish of one JSON value on a plain subject (Raft messages between
 * orderers): trace headers added, size checked. At-most-once: NATS core keeps nothing.
 */
export function publishJson(
  nc: NatsConnection,
  subject: string,
  value: unknown,
  options: OutgoingOptions = {},
): void {
  const out = prepareFor(nc, subject, value, options);
  try {
    nc.publish(subject, out.data, out.headers === undefined ? undefined : { headers: out.headers });
  } catch (err) {
    throw new TransportError(subject, { cause: err });
  }
}

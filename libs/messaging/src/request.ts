import { errors as natsErrors, type Msg, type NatsConnection } from '@nats-io/nats-core';
import { decodeJson } from './codec.js';
import { MessagingArgumentError, NoRespondersError, RequestTimeoutError, TransportError } from './errors.js';
import { prepareFor, type OutgoingOptions } from './outgoing.js';
import { throwIfRemoteError } from './remote-error.js';

export interface RequestJsonOptions extends OutgoingOptions {
  /** How long to wait for the reply. No default: every caller states its patience. */
  readonly timeoutMs: number;
}

/** Maps nats.js request failures to this library's typed errors. */
export function requestErrorFor(subject: string, timeoutMs: number, err: unknown): Error {
  if (err instanceof natsErrors.TimeoutError)
    return new RequestTimeoutError(subject, timeoutMs, { cause: err });
  if (err instanceof natsErrors.NoRespondersError) return new NoRespondersError(subject, { cause: err });
  if (err instanceof natsErrors.RequestError) {
    if (err.isNoResponders()) return new NoRespondersError(subject, { cause: err });
    if (err.cause instanceof natsErrors.TimeoutError)
      return new RequestTimeoutError(subject, timeoutMs, { cause: err });
  }
  return new TransportError(subject, { cause: err });
}

/**
 * Sends one JSON request and returns the raw reply. Throws {@link RequestTimeoutError},
 * {@link NoRespondersError}, {@link TransportError}, or {@link RemoteHandlerError} when the
 * responder's handler failed.
 */
export async function requestMsg(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  options: RequestJsonOptions,
): Promise<Msg> {
  const { timeoutMs } = options;
  if (!Number.isSafeInteger(timeoutMs) || timeoutMs <= 0) {
    throw new MessagingArgumentError(
      `request to ${subject}: timeoutMs must be a positive integer, got ${timeoutMs}`,
    );
  }
  const out = prepareFor(nc, subject, body, options);
  let reply: Msg;
  try {
    reply = await nc.request(subject, out.data, {
      timeout: timeoutMs,
      ...(out.headers === undefined ? {} : { headers: out.headers }),
    });
  } catch (err) {
    throw requestErrorFor(subject, timeoutMs, err);
  }
  throwIfRemoteError(subject, reply.headers);
  return reply;
}

/** {@link requestMsg}, then a strict JSON decode of the reply (DecodeError when malformed). */
export async function requestJson<TReply = unknown>(
  nc: NatsConnection,
  subject: string,
  body: unknown,
  options: RequestJsonOptions,
): Promise<TReply> {
  const reply = await requestMsg(nc, subject, body, options);
  return decodeJson<TReply>(reply.data, subject);
}

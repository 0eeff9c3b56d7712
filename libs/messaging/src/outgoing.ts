import type { Context } from '@opentelemetry/api';
import { headers as natsHeaders, type MsgHdrs, type NatsConnection } from '@nats-io/nats-core';
import { encodeJson, JsonEncoding } from './codec.js';
import { assertPayloadFits, headersBytes, maxPayloadBytes } from './payload-limit.js';
import { injectTraceContext } from './trace.js';

/** What every outgoing message helper accepts. */
export interface OutgoingOptions {
  /** `plain` (default) or `canonical` (RFC 8785) JSON. */
  readonly encoding?: JsonEncoding;
  /** Trace context to propagate; default: the active one. */
  readonly context?: Context;
  /** Extra headers to send (the trace headers are added to them). */
  readonly headers?: MsgHdrs;
}

/** A message ready to send: bytes, and headers or undefined when there are none. */
export interface Outgoing {
  readonly data: Uint8Array;
  readonly headers: MsgHdrs | undefined;
}

/**
 * Encodes `value`, adds the trace headers (and `extraHeaders`, for JetStream's msg id and
 * expectations), and checks the size against `maxBytes`, so that every helper refuses an
 * oversize message with the same typed error before sending anything.
 */
export function prepareOutgoing(
  subject: string,
  value: unknown,
  options: OutgoingOptions,
  maxBytes: number,
  extraHeaders: Readonly<Record<string, string>> = {},
): Outgoing {
  const data = encodeJson(value, options.encoding ?? JsonEncoding.PLAIN, subject);
  return prepareOutgoingBytes(subject, data, options, maxBytes, extraHeaders);
}

/**
 * {@link prepareOutgoing} for a payload that is already encoded (a block's canonical bytes as
 * an orderer stores them): sent as it is, with the same headers and the same size check.
 */
export function prepareOutgoingBytes(
  subject: string,
  data: Uint8Array,
  options: Omit<OutgoingOptions, 'encoding'>,
  maxBytes: number,
  extraHeaders: Readonly<Record<string, string>> = {},
): Outgoing {
  const headers = options.headers ?? natsHeaders();
  for (const [key, headerValue] of Object.entries(extraHeaders)) headers.set(key, headerValue);
  injectTraceContext(headers, options.context);
  // An empty header block would make NATS send HPUB with nothing in it: send none instead.
  const sent = headersBytes(headers) > 0 ? headers : undefined;
  assertPayloadFits(subject, data, sent, maxBytes);
  return { data, headers: sent };
}

/** {@link prepareOutgoing} with the limit of the connected server. */
export function prepareFor(
  nc: NatsConnection,
  subject: string,
  value: unknown,
  options: OutgoingOptions,
): Outgoing {
  return prepareOutgoing(subject, value, options, maxPayloadBytes(nc));
}

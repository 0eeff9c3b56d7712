import type { Context } from '@opentelemetry/api';
import type { MsgHdrs } from '@nats-io/nats-core';
import { PubHeaders, type JsMsg } from '@nats-io/jetstream';
import { decodeJson } from './codec.js';
import { extractTraceContext } from './trace.js';

/** A message read from a stream, decoded, with its position and the trace context it carried. */
export interface StreamMessage<T> {
  readonly stream: string;
  /** Stream sequence (for the blocks stream: block number + 1). */
  readonly seq: number;
  readonly subject: string;
  readonly data: T;
  readonly headers: MsgHdrs | undefined;
  /** The publisher's msg id, '' when it set none. */
  readonly msgId: string;
  /** How many times the server delivered this message (1 the first time). */
  readonly deliveryCount: number;
  /** The publisher's trace context (the root context when it sent none). */
  readonly traceContext: Context;
}

/** Decodes a JetStream message strictly (DecodeError when it is not JSON). */
export function streamMessage<T>(msg: JsMsg): StreamMessage<T> {
  return {
    stream: msg.info.stream,
    seq: msg.seq,
    subject: msg.subject,
    data: decodeJson<T>(msg.data, msg.subject),
    headers: msg.headers,
    msgId: msg.headers?.get(PubHeaders.MsgIdHdr) ?? '',
    deliveryCount: msg.info.deliveryCount,
    traceContext: extractTraceContext(msg.headers),
  };
}

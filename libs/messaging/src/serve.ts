import { headers as natsHeaders, type Msg, type NatsConnection } from '@nats-io/nats-core';
import { EncodeError, PayloadTooLargeError } from './errors.js';
import { JsonEncoding } from './codec.js';
import { prepareOutgoing } from './outgoing.js';
import { maxPayloadBytes } from './payload-limit.js';
import { errorCode, setErrorHeaders } from './remote-error.js';
import {
  incoming,
  runSubscription,
  subscriptionBounds,
  type IncomingMessage,
  type SubscribeOptions,
  type Subscriber,
} from './subscribe.js';
import { withTraceContext } from './trace.js';

export interface ServeOptions extends SubscribeOptions {
  /** Encoding of the replies: `plain` (default) or `canonical`. */
  readonly encoding?: JsonEncoding;
}

/** Error codes a responder sends by itself (a handler's own codes come from its errors). */
export const ResponderErrorCode = {
  /** The request did not decode as JSON. */
  BAD_REQUEST: 'BAD_REQUEST',
  /** The responder had more than `pendingMax` requests waiting. */
  OVERLOADED: 'OVERLOADED',
  /** The handler's reply could not be encoded or was too large. */
  BAD_REPLY: 'BAD_REPLY',
} as const;

/**
 * What a handler returns to leave a request to another responder: nothing is sent. Used where
 * several queue groups share one subject and only the one the request is meant for answers
 * (e.g. the endorsers of each namespace on `.endorse.<mspId>`).
 */
export const NO_REPLY: unique symbol = Symbol('civic.messaging.no-reply');

function respondError(msg: Msg, code: string, message: string): void {
  if (!msg.reply) return;
  try {
    msg.respond(new Uint8Array(0), { headers: setErrorHeaders(natsHeaders(), code, message) });
  } catch {
    // The connection is closing: the requester will see its own timeout or closed error.
  }
}

/**
 * Answers requests on `subject` (optionally in a queue group) with what `handler` returns,
 * JSON-encoded, inside the requester's trace context. When decoding, the handler or encoding
 * the reply fails, the requester gets an empty reply with `Civic-Error-Code`/`Civic-Error`
 * headers (a RemoteHandlerError on its side) rather than a timeout. Contract refusals (e.g.
 * `{status: 'REJECTED', …}`) are ordinary return values, not errors.
 */
export function serveJson<TRequest, TReply>(
  nc: NatsConnection,
  subject: string,
  options: ServeOptions,
  handler: (
    request: IncomingMessage<TRequest>,
  ) => Promise<TReply | typeof NO_REPLY> | TReply | typeof NO_REPLY,
): Subscriber {
  const bounds = subscriptionBounds(subject, options);
  const report = options.onError ?? (() => undefined);
  const encoding = options.encoding ?? JsonEncoding.PLAIN;
  const sub = nc.subscribe(subject, options.queue === undefined ? {} : { queue: options.queue });
  const answer = async (msg: Msg): Promise<void> => {
    let request: IncomingMessage<TRequest>;
    try {
      request = incoming<TRequest>(msg);
    } catch (err) {
      report(err, msg.subject);
      respondError(msg, ResponderErrorCode.BAD_REQUEST, err instanceof Error ? err.message : String(err));
      return;
    }
    try {
      const reply = await withTraceContext(request.traceContext, () => handler(request));
      if (!msg.reply || reply === NO_REPLY) return;
      const out = prepareOutgoing(
        msg.reply,
        reply,
        { encoding, context: request.traceContext },
        maxPayloadBytes(nc),
      );
      msg.respond(out.data, out.headers === undefined ? undefined : { headers: out.headers });
    } catch (err) {
      report(err, msg.subject);
      const code =
        err instanceof EncodeError || err instanceof PayloadTooLargeError
          ? ResponderErrorCode.BAD_REPLY
          : errorCode(err);
      respondError(msg, code, err instanceof Error ? err.message : String(err));
    }
  };
  return runSubscription(sub, bounds, answer, (msg) =>
    respondError(
      msg,
      ResponderErrorCode.OVERLOADED,
      `more than ${bounds.pendingMax} requests waiting on ${subject}`,
    ),
  );
}

import {
  context as otelContext,
  propagation,
  ROOT_CONTEXT,
  type Context,
  type TextMapGetter,
  type TextMapSetter,
} from '@opentelemetry/api';
import { headers as natsHeaders, Match, type MsgHdrs } from '@nats-io/nats-core';

/**
 * W3C trace context (`traceparent`, `tracestate`, and whatever else the registered
 * propagator writes, e.g. `baggage`) travels in NATS message headers, so one change's trace
 * follows it from the REST call through NATS, the orderer and the peer commit.
 *
 * This goes through `@opentelemetry/api`'s global propagator: with no SDK registered it is a
 * no-op (nothing is written, extraction yields the root context); once a service registers
 * the W3C propagator, the headers appear with no change here.
 */
const setter: TextMapSetter<MsgHdrs> = {
  set(carrier, key, value) {
    carrier.set(key, value);
  },
};

const getter: TextMapGetter<MsgHdrs> = {
  keys(carrier) {
    return carrier.keys();
  },
  get(carrier, key) {
    // Header names are case-insensitive on the wire (MIME rules), propagators ask lowercase.
    if (!carrier.has(key, Match.IgnoreCase)) return undefined;
    const values = carrier.values(key, Match.IgnoreCase);
    return values.length === 1 ? values[0] : values;
  },
};

/** Writes the trace context of `ctx` (default: the active one) into `headers`; returns them. */
export function injectTraceContext(headers: MsgHdrs, ctx: Context = otelContext.active()): MsgHdrs {
  propagation.inject(ctx, headers, setter);
  return headers;
}

/** New headers holding only the trace context of `ctx` (default: the active one). */
export function traceHeaders(ctx: Context = otelContext.active()): MsgHdrs {
  return injectTraceContext(natsHeaders(), ctx);
}

/**
 * The context a received message carries, built on the root context (never on the receiver's
 * own active context, which belongs to its consume loop, not to this message).
 */
export function extractTraceContext(headers: MsgHdrs | undefined): Context {
  if (headers === undefined) return ROOT_CONTEXT;
  return propagation.extract(ROOT_CONTEXT, headers, getter);
}

/** Runs `fn` with `ctx` as the active context (a no-op wrapper until a context manager is set). */
export function withTraceContext<T>(ctx: Context, fn: () => T): T {
  return otelContext.with(ctx, fn);
}

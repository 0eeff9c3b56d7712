import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_CONTEXT, propagation, trace, TraceFlags, type Context } from '@opentelemetry/api';
import { TraceState, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { Block } from '@civic/protocol';
import { createTestChannel, type TestChannel } from '@civic/testkit';
import {
  consumeInOrder,
  extractTraceContext,
  publishBlock,
  requestJson,
  serveJson,
  traceHeaders,
  type InOrderConsumer,
  type StreamMessage,
} from '../src/index.js';
import { makeBlock, sleep } from './fixtures.js';

const spanContext = {
  traceId: '0af7651916cd43dd8448eb211c80319c',
  spanId: 'b7ad6b7169203331',
  traceFlags: TraceFlags.SAMPLED,
  isRemote: false,
  traceState: new TraceState('civic=gateway,other=1'),
};
const parent: Context = trace.setSpanContext(ROOT_CONTEXT, spanContext);

let t: TestChannel;
beforeAll(async () => {
  t = await createTestChannel();
});
afterAll(async () => {
  await t.cleanup();
});

describe('trace context without a registered propagator', () => {
  it('adds no headers and extracts the root context', () => {
    propagation.disable();
    expect(traceHeaders(parent).keys()).toEqual([]);
    expect(extractTraceContext(undefined)).toBe(ROOT_CONTEXT);
  });
});

describe('W3C trace context through NATS (integration, local NATS)', () => {
  beforeAll(() => {
    propagation.setGlobalPropagator(new W3CTraceContextPropagator());
  });
  afterAll(() => {
    propagation.disable();
  });

  it('writes traceparent and reads it back, case-insensitively', () => {
    const h = traceHeaders(parent);
    expect(h.get('traceparent')).toBe(`00-${spanContext.traceId}-${spanContext.spanId}-01`);
    const upper = traceHeaders(ROOT_CONTEXT);
    upper.set('TraceParent', h.get('traceparent'));
    expect(trace.getSpanContext(extractTraceContext(upper))?.traceId).toBe(spanContext.traceId);
  });

  it('carries the trace from a request to the responder', async () => {
    let seen: Context | undefined;
    const responder = serveJson(t.nc, t.subjects.query('peer-t'), {}, (req) => {
      seen = req.traceContext;
      return { ok: true };
    });
    await t.nc.flush();
    await requestJson(t.nc, t.subjects.query('peer-t'), { q: 'state' }, { timeoutMs: 2000, context: parent });
    await responder.stop();
    const remote = trace.getSpanContext(seen!);
    expect(remote?.traceId).toBe(spanContext.traceId);
    expect(remote?.spanId).toBe(spanContext.spanId);
    expect(remote?.isRemote).toBe(true);
    expect(remote?.traceState?.serialize()).toBe('civic=gateway,other=1');
  });

  it('carries the trace from a published block to the peer consuming it', async () => {
    await publishBlock(t.js, t.channel, makeBlock(t.channel, 0), { context: parent });
    let got: StreamMessage<Block> | undefined;
    const consumer: InOrderConsumer = await consumeInOrder<Block>(
      t.js,
      t.streams.blocks.config.name,
      'trace-peer',
      {},
      (msg) => {
        got = msg;
      },
    );
    for (let waited = 0; got === undefined && waited < 5000; waited += 20) await sleep(20);
    await consumer.stop();
    expect(trace.getSpanContext(got!.traceContext)?.traceId).toBe(spanContext.traceId);
    expect(got!.headers?.get('traceparent')).toContain(spanContext.spanId);
  });
});

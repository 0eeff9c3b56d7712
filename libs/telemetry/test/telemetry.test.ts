import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { context, propagation, trace } from '@opentelemetry/api';
import { SpanKind, traceHttpServer, withSpan } from '../src/index.js';
import {
  initTelemetry,
  readTelemetrySettings,
  TelemetryConfigError,
  type Telemetry,
} from '../src/sdk/index.js';
import { servicesOfTrace, startOtlpReceiver, type OtlpReceiver } from '../src/testing/index.js';

/**
 * The SDK set-up exporting over real OTLP/HTTP to the in-memory receiver: nested spans share
 * one trace, context crosses an await, the W3C header is written and read, errors are recorded.
 */
describe('initTelemetry with the OTLP receiver', () => {
  let receiver: OtlpReceiver;
  let telemetry: Telemetry;

  beforeAll(async () => {
    receiver = await startOtlpReceiver();
    telemetry = await initTelemetry({
      serviceName: 'unit',
      serviceNamespace: 'RVO',
      instanceId: 'unit@RVO',
      env: { OTEL_EXPORTER_OTLP_ENDPOINT: receiver.url, OTEL_BSP_SCHEDULE_DELAY: '20' },
    });
  });
  afterAll(async () => {
    await telemetry.shutdown();
    await receiver.close();
  });

  it('exports nested spans of one trace with the resource attributes', async () => {
    expect(telemetry.exportingTo).toBe(`${receiver.url}/v1/traces`);
    let traceId = '';
    let header: Record<string, string> = {};
    await withSpan('outer', { kind: SpanKind.SERVER, attributes: { 'civic.test': 1 } }, async (outer) => {
      traceId = outer.spanContext().traceId;
      await new Promise((resolve) => setTimeout(resolve, 5));
      await withSpan('inner', {}, async () => {
        header = {};
        propagation.inject(context.active(), header);
      });
    });
    await expect(withSpan('failing', {}, async () => Promise.reject(new Error('nope')))).rejects.toThrow(
      'nope',
    );
    const spans = await receiver.waitFor((s) => s.filter((x) => x.traceId === traceId).length === 2, 10_000);
    const outer = spans.find((s) => s.name === 'outer')!;
    const inner = spans.find((s) => s.name === 'inner')!;
    expect(inner.parentSpanId).toBe(outer.spanId);
    expect(inner.traceId).toBe(outer.traceId);
    expect(outer).toMatchObject({ service: 'unit', serviceNamespace: 'RVO', instance: 'unit@RVO', kind: 2 });
    expect(outer.attributes['civic.test']).toBe(1);
    expect(header['traceparent']).toMatch(new RegExp(`^00-${traceId}-${inner.spanId}-01$`));
    expect([...servicesOfTrace(spans, traceId)]).toEqual(['RVO/unit']);
    const failing = await receiver.waitFor((s) => s.some((x) => x.name === 'failing'), 10_000);
    expect(failing.find((x) => x.name === 'failing')!.statusCode).toBe(2);
  });

  it('a second set-up returns the first one', async () => {
    expect(await initTelemetry({ serviceName: 'other' })).toBe(telemetry);
  });

  it('HTTP server spans continue the caller trace and skip probes', async () => {
    const fastify = await import('fastify');
    const app = fastify.default({ logger: false });
    traceHttpServer(app, { service: 'unit' });
    let handlerTraceId = '';
    app.get('/items/:id', async () => {
      handlerTraceId = trace.getActiveSpan()?.spanContext().traceId ?? '';
      return { ok: true };
    });
    app.get('/healthz', async () => ({ ok: true }));
    await app.ready();
    const callerTrace = 'ab'.repeat(16);
    const traceparent = `00-${callerTrace}-${'cd'.repeat(8)}-01`;
    const reply = await app.inject({
      method: 'GET',
      url: '/items/NL-0344-00012344',
      headers: { traceparent },
    });
    expect(reply.statusCode).toBe(200);
    await app.inject({ method: 'GET', url: '/healthz' });
    expect(handlerTraceId).toBe(callerTrace);
    const spans = await receiver.waitFor((s) => s.some((x) => x.traceId === callerTrace), 10_000);
    const server = spans.find((x) => x.traceId === callerTrace)!;
    expect(server.name).toBe('GET /items/:id');
    expect(server.parentSpanId).toBe('cd'.repeat(8));
    expect(server.attributes['http.response.status_code']).toBe(200);
    expect(spans.some((x) => x.name.includes('healthz'))).toBe(false);
    await app.close();
  });
});

describe('settings', () => {
  it('lists every bad setting at once, reads the good ones', () => {
    let error: unknown;
    try {
      readTelemetrySettings({
        OTEL_EXPORTER_OTLP_ENDPOINT: 'collector:4318',
        OTEL_BSP_SCHEDULE_DELAY: 'soon',
        OTEL_TRACES_SAMPLER_ARG: '2',
      });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(TelemetryConfigError);
    expect((error as TelemetryConfigError).problems).toHaveLength(3);
    expect((error as Error).message).toContain(
      'OTEL_EXPORTER_OTLP_ENDPOINT must be an http(s) URL, got "collector:4318"',
    );
    const good = readTelemetrySettings({
      OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://c:4318/v1/traces',
      OTEL_SDK_DISABLED: 'true',
    });
    expect(good).toMatchObject({
      endpoint: 'http://c:4318/v1/traces',
      disabled: true,
      scheduleDelayMs: 1000,
    });
    expect(readTelemetrySettings({}).endpoint).toBeNull();
  });
});

import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gunzipSync } from 'node:zlib';

/** One span as an OTLP/HTTP JSON export carried it, flattened with its resource. */
export interface ReceivedSpan {
  readonly traceId: string;
  readonly spanId: string;
  readonly parentSpanId: string | null;
  readonly name: string;
  /** OTLP span kind: 1 internal, 2 server, 3 client, 4 producer, 5 consumer. */
  readonly kind: number;
  readonly startTimeMs: number;
  readonly endTimeMs: number;
  /** Resource attributes `service.name`, `service.namespace`, `service.instance.id`. */
  readonly service: string;
  readonly serviceNamespace: string | null;
  readonly instance: string | null;
  readonly attributes: Readonly<Record<string, unknown>>;
  readonly links: readonly { readonly traceId: string; readonly spanId: string }[];
  /** OTLP status code: 0 unset, 1 ok, 2 error. */
  readonly statusCode: number;
}

export interface OtlpReceiver {
  /** Base URL to put in `OTEL_EXPORTER_OTLP_ENDPOINT` (the exporter adds `/v1/traces`). */
  readonly url: string;
  /** Every span received so far, in arrival order. */
  spans(): readonly ReceivedSpan[];
  /** Resolves with the spans once `predicate` holds for them; rejects after `timeoutMs`. */
  waitFor(
    predicate: (spans: readonly ReceivedSpan[]) => boolean,
    timeoutMs: number,
  ): Promise<readonly ReceivedSpan[]>;
  close(): Promise<void>;
}

/** Spans kept; beyond it the receiver answers 507 (a test that sends that many is broken). */
const SPANS_MAX = 200_000;
const BODY_BYTES_MAX = 16 * 1024 * 1024;

/**
 * An in-memory OTLP/HTTP receiver for multi-process tests: every program of the test exports
 * to it (`OTEL_EXPORTER_OTLP_ENDPOINT`), and the test reads the spans of all of them in one
 * place. JSON encoding only (what `@opentelemetry/exporter-trace-otlp-http` sends), gzip or not;
 * listens on 127.0.0.1 on a free port.
 */
export async function startOtlpReceiver(): Promise<OtlpReceiver> {
  const received: ReceivedSpan[] = [];
  const waiters = new Set<() => void>();
  const server = createServer((request, response) => {
    void handle(request, response, received).then(() => {
      for (const wake of [...waiters]) wake();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    spans: () => received,
    waitFor: (predicate, timeoutMs) =>
      new Promise((resolve, reject) => {
        const check = () => {
          if (!predicate(received)) return;
          done();
          resolve(received);
        };
        const timer = setTimeout(() => {
          done();
          reject(new Error(`spans not received within ${timeoutMs} ms (${received.length} received)`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      }),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function handle(
  request: IncomingMessage,
  response: ServerResponse,
  into: ReceivedSpan[],
): Promise<void> {
  if (request.method !== 'POST' || !request.url?.endsWith('/v1/traces')) {
    response.writeHead(404).end();
    return;
  }
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > BODY_BYTES_MAX) {
      response.writeHead(413).end();
      return;
    }
    chunks.push(chunk);
  }
  let body = Buffer.concat(chunks);
  if (request.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
  if (!String(request.headers['content-type']).includes('json')) {
    response.writeHead(415).end('only OTLP/HTTP JSON is accepted');
    return;
  }
  let spans: ReceivedSpan[];
  try {
    spans = flattenExport(JSON.parse(body.toString('utf8')) as OtlpExport);
  } catch (error) {
    response.writeHead(400).end(String(error));
    return;
  }
  if (into.length + spans.length > SPANS_MAX) {
    response.writeHead(507).end();
    return;
  }
  into.push(...spans);
  response.writeHead(200, { 'content-type': 'application/json' }).end('{}');
}

interface OtlpValue {
  stringValue?: string;
  intValue?: string | number;
  doubleValue?: number;
  boolValue?: boolean;
  arrayValue?: { values?: OtlpValue[] };
}
interface OtlpKeyValue {
  key: string;
  value?: OtlpValue;
}
interface OtlpSpan {
  traceId: string;
  spanId: string;
  parentSpanId?: string;
  name: string;
  kind?: number;
  startTimeUnixNano?: string | number;
  endTimeUnixNano?: string | number;
  attributes?: OtlpKeyValue[];
  links?: { traceId: string; spanId: string }[];
  status?: { code?: number };
}
interface OtlpExport {
  resourceSpans?: {
    resource?: { attributes?: OtlpKeyValue[] };
    scopeSpans?: { spans?: OtlpSpan[] }[];
  }[];
}

/** The spans of one OTLP JSON export request, each with its resource's service attributes. */
export function flattenExport(body: OtlpExport): ReceivedSpan[] {
  const out: ReceivedSpan[] = [];
  for (const rs of body.resourceSpans ?? []) {
    const resource = attributesOf(rs.resource?.attributes);
    for (const ss of rs.scopeSpans ?? []) {
      for (const span of ss.spans ?? []) {
        const parent = span.parentSpanId ? hexId(span.parentSpanId) : '';
        out.push({
          traceId: hexId(span.traceId),
          spanId: hexId(span.spanId),
          parentSpanId: parent === '' ? null : parent,
          name: span.name,
          kind: span.kind ?? 0,
          startTimeMs: Number(BigInt(span.startTimeUnixNano ?? 0) / 1_000_000n),
          endTimeMs: Number(BigInt(span.endTimeUnixNano ?? 0) / 1_000_000n),
          service: String(resource['service.name'] ?? ''),
          serviceNamespace:
            typeof resource['service.namespace'] === 'string' ? resource['service.namespace'] : null,
          instance:
            typeof resource['service.instance.id'] === 'string' ? resource['service.instance.id'] : null,
          attributes: attributesOf(span.attributes),
          links: (span.links ?? []).map((l) => ({ traceId: hexId(l.traceId), spanId: hexId(l.spanId) })),
          statusCode: span.status?.code ?? 0,
        });
      }
    }
  }
  return out;
}

/** OTLP JSON ids are hex; some encoders send base64 (protobuf JSON mapping): accept both. */
function hexId(id: string): string {
  if (/^[0-9a-f]*$/i.test(id) && (id.length === 32 || id.length === 16 || id.length === 0))
    return id.toLowerCase();
  return Buffer.from(id, 'base64').toString('hex');
}

function attributesOf(list: OtlpKeyValue[] | undefined): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const { key, value } of list ?? []) out[key] = valueOf(value);
  return out;
}

function valueOf(value: OtlpValue | undefined): unknown {
  if (value === undefined) return null;
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.intValue !== undefined) return Number(value.intValue);
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.boolValue !== undefined) return value.boolValue;
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  return null;
}

/** Service identities (`namespace/name`, or the name alone) of the spans of one trace. */
export function servicesOfTrace(spans: readonly ReceivedSpan[], traceId: string): Set<string> {
  return new Set(
    spans
      .filter((s) => s.traceId === traceId)
      .map((s) => (s.serviceNamespace ? `${s.serviceNamespace}/${s.service}` : s.service)),
  );
}

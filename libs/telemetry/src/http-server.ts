import {
  context as otelContext,
  defaultTextMapGetter,
  propagation,
  ROOT_CONTEXT,
  SpanKind,
  SpanStatusCode,
  type Context,
  type Span,
} from '@opentelemetry/api';
import { contextWithSpan, startSpan } from './spans.js';

/** What these hooks use of a fastify request and reply (structural: no fastify dependency). */
interface RequestLike {
  readonly method: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly routeOptions?: { readonly url?: string };
}
interface ReplyLike {
  readonly statusCode: number;
}
type Done = (error?: Error) => void;

/** Operations routes polled by probes: no span (they would drown the traces). */
const UNTRACED_ROUTES: ReadonlySet<string> = new Set(['/healthz', '/readyz', '/metrics', '/openapi.json']);

/**
 * Server spans for a fastify application (NestJS's fastify adapter included): one span per
 * request, named `<METHOD> <route pattern>` (never the raw URL: paths carry card numbers and
 * licence plates), parented on the caller's `traceparent` header when it sends one, and made
 * the active context for the route handler, so that everything the handler does (gateway,
 * NATS requests) joins the trace. The context is entered in `preHandler`, after the body is
 * read: fastify runs the handler synchronously from there, so AsyncLocalStorage carries it.
 */
export function traceHttpServer(fastify: unknown, options: { readonly service: string }): void {
  const app = fastify as {
    addHook(name: string, hook: (request: RequestLike, reply: ReplyLike, done: Done) => void): unknown;
  };
  const spans = new WeakMap<RequestLike, { span: Span; context: Context }>();
  app.addHook('onRequest', (request, _reply, done) => {
    const route = request.routeOptions?.url;
    if (route === undefined || UNTRACED_ROUTES.has(route)) return done();
    const parent = propagation.extract(ROOT_CONTEXT, request.headers, defaultTextMapGetter);
    const span = startSpan(`${request.method} ${route}`, {
      kind: SpanKind.SERVER,
      parent,
      attributes: {
        'http.request.method': request.method,
        'http.route': route,
        'civic.service': options.service,
      },
    });
    spans.set(request, { span, context: contextWithSpan(span, parent) });
    done();
  });
  app.addHook('preHandler', (request, _reply, done) => {
    const entry = spans.get(request);
    if (entry === undefined) return done();
    otelContext.with(entry.context, () => done());
  });
  app.addHook('onResponse', (request, reply, done) => {
    const entry = spans.get(request);
    if (entry !== undefined) {
      spans.delete(request);
      entry.span.setAttribute('http.response.status_code', reply.statusCode);
      if (reply.statusCode >= 500) entry.span.setStatus({ code: SpanStatusCode.ERROR });
      entry.span.end();
    }
    done();
  });
}

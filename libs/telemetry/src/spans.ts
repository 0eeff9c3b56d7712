import {
  context as otelContext,
  SpanKind,
  SpanStatusCode,
  trace,
  type Attributes,
  type Context,
  type Link,
  type Span,
  type Tracer,
} from '@opentelemetry/api';

/**
 * Span helpers over `@opentelemetry/api` only: libraries (gateway, messaging) and services use
 * them without depending on the SDK. With no SDK registered every span is a no-op that still
 * carries its parent's context, so trace ids pass through untouched.
 */

/** The instrumentation scope of every Civic Ledger span. */
export const TRACER_NAME = 'civic-ledger';

export function civicTracer(): Tracer {
  return trace.getTracer(TRACER_NAME);
}

export { SpanKind };
export type { Span, Context };

export interface SpanStart {
  readonly kind?: SpanKind;
  readonly attributes?: Attributes;
  /** Parent context; default: the active one. */
  readonly parent?: Context;
  readonly links?: readonly Link[];
  /** Epoch ms when the work began (default now). */
  readonly startTimeMs?: number;
}

/** Starts a span (not made active): the caller ends it, e.g. with {@link endSpan}. */
export function startSpan(name: string, start: SpanStart = {}): Span {
  return civicTracer().startSpan(
    name,
    {
      kind: start.kind ?? SpanKind.INTERNAL,
      ...(start.attributes ? { attributes: start.attributes } : {}),
      ...(start.links ? { links: [...start.links] } : {}),
      ...(start.startTimeMs !== undefined ? { startTime: start.startTimeMs } : {}),
    },
    start.parent ?? otelContext.active(),
  );
}

/** Records `error` on the span (exception event, ERROR status) and ends it. */
export function endSpan(span: Span, error?: unknown): void {
  if (error !== undefined) failSpan(span, error);
  span.end();
}

/** Marks a span failed with the error's name and message. */
export function failSpan(span: Span, error: unknown): void {
  if (error instanceof Error) span.recordException(error);
  span.setStatus({
    code: SpanStatusCode.ERROR,
    message: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
  });
}

/**
 * Runs `fn` inside a new span made active (so NATS requests made in it carry it in their
 * headers), ends the span when `fn` settles, and records a thrown error on it.
 */
export async function withSpan<T>(
  name: string,
  start: SpanStart,
  fn: (span: Span) => Promise<T>,
): Promise<T> {
  const span = startSpan(name, start);
  const active = trace.setSpan(start.parent ?? otelContext.active(), span);
  try {
    const result = await otelContext.with(active, () => fn(span));
    span.end();
    return result;
  } catch (error) {
    endSpan(span, error);
    throw error;
  }
}

/** The context in which `span` is the active span, built on `parent` (default: the active one). */
export function contextWithSpan(span: Span, parent: Context = otelContext.active()): Context {
  return trace.setSpan(parent, span);
}

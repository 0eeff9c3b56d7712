import { context, diag, DiagLogLevel, propagation, trace, type DiagLogger } from '@opentelemetry/api';
import { AsyncLocalStorageContextManager } from '@opentelemetry/context-async-hooks';
import { CompositePropagator, W3CBaggagePropagator, W3CTraceContextPropagator } from '@opentelemetry/core';
import type { SpanExporter } from '@opentelemetry/sdk-trace';
import { TelemetryConfigError } from './errors.js';

export interface TelemetryOptions {
  /** The program: `orderer`, `peer`, `subsidies`, … (`OTEL_SERVICE_NAME` wins). */
  readonly serviceName: string;
  /**
   * The organisation that runs this instance (`service.namespace`): RVO's and Utrecht's
   * subsidies services are two services, run by two authorities, with one program.
   */
  readonly serviceNamespace?: string;
  /** This instance: node id, peer id, `<domain>@<mspId>` (`service.instance.id`). */
  readonly instanceId?: string;
  /** Environment to read (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** An exporter to use instead of OTLP/HTTP (in-process tests). */
  readonly exporter?: SpanExporter;
}

export interface Telemetry {
  /** Where spans go: the OTLP/HTTP traces URL, `custom` for an injected exporter, or null (none). */
  readonly exportingTo: string | null;
  /** Sends the spans still queued (bounded by `timeoutMs`). */
  flush(timeoutMs?: number): Promise<void>;
  /** Flushes and stops exporting (bounded by `timeoutMs`); idempotent. */
  shutdown(timeoutMs?: number): Promise<void>;
}

/** Defaults of the batch processor: small delays suit a development mesh and tests. */
const SCHEDULE_DELAY_MS_DEFAULT = 1_000;
const QUEUE_SPANS_MAX = 4_096;
const EXPORT_BATCH_SPANS_MAX = 512;
const EXPORT_TIMEOUT_MS = 10_000;
const SHUTDOWN_TIMEOUT_MS = 3_000;

let installed: Promise<Telemetry> | null = null;
let current: Telemetry | null = null;

/**
 * Sets up OpenTelemetry for this process, once (later calls return the first set-up):
 *
 * - always: the AsyncLocalStorage context manager and the W3C `traceparent`/`tracestate` and
 *   `baggage` propagators, so trace context flows through HTTP headers and NATS headers
 *   (libs/messaging) even when this process records nothing itself;
 * - when `OTEL_EXPORTER_OTLP_ENDPOINT` (or `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: a
 *   tracer provider whose spans go over OTLP/HTTP (JSON) through a batch processor
 *   (`OTEL_BSP_SCHEDULE_DELAY` ms, default 1000); the sampler is parent-based, always on for
 *   new traces unless `OTEL_TRACES_SAMPLER_ARG` gives a ratio; `OTEL_SDK_DISABLED=true` or
 *   `OTEL_TRACES_EXPORTER=none` turn exporting off.
 *
 * The resource says `service.name` (`OTEL_SERVICE_NAME` wins), `service.namespace` (the
 * organisation), `service.instance.id`, plus `OTEL_RESOURCE_ATTRIBUTES`.
 */
export function initTelemetry(options: TelemetryOptions): Promise<Telemetry> {
  installed ??= setUp(options);
  return installed;
}

async function setUp(options: TelemetryOptions): Promise<Telemetry> {
  const env = options.env ?? process.env;
  const settings = readTelemetrySettings(env);
  context.setGlobalContextManager(new AsyncLocalStorageContextManager().enable());
  propagation.setGlobalPropagator(
    new CompositePropagator({
      propagators: [new W3CTraceContextPropagator(), new W3CBaggagePropagator()],
    }),
  );
  if ((options.exporter === undefined && settings.endpoint === null) || settings.disabled) {
    current = { exportingTo: null, flush: async () => undefined, shutdown: async () => undefined };
    return current;
  }
  // The SDK and the exporter (with the OTLP transformer) are loaded only when spans are
  // exported: about 15 MB of heap per process that a mesh of 16 programs does not need otherwise.
  const [{ OTLPTraceExporter }, resources, sdk] = await Promise.all([
    import('@opentelemetry/exporter-trace-otlp-http'),
    import('@opentelemetry/resources'),
    import('@opentelemetry/sdk-trace'),
  ]);
  const exporter = options.exporter ?? new OTLPTraceExporter({ url: settings.endpoint as string });
  diag.setLogger(stderrDiag, { logLevel: DiagLogLevel.ERROR });
  const resource = resources
    .resourceFromAttributes({
      'service.name': options.serviceName,
      ...(options.serviceNamespace ? { 'service.namespace': options.serviceNamespace } : {}),
      ...(options.instanceId ? { 'service.instance.id': options.instanceId } : {}),
    })
    .merge(resources.detectResources({ detectors: [resources.envDetector] }));
  const provider = new sdk.TracerProvider({
    resource,
    sampler: new sdk.ParentBasedSampler({
      root:
        settings.sampleRatio >= 1
          ? new sdk.AlwaysOnSampler()
          : new sdk.TraceIdRatioBasedSampler(settings.sampleRatio),
    }),
    spanProcessors: [
      new sdk.BatchSpanProcessor({
        exporter,
        scheduledDelayMillis: settings.scheduleDelayMs,
        maxQueueSize: QUEUE_SPANS_MAX,
        maxExportBatchSize: EXPORT_BATCH_SPANS_MAX,
        exportTimeoutMillis: EXPORT_TIMEOUT_MS,
      }),
    ],
  });
  trace.setGlobalTracerProvider(provider);
  let stopped: Promise<void> | null = null;
  current = {
    exportingTo: options.exporter ? 'custom' : settings.endpoint,
    flush: (timeoutMs = SHUTDOWN_TIMEOUT_MS) => bounded(provider.forceFlush(), timeoutMs),
    shutdown: (timeoutMs = SHUTDOWN_TIMEOUT_MS) => (stopped ??= bounded(provider.shutdown(), timeoutMs)),
  };
  return current;
}

/** The set-up of this process, if any (for shutdown paths far from the program's start). */
export function installedTelemetry(): Telemetry | null {
  return current;
}

/** Flushes and stops the process's telemetry, if set up; never throws, bounded in time. */
export async function shutdownTelemetry(timeoutMs = SHUTDOWN_TIMEOUT_MS): Promise<void> {
  await (await installed)?.shutdown(timeoutMs);
}

export interface TelemetrySettings {
  /** The OTLP/HTTP traces URL, or null. */
  readonly endpoint: string | null;
  readonly disabled: boolean;
  readonly scheduleDelayMs: number;
  /** Share of new traces sampled (children follow their parent's decision). */
  readonly sampleRatio: number;
}

export function readTelemetrySettings(env: Readonly<Record<string, string | undefined>>): TelemetrySettings {
  const text = (name: string) => {
    const value = env[name]?.trim();
    return value ? value : undefined;
  };
  const problems: string[] = [];
  // The signal's own variable is the full URL; the general one is a base to which /v1/traces is added.
  const tracesUrl = text('OTEL_EXPORTER_OTLP_TRACES_ENDPOINT');
  const baseUrl = text('OTEL_EXPORTER_OTLP_ENDPOINT');
  const endpoint = tracesUrl ?? (baseUrl === undefined ? null : `${baseUrl.replace(/\/+$/, '')}/v1/traces`);
  for (const [name, url] of [
    ['OTEL_EXPORTER_OTLP_TRACES_ENDPOINT', tracesUrl],
    ['OTEL_EXPORTER_OTLP_ENDPOINT', baseUrl],
  ] as const) {
    if (url !== undefined && !/^https?:\/\/[^\s/]+/.test(url))
      problems.push(`${name} must be an http(s) URL, got ${JSON.stringify(url)}`);
  }
  const delay = text('OTEL_BSP_SCHEDULE_DELAY');
  const scheduleDelayMs = delay === undefined ? SCHEDULE_DELAY_MS_DEFAULT : Number(delay);
  if (!Number.isSafeInteger(scheduleDelayMs) || scheduleDelayMs < 10 || scheduleDelayMs > 60_000)
    problems.push(`OTEL_BSP_SCHEDULE_DELAY must be milliseconds in 10..60000, got ${JSON.stringify(delay)}`);
  const ratioText = text('OTEL_TRACES_SAMPLER_ARG');
  const ratio = ratioText === undefined ? 1 : Number(ratioText);
  if (!(ratio >= 0 && ratio <= 1))
    problems.push(`OTEL_TRACES_SAMPLER_ARG must be a ratio in 0..1, got ${JSON.stringify(ratioText)}`);
  if (problems.length > 0) throw new TelemetryConfigError(problems);
  return {
    endpoint,
    disabled: text('OTEL_SDK_DISABLED') === 'true' || text('OTEL_TRACES_EXPORTER') === 'none',
    scheduleDelayMs,
    sampleRatio: ratio,
  };
}

function bounded(work: Promise<void>, timeoutMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, timeoutMs);
    timer.unref();
  });
  return Promise.race([work.catch(() => undefined), timeout]).finally(() => clearTimeout(timer));
}

/** Export failures (collector down) are said once per failure on stderr, never thrown. */
const stderrDiag: DiagLogger = {
  error: (message, ...args) => void process.stderr.write(`otel: ${message} ${args.map(String).join(' ')}\n`),
  warn: () => undefined,
  info: () => undefined,
  debug: () => undefined,
  verbose: () => undefined,
};

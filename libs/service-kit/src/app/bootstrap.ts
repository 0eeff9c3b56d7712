/**
 * Builds and runs a domain service's NestJS application on fastify: body limit (413 beyond),
 * one error shape for route errors and for errors before a route runs (Nest's fastify adapter
 * hands body-limit and JSON errors to the exception filters as HttpExceptions), HTTP metrics, graceful
 * shutdown on SIGTERM/SIGINT (Nest's shutdown hooks: queued work flushed, gateway closed, NATS
 * drained), listen and announce the URL. `runMain` turns a start function into a program:
 * configuration errors exit 2 with every problem listed, other start failures exit 1.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import type { DynamicModule } from '@nestjs/common';
import type { Logger } from 'pino';
import { traceHttpServer } from '@civic/telemetry';
import { initTelemetry, installedTelemetry, TelemetryConfigError } from '@civic/telemetry/sdk';
import { ServiceConfigError } from '../config/env-reader.js';
import type { ServiceEnv } from '../config/service-env.js';
import type { ErrorMapping } from '../http/error-mapping.js';
import { ErrorFilter } from '../http/error.filter.js';
import type { ServiceMetrics } from '../observability/metrics.js';

export interface CreateServiceAppOptions {
  readonly config: ServiceEnv;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
  readonly errors: ErrorMapping;
  /** Install SIGTERM/SIGINT handlers (default true; tests running several apps turn it off). */
  readonly shutdownHooks?: boolean;
}

interface FastifyLike {
  addHook(
    name: 'onResponse',
    hook: (request: FastifyRequestLike, reply: { statusCode: number; elapsedTime: number }) => Promise<void>,
  ): void;
}

interface FastifyRequestLike {
  method: string;
  routeOptions?: { url?: string };
}

export async function createServiceApp(
  module: DynamicModule,
  options: CreateServiceAppOptions,
): Promise<NestFastifyApplication> {
  const { config, logger, metrics, errors } = options;
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(module, adapter, {
    logger: false,
    abortOnError: false,
  });
  app.useGlobalFilters(new ErrorFilter(errors, logger, config.service));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyLike;
  fastify.addHook('onResponse', async (request, reply) => {
    // The route pattern, never the raw URL: paths carry card numbers and plates.
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  // One server span per request, continuing the caller's traceparent (docs/telemetry.md); the
  // spans still queued are sent when the app closes.
  traceHttpServer(fastify, { service: config.service });
  (fastify as unknown as { addHook(name: 'onClose', hook: () => Promise<void>): void }).addHook(
    'onClose',
    async () => installedTelemetry()?.flush(),
  );
  if (options.shutdownHooks !== false) app.enableShutdownHooks(['SIGTERM', 'SIGINT']);
  await app.init();
  return app;
}

/** Listens on the configured host and port and logs the URL; returns it. */
export async function listenService(
  app: NestFastifyApplication,
  config: ServiceEnv,
  logger: Logger,
  details: Record<string, unknown> = {},
): Promise<string> {
  await app.listen({ port: config.httpPort, host: config.httpHost });
  const url = await app.getUrl();
  logger.info(
    { url, peer: config.peerId, identity: config.identity, ...details },
    `${config.service} service listening`,
  );
  return url;
}

/**
 * Runs a program's start function: OpenTelemetry set up first (`OTEL_EXPORTER_OTLP_ENDPOINT`,
 * docs/telemetry.md; the organisation in `ORG` is the service namespace), exit 2 on a
 * configuration error, 1 on another failure.
 */
export function runMain(service: string, start: () => Promise<void>): void {
  const run = async () => {
    const org = process.env['ORG'];
    await initTelemetry({
      serviceName: service,
      ...(org ? { serviceNamespace: org, instanceId: `${service}@${org}` } : {}),
    });
    await start();
  };
  run().catch((error: unknown) => {
    if (error instanceof ServiceConfigError || error instanceof TelemetryConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(
      `${service} service failed to start: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(1);
  });
}

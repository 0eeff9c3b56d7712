/**
 * Builds the subsidies application (NestJS on fastify) from its settings: used by main.ts and by
 * the tests, which run several organisations' instances in one process.
 */
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { loadNetwork, loadSigner } from '@civic/identity';
import type { Signer } from '@civic/protocol';
import { SubsidiesModule, type SubsidiesModuleOptions } from './app.module.js';
import type { ServiceConfig } from './config/service-config.js';
import { ErrorFilter } from './http/error.filter.js';
import { createServiceLogger, type Logger } from './observability/logger.js';
import { SubsidiesMetrics } from './observability/metrics.js';
import { MemoryPrivateStore, PgPrivateStore, type PrivateStore } from './private/private-store.js';

export interface CreateAppOptions {
  readonly config: ServiceConfig;
  /** Default: the identity `config.identity` from the network folder. */
  readonly signer?: Signer;
  readonly logger?: Logger;
  readonly clock?: () => number;
  readonly privateStore?: PrivateStore;
  readonly gatewayBounds?: SubsidiesModuleOptions['gatewayBounds'];
}

export interface SubsidiesApp {
  readonly app: NestFastifyApplication;
  readonly config: ServiceConfig;
  readonly logger: Logger;
  readonly metrics: SubsidiesMetrics;
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

export async function createSubsidiesApp(options: CreateAppOptions): Promise<SubsidiesApp> {
  const { config } = options;
  const network = loadNetwork(config.networkDir);
  const signer = options.signer ?? loadSigner(network, config.identity);
  if (signer.mspId !== config.mspId) {
    throw new Error(`identity ${config.identity} belongs to ${signer.mspId}, not ORG=${config.mspId}`);
  }
  const logger =
    options.logger ??
    createServiceLogger({ mspId: config.mspId, channel: config.channel, level: config.logLevel });
  const metrics = new SubsidiesMetrics({ mspId: config.mspId, channel: config.channel });
  const privateStore =
    options.privateStore ??
    (config.databaseUrl
      ? await PgPrivateStore.open(config.databaseUrl, config.mspId)
      : new MemoryPrivateStore());
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, logger: false });
  const app = await NestFactory.create<NestFastifyApplication>(
    SubsidiesModule.forRoot({
      config,
      signer,
      natsUrl: config.natsUrl ?? network.nats.url,
      logger,
      metrics,
      privateStore,
      clock: options.clock ?? Date.now,
      ...(options.gatewayBounds ? { gatewayBounds: options.gatewayBounds } : {}),
    }),
    adapter,
    { logger: false, abortOnError: false },
  );
  // Also gets fastify's own errors (body too large, bad JSON), through Nest's error handler.
  app.useGlobalFilters(new ErrorFilter(logger));
  const fastify = app.getHttpAdapter().getInstance() as unknown as FastifyLike;
  fastify.addHook('onResponse', async (request, reply) => {
    const route = request.routeOptions?.url ?? 'unmatched';
    metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
    metrics.httpSeconds.observe({ method: request.method, route }, reply.elapsedTime / 1000);
  });
  app.enableShutdownHooks();
  await app.init();
  return { app, config, logger, metrics };
}

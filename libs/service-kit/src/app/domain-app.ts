/**
 * The application of one domain service for one organisation, as every service builds it: the
 * organisation's identity from the network folder (checked against ORG), its logger, metrics
 * and private store (PostgreSQL at DATABASE_URL, else memory), NATS and the Gateway serving the
 * service's endorsements, the service's own controllers and providers, and the fastify app with
 * the service's error table. main.ts gives only the settings; tests replace the rest (a signer,
 * a quiet logger, a shared private-store database, short gateway bounds, no signal handlers).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayBounds } from '@civic/gateway';
import { loadNetwork, loadSigner } from '@civic/identity';
import type { Signer } from '@civic/protocol';
import type { Logger } from 'pino';
import type { ServiceEnv } from '../config/service-env.js';
import type { ErrorMapping } from '../http/error-mapping.js';
import { createServiceLogger } from '../observability/logger.js';
import type { ServiceMetrics } from '../observability/metrics.js';
import { openPrivateStore } from '../private/pg-private-store.js';
import type { PrivateStore } from '../private/private-store.js';
import { createServiceApp } from './bootstrap.js';
import {
  DomainServiceModule,
  type DomainServiceOptions,
  type LedgerOptions,
} from './domain-service.module.js';

/** What a service's app factory takes: the settings, and replacements for tests. */
export interface DomainAppOptions<C extends ServiceEnv = ServiceEnv> {
  readonly config: C;
  /** Default: the identity `config.identity` from the network folder. */
  readonly signer?: Signer;
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Default: PostgreSQL at config.databaseUrl, else memory. */
  readonly privateStore?: PrivateStore;
  /** Gateway bounds (tests shorten them). */
  readonly gatewayBounds?: Partial<GatewayBounds>;
  /** Install SIGTERM/SIGINT handlers (default true; off when tests run several instances). */
  readonly shutdownHooks?: boolean;
}

/** What the kit set up for the service, handed to the service's part of the module. */
export interface DomainAppBase<C extends ServiceEnv, M extends ServiceMetrics> {
  readonly config: C;
  readonly signer: Signer;
  readonly logger: Logger;
  readonly metrics: M;
  readonly privateStore: PrivateStore;
}

export interface DomainApp<C extends ServiceEnv, M extends ServiceMetrics> extends DomainAppBase<C, M> {
  readonly app: NestFastifyApplication;
}

/** What differs between services. */
export interface DomainAppSpec<C extends ServiceEnv, M extends ServiceMetrics> {
  /** The private store's table (PostgreSQL): one per service. */
  readonly privateTable: string;
  readonly metrics: (config: C) => M;
  /** Served at /openapi.json. */
  readonly openApi: unknown;
  /** The logic this organisation's endorser runs per (namespace, action). */
  readonly logicFor: LedgerOptions['logicFor'];
  /** The service's error table (createErrorMapping). */
  readonly errors: ErrorMapping;
  /** The service's controllers, providers and readiness checks. */
  readonly module: (
    base: DomainAppBase<C, M>,
  ) => Pick<DomainServiceOptions, 'controllers' | 'providers' | 'imports' | 'readiness'>;
}

export async function createDomainApp<C extends ServiceEnv, M extends ServiceMetrics>(
  options: DomainAppOptions<C>,
  spec: DomainAppSpec<C, M>,
): Promise<DomainApp<C, M>> {
  const { config } = options;
  const network = loadNetwork(config.networkDir);
  const signer = options.signer ?? loadSigner(network, config.identity);
  if (signer.mspId !== config.mspId) {
    throw new Error(`identity ${config.identity} belongs to ${signer.mspId}, not ORG=${config.mspId}`);
  }
  const logger =
    options.logger ??
    createServiceLogger({
      service: config.service,
      mspId: config.mspId,
      channel: config.channel,
      level: config.logLevel,
    });
  const metrics = spec.metrics(config);
  const privateStore =
    options.privateStore ??
    (await openPrivateStore({ url: config.databaseUrl, mspId: config.mspId, table: spec.privateTable }));
  const base: DomainAppBase<C, M> = { config, signer, logger, metrics, privateStore };
  const module = DomainServiceModule.forRoot({
    config,
    logger,
    metrics,
    privateStore,
    clock: options.clock ?? Date.now,
    openApi: spec.openApi,
    ledger: {
      natsUrl: config.natsUrl ?? network.nats.url,
      signer,
      ...(spec.logicFor ? { logicFor: spec.logicFor } : {}),
      ...(options.gatewayBounds ? { bounds: options.gatewayBounds } : {}),
    },
    ...spec.module(base),
  });
  const app = await createServiceApp(module, {
    config,
    logger,
    metrics,
    errors: spec.errors,
    ...(options.shutdownHooks === undefined ? {} : { shutdownHooks: options.shutdownHooks }),
  });
  return { ...base, app };
}

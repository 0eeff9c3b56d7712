/**
 * Builds the subsidies application on the service kit: its controllers and service layer, the
 * organisation's Gateway serving the `subsidies` endorsements, the domain's error table and the
 * OpenAPI document. Used by main.ts and by the tests (several organisations in one process).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayBounds } from '@civic/gateway';
import { loadNetwork, loadSigner } from '@civic/identity';
import type { Signer } from '@civic/protocol';
import {
  createServiceApp,
  createServiceLogger,
  DomainServiceModule,
  openPrivateStore,
  ServiceMetrics,
  type Logger,
  type PrivateStore,
} from '@civic/service-kit';
import { SchemesController } from './api/schemes.controller.js';
import { SubsidiesService } from './api/subsidies.service.js';
import { UndertakingsController } from './api/undertakings.controller.js';
import { SUBSIDIES_SERVICE, type SubsidiesConfig } from './config.js';
import { subsidiesErrors } from './http/errors.js';
import { openApiDocument } from './http/openapi.js';
import { subsidiesLogicFor } from './ledger/endorsement-logic.js';

export interface CreateAppOptions {
  readonly config: SubsidiesConfig;
  /** Default: the identity `config.identity` from the network folder. */
  readonly signer?: Signer;
  readonly logger?: Logger;
  readonly clock?: () => number;
  readonly privateStore?: PrivateStore;
  /** Gateway bounds (tests shorten them). */
  readonly gatewayBounds?: Partial<GatewayBounds>;
  /** Install SIGTERM/SIGINT handlers (default true; off when tests run several instances). */
  readonly shutdownHooks?: boolean;
}

export interface SubsidiesApp {
  readonly app: NestFastifyApplication;
  readonly config: SubsidiesConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/** The private store's table: one per service. */
export const PRIVATE_TABLE = 'subsidies_private';

export async function createSubsidiesApp(options: CreateAppOptions): Promise<SubsidiesApp> {
  const { config } = options;
  const network = loadNetwork(config.networkDir);
  const signer = options.signer ?? loadSigner(network, config.identity);
  if (signer.mspId !== config.mspId) {
    throw new Error(`identity ${config.identity} belongs to ${signer.mspId}, not ORG=${config.mspId}`);
  }
  const logger =
    options.logger ??
    createServiceLogger({
      service: SUBSIDIES_SERVICE,
      mspId: config.mspId,
      channel: config.channel,
      level: config.logLevel,
    });
  const metrics = new ServiceMetrics({
    service: SUBSIDIES_SERVICE,
    mspId: config.mspId,
    channel: config.channel,
  });
  const privateStore =
    options.privateStore ??
    (await openPrivateStore({ url: config.databaseUrl, mspId: config.mspId, table: PRIVATE_TABLE }));
  const module = DomainServiceModule.forRoot({
    config,
    logger,
    metrics,
    privateStore,
    clock: options.clock ?? Date.now,
    openApi: openApiDocument,
    ledger: {
      natsUrl: config.natsUrl ?? network.nats.url,
      signer,
      logicFor: subsidiesLogicFor,
      ...(options.gatewayBounds ? { bounds: options.gatewayBounds } : {}),
    },
    controllers: [SchemesController, UndertakingsController],
    providers: [SubsidiesService],
  });
  const app = await createServiceApp(module, {
    config,
    logger,
    metrics,
    errors: subsidiesErrors,
    ...(options.shutdownHooks === undefined ? {} : { shutdownHooks: options.shutdownHooks }),
  });
  return { app, config, logger, metrics };
}

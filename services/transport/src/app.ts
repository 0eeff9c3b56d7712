/**
 * Builds the transport application for one organisation on the service kit (`createDomainApp`):
 * used by main.ts and by the tests, which run several organisations' instances in one process.
 * Every instance has the same routes; what it offers depends on its organisation's kind (RDW, a
 * company, ILT or the police), and only a company's instance answers record requests on NATS.
 */
import { NATS_CONNECTION } from '@civic/messaging';
import {
  CLOCK,
  createDomainApp,
  SERVICE_CONFIG,
  type DomainAppOptions,
  type Logger,
} from '@civic/service-kit';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { AccessLogService } from './access/access-log.service.js';
import { CardsController } from './api/cards.controller.js';
import { CardsService } from './api/cards.service.js';
import { ChainViewsService } from './api/chain-views.service.js';
import { DriversController } from './api/drivers.controller.js';
import { InspectionsController } from './api/inspections.controller.js';
import { InspectionsService } from './api/inspections.service.js';
import { RecordsService } from './api/records.service.js';
import { PrincipalGuard } from './auth/principal.js';
import type { TransportConfig } from './config/transport-config.js';
import { orgKindOf, transportLogicFor } from './domain/index.js';
import { openApiDocument } from './http/openapi.js';
import { transportErrorMapping } from './http/transport-errors.js';
import { TransportLedger } from './ledger/transport-ledger.js';
import { TransportMetrics } from './observability/metrics.js';
import { RecordsStore } from './private/records-store.js';
import { CompanyRecords } from './records/company-records.js';
import { ShareClient } from './sharing/share-client.js';
import { ShareResponder } from './sharing/share-responder.service.js';
import { SHARE_CLIENT, SIGNER } from './tokens.js';

/** The settings, and replacements for tests (signer, logger, clock, private store, bounds…). */
export type CreateTransportAppOptions = DomainAppOptions<TransportConfig>;

export interface TransportApp {
  readonly app: NestFastifyApplication;
  readonly config: TransportConfig;
  readonly logger: Logger;
  readonly metrics: TransportMetrics;
  readonly accessLog: AccessLogService;
}

export async function createTransportApp(options: CreateTransportAppOptions): Promise<TransportApp> {
  const { app, config, logger, metrics } = await createDomainApp(options, {
    privateTable: 'transport_private',
    metrics: (config) => new TransportMetrics(config),
    openApi: openApiDocument,
    logicFor: transportLogicFor,
    errors: transportErrorMapping(),
    module: ({ signer, privateStore }) => ({
      controllers: [CardsController, DriversController, InspectionsController],
      providers: [
        { provide: SIGNER, useValue: signer },
        { provide: RecordsStore, useValue: new RecordsStore(privateStore) },
        {
          provide: SHARE_CLIENT,
          useFactory: (nc: NatsConnection, cfg: TransportConfig, clock: () => number) =>
            new ShareClient({ nc, channel: cfg.channel, signer, settings: cfg.sharing, clock }),
          inject: [NATS_CONNECTION, SERVICE_CONFIG, CLOCK],
        },
        TransportLedger,
        AccessLogService,
        CompanyRecords,
        ShareResponder,
        PrincipalGuard,
        RecordsService,
        ChainViewsService,
        CardsService,
        InspectionsService,
      ],
    }),
  });
  return { app, config, logger, metrics, accessLog: app.get(AccessLogService) };
}

/** What this instance does, for the start-up line. */
export function roleOf(mspId: string): string {
  return {
    'card-authority': 'driver-card register (issues cards)',
    inspectorate: 'inspectorate (fetches records, records checks)',
    company: 'transport company (uploads records, serves them to inspectors, logs each access)',
  }[orgKindOf(mspId)];
}

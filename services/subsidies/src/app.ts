/**
 * Builds the subsidies application on the service kit (`createDomainApp`): its controllers and
 * service layer, the organisation's Gateway serving the `subsidies` endorsements, the domain's
 * error table and the OpenAPI document. Used by main.ts and by the tests (several organisations
 * in one process).
 */
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createDomainApp, ServiceMetrics, type DomainAppOptions, type Logger } from '@civic/service-kit';
import { SchemesController } from './api/schemes.controller.js';
import { SubsidiesService } from './api/subsidies.service.js';
import { UndertakingsController } from './api/undertakings.controller.js';
import type { SubsidiesConfig } from './config.js';
import { subsidiesErrors } from './http/errors.js';
import { openApiDocument } from './http/openapi.js';
import { subsidiesLogicFor } from './ledger/endorsement-logic.js';

/** The settings, and replacements for tests (signer, logger, clock, private store, bounds…). */
export type CreateAppOptions = DomainAppOptions<SubsidiesConfig>;

export interface SubsidiesApp {
  readonly app: NestFastifyApplication;
  readonly config: SubsidiesConfig;
  readonly logger: Logger;
  readonly metrics: ServiceMetrics;
}

/** The private store's table: one per service. */
export const PRIVATE_TABLE = 'subsidies_private';

export async function createSubsidiesApp(options: CreateAppOptions): Promise<SubsidiesApp> {
  const { app, config, logger, metrics } = await createDomainApp(options, {
    privateTable: PRIVATE_TABLE,
    metrics: (config) => new ServiceMetrics(config),
    openApi: openApiDocument,
    logicFor: subsidiesLogicFor,
    errors: subsidiesErrors,
    module: () => ({
      controllers: [SchemesController, UndertakingsController],
      providers: [SubsidiesService],
    }),
  });
  return { app, config, logger, metrics };
}

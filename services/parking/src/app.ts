/**
 * Builds the parking application for one organisation on the service kit (`createDomainApp`):
 * used by main.ts and by the tests, which run several organisations' instances in one process.
 */
import { NATS_CONNECTION } from '@civic/messaging';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { Gateway } from '@civic/gateway';
import { createDomainApp, GATEWAY, METRICS, type DomainAppOptions, type Logger } from '@civic/service-kit';
import { AssessmentsController } from './api/assessments.controller.js';
import { AssessmentsService } from './api/assessments.service.js';
import { CardsController } from './api/cards.controller.js';
import { HolderViewService } from './api/holder-view.service.js';
import { HoldersController } from './api/holders.controller.js';
import { HoldersService } from './api/holders.service.js';
import { IssuanceService } from './api/issuance.service.js';
import { CheckLogService } from './checks/check-log.service.js';
import { ChecksController } from './checks/checks.controller.js';
import { RoadsideChecks } from './checks/roadside-checks.service.js';
import type { ParkingConfig } from './config/parking-config.js';
import { AssessorErasureService } from './erasure/assessor-erasure.service.js';
import { openApiDocument } from './http/openapi.js';
import { parkingErrorMapping } from './http/parking-errors.js';
import { parkingLogicFor } from './ledger/parking-logic.js';
import { ParkingLedger } from './ledger/parking-ledger.js';
import { natsProofSource, RecordProofs, type ProofSource } from './ledger/record-proofs.js';
import { ParkingMetrics } from './observability/metrics.js';
import { ParkingPrivateStore } from './private/parking-private-store.js';
import { PARKING_PRIVATE, PROOF_SOURCE, RECORD_PROOFS, SIGNER } from './tokens.js';

export interface CreateParkingAppOptions extends DomainAppOptions<ParkingConfig> {
  /** Default: the peer's `proof` query over NATS. */
  readonly proofSource?: ProofSource;
}

export interface ParkingApp {
  readonly app: NestFastifyApplication;
  readonly config: ParkingConfig;
  readonly logger: Logger;
  readonly metrics: ParkingMetrics;
  readonly privateStore: ParkingPrivateStore;
  readonly checkLog: CheckLogService;
  readonly erasure: AssessorErasureService;
}

export async function createParkingApp(options: CreateParkingAppOptions): Promise<ParkingApp> {
  let erasure: AssessorErasureService | null = null;
  const { app, config, logger, metrics } = await createDomainApp(options, {
    privateTable: 'parking_private',
    metrics: (config) => new ParkingMetrics(config),
    openApi: openApiDocument,
    logicFor: parkingLogicFor,
    errors: parkingErrorMapping(),
    module: ({ config, signer, privateStore: kitStore }) => ({
      readiness: [
        {
          name: 'erasureConsumer',
          check: async () => {
            const state = erasure?.state ?? 'starting';
            if (state === 'starting') throw new Error('the holder.erased consumer is not running yet');
            return state;
          },
        },
      ],
      controllers: [HoldersController, CardsController, AssessmentsController, ChecksController],
      providers: [
        { provide: SIGNER, useValue: signer },
        { provide: PARKING_PRIVATE, useValue: new ParkingPrivateStore(kitStore) },
        {
          provide: PROOF_SOURCE,
          useFactory: (nc: NatsConnection): ProofSource =>
            options.proofSource ?? natsProofSource(nc, config.channel, config.peerId),
          inject: [NATS_CONNECTION],
        },
        {
          provide: RECORD_PROOFS,
          useFactory: (gateway: Gateway, source: ProofSource, m: ParkingMetrics) =>
            new RecordProofs(gateway.peer, source, (hit) =>
              m.proofCache.inc({ result: hit ? 'hit' : 'miss' }),
            ),
          inject: [GATEWAY, PROOF_SOURCE, METRICS],
        },
        ParkingLedger,
        HoldersService,
        HolderViewService,
        IssuanceService,
        AssessmentsService,
        CheckLogService,
        RoadsideChecks,
        AssessorErasureService,
      ],
    }),
  });
  const erasureService = app.get(AssessorErasureService);
  erasure = erasureService;
  return {
    app,
    config,
    logger,
    metrics,
    privateStore: app.get<ParkingPrivateStore>(PARKING_PRIVATE),
    checkLog: app.get(CheckLogService),
    erasure: erasureService,
  };
}

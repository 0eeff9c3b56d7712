/**
 * Builds the parking application for one organisation on the service kit: used by main.ts and by
 * the tests, which run several organisations' instances in one process.
 */
import { loadNetwork, loadSigner } from '@civic/identity';
import { NATS_CONNECTION } from '@civic/messaging';
import type { Signer } from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { GatewayBounds } from '@civic/gateway';
import {
  createServiceApp,
  createServiceLogger,
  DomainServiceModule,
  GATEWAY,
  METRICS,
  openPrivateStore,
  type Logger,
  type PrivateStore,
} from '@civic/service-kit';
import type { Gateway } from '@civic/gateway';
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

export interface CreateParkingAppOptions {
  readonly config: ParkingConfig;
  /** Default: the identity `config.identity` from the network folder. */
  readonly signer?: Signer;
  readonly logger?: Logger;
  readonly clock?: () => number;
  /** Default: PostgreSQL at config.databaseUrl, else memory. */
  readonly privateStore?: PrivateStore;
  readonly gatewayBounds?: Partial<GatewayBounds>;
  /** Default: the peer's `proof` query over NATS. */
  readonly proofSource?: ProofSource;
  /** Install SIGTERM/SIGINT handlers (default true). */
  readonly shutdownHooks?: boolean;
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
  const { config } = options;
  const network = loadNetwork(config.networkDir);
  const signer = options.signer ?? loadSigner(network, config.identity);
  if (signer.mspId !== config.mspId) {
    throw new Error(`identity ${config.identity} belongs to ${signer.mspId}, not ORG=${config.mspId}`);
  }
  const logger =
    options.logger ??
    createServiceLogger({
      service: 'parking',
      mspId: config.mspId,
      channel: config.channel,
      level: config.logLevel,
    });
  const metrics = new ParkingMetrics({ mspId: config.mspId, channel: config.channel });
  const kitStore =
    options.privateStore ??
    (await openPrivateStore({ url: config.databaseUrl, mspId: config.mspId, table: 'parking_private' }));
  const privateStore = new ParkingPrivateStore(kitStore);
  const erasureState = { service: null as AssessorErasureService | null };
  const module = DomainServiceModule.forRoot({
    config,
    logger,
    metrics,
    privateStore: kitStore,
    clock: options.clock ?? Date.now,
    openApi: openApiDocument,
    ledger: {
      natsUrl: config.natsUrl ?? network.nats.url,
      signer,
      logicFor: parkingLogicFor,
      ...(options.gatewayBounds ? { bounds: options.gatewayBounds } : {}),
    },
    readiness: [
      {
        name: 'erasureConsumer',
        check: async () => {
          const state = erasureState.service?.state ?? 'starting';
          if (state === 'starting') throw new Error('the holder.erased consumer is not running yet');
          return state;
        },
      },
    ],
    controllers: [HoldersController, CardsController, AssessmentsController, ChecksController],
    providers: [
      { provide: SIGNER, useValue: signer },
      { provide: PARKING_PRIVATE, useValue: privateStore },
      {
        provide: PROOF_SOURCE,
        useFactory: (nc: NatsConnection): ProofSource =>
          options.proofSource ?? natsProofSource(nc, config.channel, config.peerId),
        inject: [NATS_CONNECTION],
      },
      {
        provide: RECORD_PROOFS,
        useFactory: (gateway: Gateway, source: ProofSource, m: ParkingMetrics) =>
          new RecordProofs(gateway.peer, source, (hit) => m.proofCache.inc({ result: hit ? 'hit' : 'miss' })),
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
  });
  const app = await createServiceApp(module, {
    config,
    logger,
    metrics,
    errors: parkingErrorMapping(),
    ...(options.shutdownHooks === undefined ? {} : { shutdownHooks: options.shutdownHooks }),
  });
  const erasure = app.get(AssessorErasureService);
  erasureState.service = erasure;
  return {
    app,
    config,
    logger,
    metrics,
    privateStore,
    checkLog: app.get(CheckLogService),
    erasure,
  };
}

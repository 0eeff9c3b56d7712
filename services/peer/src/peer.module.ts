import { Module, type DynamicModule } from '@nestjs/common';
import { MessagingModule } from '@civic/messaging';
import { ReaderAccess } from './auth/reader-access.service.js';
import { ReadersGuard } from './auth/readers.guard.js';
import type { PeerConfig } from './config/peer-config.js';
import { HealthController } from './health/health.controller.js';
import type { PeerIdentity } from './identity/peer-identity.js';
import { BlockIntake } from './intake/block-intake.service.js';
import { CommitPublisher } from './intake/commit-publisher.service.js';
import { CommitWatch } from './intake/commit-watch.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import type { Logger } from './observability/logger.js';
import type { PeerMetrics } from './observability/metrics.js';
import { QueryController } from './query/query.controller.js';
import { QueryResponder } from './query/query-responder.service.js';
import { QueryService } from './query/query.service.js';
import { PeerRuntime } from './peer-runtime.service.js';
import { PeerStatus } from './status/peer-status.js';
import { PEER_CONFIG, PEER_IDENTITY, PEER_LOGGER, PEER_METRICS } from './tokens.js';

/** What the process made before Nest: settings, identity, logger, metrics. */
export interface PeerFoundation {
  readonly config: PeerConfig;
  readonly identity: PeerIdentity;
  readonly logger: Logger;
  readonly metrics: PeerMetrics;
}

/**
 * The peer application: one module, thin. Providers hold the logic (ledger, intake, publisher,
 * commit watch, queries); PeerRuntime starts and stops them in order; controllers are REST.
 */
@Module({})
export class PeerModule {
  static forRoot(foundation: PeerFoundation): DynamicModule {
    const { config, identity, logger, metrics } = foundation;
    return {
      module: PeerModule,
      imports: [
        MessagingModule.forRoot({ connection: { url: config.natsUrl, name: `peer-${config.peerId}` } }),
      ],
      controllers: [QueryController, HealthController],
      providers: [
        { provide: PEER_CONFIG, useValue: config },
        { provide: PEER_IDENTITY, useValue: identity },
        { provide: PEER_LOGGER, useValue: logger },
        { provide: PEER_METRICS, useValue: metrics },
        PeerStatus,
        LedgerService,
        CommitPublisher,
        CommitWatch,
        BlockIntake,
        QueryService,
        QueryResponder,
        ReaderAccess,
        ReadersGuard,
        PeerRuntime,
      ],
    };
  }
}

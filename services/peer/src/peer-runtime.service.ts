import {
  Inject,
  Injectable,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { JetStreamManager } from '@nats-io/jetstream';
import { channelStreamConfigs, ensureStream, JETSTREAM_MANAGER } from '@civic/messaging';
import type { PeerConfig } from './config/peer-config.js';
import { BlockIntake } from './intake/block-intake.service.js';
import { CommitPublisher } from './intake/commit-publisher.service.js';
import { CommitWatch } from './intake/commit-watch.service.js';
import { LedgerService } from './ledger/ledger.service.js';
import type { Logger } from './observability/logger.js';
import { QueryResponder } from './query/query-responder.service.js';
import { PeerPhase, PeerStatus } from './status/peer-status.js';
import { PEER_CONFIG, PEER_LOGGER } from './tokens.js';

const STREAM_NOT_FOUND = 10059;

/**
 * Starts the parts in order (store and audit, ledger, streams, publisher, commit watch, queries,
 * block intake) and stops them in reverse (intake first, so nothing is half committed; the
 * store last). Nest drains the NATS connection after this.
 */
@Injectable()
export class PeerRuntime implements OnApplicationBootstrap, BeforeApplicationShutdown {
  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_LOGGER) private readonly logger: Logger,
    @Inject(JETSTREAM_MANAGER) private readonly jsm: JetStreamManager,
    private readonly status: PeerStatus,
    private readonly ledgerService: LedgerService,
    private readonly publisher: CommitPublisher,
    private readonly watch: CommitWatch,
    private readonly queries: QueryResponder,
    private readonly intake: BlockIntake,
  ) {}

  /** Settles when the peer is up (the HTTP API answers meanwhile); rejects when it cannot start. */
  started: Promise<void> = Promise.resolve();
  /** Told when the peer cannot start (main exits the process; tests assert). */
  onFatal: ((error: unknown) => void) | undefined;

  onApplicationBootstrap(): void {
    // In the background: /healthz and /readyz answer during a long audit or catch-up.
    this.started = this.#start();
    this.started.catch((error: unknown) => {
      this.logger.fatal({ err: error }, `peer cannot start: ${(error as Error).message}`);
      this.onFatal?.(error);
    });
  }

  async #start(): Promise<void> {
    await this.ledgerService.open();
    await this.#createMissingStreams();
    await this.publisher.start();
    await this.watch.start();
    this.queries.start();
    this.intake.start();
    this.logger.info({ height: this.ledgerService.ledger.height }, 'peer started');
  }

  /**
   * Creates the channel's streams that do not exist yet, with the default settings, and leaves
   * existing ones alone: their settings are the orderers' operators' (limits, replicas), and a
   * peer that "corrected" them would fight with whoever set them.
   */
  async #createMissingStreams(): Promise<void> {
    const configs = channelStreamConfigs(this.config.channel);
    for (const wanted of [configs.blocks, configs.commits, configs.events]) {
      const exists = await this.jsm.streams.info(wanted.name).then(
        () => true,
        (error: unknown) => {
          // JetStream's "stream not found" (err_code 10059).
          if ((error as { code?: number }).code === STREAM_NOT_FOUND) return false;
          throw error;
        },
      );
      if (!exists) await ensureStream(this.jsm, wanted);
    }
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.started.catch(() => undefined);
    this.status.phase = PeerPhase.STOPPING;
    await this.intake.stop();
    await this.queries.stop();
    await this.watch.stop();
    await this.publisher.stop();
    await this.ledgerService.close();
    this.logger.info('peer stopped');
  }
}

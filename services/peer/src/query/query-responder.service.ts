import { Inject, Injectable } from '@nestjs/common';
import type { NatsConnection } from '@nats-io/nats-core';
import { NATS_CONNECTION, serveJson, subjects, type Subscriber } from '@civic/messaging';
import type { PeerConfig } from '../config/peer-config.js';
import type { Logger } from '../observability/logger.js';
import { PEER_CONFIG, PEER_LOGGER } from '../tokens.js';
import { QueryService } from './query.service.js';

/** Queries answered at once (the PostgreSQL pool has 4 connections; PGlite serialises anyway). */
const QUERY_CONCURRENCY_MAX = 16;
/** Queries waiting beyond which new ones are dropped (the requester times out). */
const QUERY_PENDING_MAX = 10_000;

/** Answers `civic.<channel>.query.<peerId>` with the same replies as the REST API (docs/peer.md). */
@Injectable()
export class QueryResponder {
  #subscriber: Subscriber | undefined;

  constructor(
    @Inject(PEER_CONFIG) private readonly config: PeerConfig,
    @Inject(PEER_LOGGER) private readonly logger: Logger,
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    private readonly queries: QueryService,
  ) {}

  start(): void {
    const subject = subjects(this.config.channel).query(this.config.peerId);
    this.#subscriber = serveJson<unknown, unknown>(
      this.nc,
      subject,
      {
        // Queries are independent reads: several at once keep a slow one from holding up the rest.
        concurrencyMax: QUERY_CONCURRENCY_MAX,
        pendingMax: QUERY_PENDING_MAX,
        onError: (error) => this.logger.warn({ err: error, subject }, 'query failed'),
      },
      async (request) => (await this.queries.run(request.data)).body,
    );
  }

  async stop(): Promise<void> {
    await this.#subscriber?.stop();
  }
}

/**
 * The company's side of record sharing (docs/transport.md#sharing): answers inspectors'
 * services on `civic.<channel>.private.transport.<own mspId>`. A ticket must be signed by an ILT
 * or police service certificate valid under the channel config in force and addressed to this
 * company; the access is queued for the chain's access log before any record leaves, and a
 * request is refused (not answered without a log) when the log cannot take it.
 */
import { Inject, Injectable, type OnApplicationBootstrap, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigSource } from '@civic/gateway';
import { NATS_CONNECTION, serveJson, type Subscriber } from '@civic/messaging';
import { BoundedCache } from '@civic/protocol';
import {
  BatchQueueFullError,
  CLOCK,
  CONFIG_SOURCE,
  LOGGER,
  METRICS,
  SERVICE_CONFIG,
  type Logger,
} from '@civic/service-kit';
import type { NatsConnection } from '@nats-io/nats-core';
import type { TransportConfig } from '../config/transport-config.js';
import { AccessVia, OrgKind, orgKindOf, type UploadRef } from '../domain/index.js';
import type { TransportMetrics } from '../observability/metrics.js';
import { CompanyRecords } from '../records/company-records.js';
import {
  CHUNKS_PER_REQUEST_MAX,
  SHARE_QUEUE,
  shareSubject,
  type ShareReply,
  type ShareRequest,
} from './share-wire.js';
import { verifyTicket, type TicketResult } from './ticket.js';

/** Tickets whose uploads this replica already worked out (chunk requests of one access reuse them). */
const OPEN_ACCESSES_MAX = 1_000;

function refused(code: string, reason: string): ShareReply {
  return { status: 'REFUSED', code, reason };
}

@Injectable()
export class ShareResponder implements OnApplicationBootstrap, OnModuleDestroy {
  #subscriber: Subscriber | null = null;
  readonly #opened = new BoundedCache<string, readonly UploadRef[]>(OPEN_ACCESSES_MAX);

  constructor(
    @Inject(NATS_CONNECTION) private readonly nc: NatsConnection,
    @Inject(SERVICE_CONFIG) private readonly config: TransportConfig,
    @Inject(CONFIG_SOURCE) private readonly channelConfig: ConfigSource,
    @Inject(CompanyRecords) private readonly records: CompanyRecords,
    @Inject(CLOCK) private readonly clock: () => number,
    @Inject(METRICS) private readonly metrics: TransportMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  onApplicationBootstrap(): void {
    if (orgKindOf(this.config.mspId) !== OrgKind.COMPANY) return;
    this.#subscriber = serveJson<ShareRequest, ShareReply>(
      this.nc,
      shareSubject(this.config.channel, this.config.mspId),
      {
        queue: SHARE_QUEUE,
        concurrencyMax: 4,
        pendingMax: 256,
        onError: (err) => this.logger.warn({ err }, 'share request failed'),
      },
      async (msg) => {
        const reply = await this.answer(msg.data);
        this.metrics.shares.inc({
          side: 'served',
          result: reply.status === 'REFUSED' ? reply.code : reply.status,
        });
        return reply;
      },
    );
  }

  async onModuleDestroy(): Promise<void> {
    await this.#subscriber?.stop();
  }

  async answer(request: ShareRequest): Promise<ShareReply> {
    if (
      request === null ||
      typeof request !== 'object' ||
      (request.op !== 'open' && request.op !== 'chunks')
    ) {
      return refused('BAD_REQUEST', 'op must be open or chunks');
    }
    const { sharing, channel, mspId } = this.config;
    const ticket = verifyTicket(request.ticket, {
      config: await this.channelConfig.current(),
      channel,
      company: mspId,
      nowMs: this.clock(),
      ttlMs: sharing.ticketTtlMs,
      clockSkewMs: sharing.clockSkewMs,
    });
    if (!ticket.ok) return refused(ticket.code, ticket.reason);
    let refs: readonly UploadRef[];
    try {
      refs = await this.#open(ticket, request.ticket.requester.mspId);
    } catch (error) {
      if (error instanceof BatchQueueFullError) return refused('ACCESS_LOG_FULL', error.message);
      throw error;
    }
    return request.op === 'open' ? this.#describe(ticket, refs) : this.#chunks(ticket, refs, request);
  }

  /** The uploads the ticket may see; logs the access the first time this replica sees it. */
  async #open(ticket: TicketResult & { ok: true }, requester: string): Promise<readonly UploadRef[]> {
    const known = this.#opened.get(ticket.accessId);
    if (known !== undefined) return known;
    const { body } = ticket;
    const { own } = await this.records.refs(body.cardNumber, ticket.fromMs, ticket.toMs);
    this.records.logAccess({
      accessId: ticket.accessId,
      cardNumber: body.cardNumber,
      by: requester,
      officer: body.officer,
      purpose: body.purpose,
      reference: body.reference,
      from: body.from,
      to: body.to,
      uploads: own.map((r) => r.uploadId),
      via: AccessVia.NATS,
    });
    this.#opened.set(ticket.accessId, own);
    return own;
  }

  async #describe(ticket: TicketResult & { ok: true }, refs: readonly UploadRef[]): Promise<ShareReply> {
    const uploads = [];
    for (const ref of refs) {
      const header = await this.records.store.header(ticket.body.cardNumber, ref.uploadId);
      uploads.push({ ref, salt: header.salt, chunks: header.chunks, header: header.content });
    }
    return { status: 'OPEN', accessId: ticket.accessId, uploads };
  }

  async #chunks(
    ticket: TicketResult & { ok: true },
    refs: readonly UploadRef[],
    request: Extract<ShareRequest, { op: 'chunks' }>,
  ): Promise<ShareReply> {
    const { uploadId, from, count } = request;
    if (!refs.some((r) => r.uploadId === uploadId)) {
      return refused(
        'NOT_IN_TICKET',
        `upload ${String(uploadId)} is not one of ${this.config.mspId}'s uploads in the ticket's period`,
      );
    }
    if (
      !Number.isSafeInteger(from) ||
      !Number.isSafeInteger(count) ||
      from < 0 ||
      count < 1 ||
      count > CHUNKS_PER_REQUEST_MAX
    ) {
      return refused('BAD_REQUEST', `chunks: from >= 0 and 1 <= count <= ${CHUNKS_PER_REQUEST_MAX}`);
    }
    const header = await this.records.store.header(ticket.body.cardNumber, uploadId);
    const last = Math.min(header.chunks, from + count);
    const activities =
      last > from ? await this.records.store.chunks(ticket.body.cardNumber, uploadId, from, last - from) : [];
    return { status: 'CHUNKS', uploadId, from, activities };
  }
}

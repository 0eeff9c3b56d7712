/**
 * The inspector's side of record sharing (docs/transport.md#sharing): asks a company's service
 * for a card's records with a ticket signed by this inspectorate's service identity, fetches the
 * activities chunk by chunk, and checks every upload against the chain's hash. The company must
 * serve every upload the chain lists as its own for the period: one it withholds is an error,
 * not a smaller record.
 */
import { randomBytes } from 'node:crypto';
import { NoRespondersError, RequestTimeoutError, requestJson, TransportError } from '@civic/messaging';
import { toHex, type Signer } from '@civic/protocol';
import type { NatsConnection } from '@nats-io/nats-core';
import type { SharingSettings } from '../config/transport-config.js';
import type { LoadedUpload, UploadRef } from '../domain/index.js';
import type { ActivityInput } from '../rules/index.js';
import { ShareRefusedError, ShareUnavailableError } from './errors.js';
import {
  CHUNKS_PER_REQUEST_MAX,
  shareSubject,
  type ShareReply,
  type ShareRequest,
  type SharedUpload,
} from './share-wire.js';
import { signTicket, type Ticket, type TicketBody } from './ticket.js';
import { verifiedUpload } from './verify.js';

/** What an inspector asks of a company: the ticket's fields that the request decides. */
export type AccessRequest = Pick<
  TicketBody,
  'cardNumber' | 'from' | 'to' | 'purpose' | 'reference' | 'officer'
>;

export interface ShareClientOptions {
  readonly nc: NatsConnection;
  readonly channel: string;
  readonly signer: Signer;
  readonly settings: SharingSettings;
  readonly clock: () => number;
}

/** Most chunk requests for one upload: 20,000 activities in chunks of 400, 8 per request. */
const CHUNK_REQUESTS_MAX = 16;

export class ShareClient {
  constructor(private readonly options: ShareClientOptions) {}

  /** The company's uploads `expected` (from the chain), fetched and checked against their hashes. */
  async fetch(
    company: string,
    access: AccessRequest,
    expected: readonly UploadRef[],
  ): Promise<LoadedUpload[]> {
    const { channel, signer, clock } = this.options;
    const ticket = signTicket(
      {
        v: 1,
        channel,
        company,
        ...access,
        issuedAt: new Date(clock()).toISOString(),
        nonce: toHex(new Uint8Array(randomBytes(16))),
      },
      signer,
    );
    const opened = await this.#ask(company, { op: 'open', ticket });
    if (opened.status !== 'OPEN')
      throw new ShareRefusedError(company, 'BAD_REPLY', `${company} answered ${opened.status} to open`);
    const loaded: LoadedUpload[] = [];
    for (const ref of expected) {
      const shared = opened.uploads.find((u) => u.ref.uploadId === ref.uploadId);
      if (shared === undefined) {
        throw new ShareRefusedError(
          company,
          'RECORDS_WITHHELD',
          `${company} did not serve its upload ${ref.uploadId} of card ${access.cardNumber}`,
        );
      }
      const activities = await this.#activities(company, ticket, shared);
      const content = { ...shared.header, activities };
      loaded.push(verifiedUpload(ref, { salt: shared.salt, content }, company));
    }
    return loaded;
  }

  async #activities(company: string, ticket: Ticket, shared: SharedUpload): Promise<ActivityInput[]> {
    const activities: ActivityInput[] = [];
    const requests = Math.ceil(shared.chunks / CHUNKS_PER_REQUEST_MAX);
    if (requests > CHUNK_REQUESTS_MAX) {
      throw new ShareRefusedError(
        company,
        'BAD_REPLY',
        `${company} announced ${shared.chunks} chunks for one upload`,
      );
    }
    for (let r = 0; r < requests; r++) {
      const from = r * CHUNKS_PER_REQUEST_MAX;
      const reply = await this.#ask(company, {
        op: 'chunks',
        ticket,
        uploadId: shared.ref.uploadId,
        from,
        count: Math.min(CHUNKS_PER_REQUEST_MAX, shared.chunks - from),
      });
      if (reply.status !== 'CHUNKS' || reply.uploadId !== shared.ref.uploadId || reply.from !== from) {
        throw new ShareRefusedError(
          company,
          'BAD_REPLY',
          `${company} answered chunks ${from}… of ${shared.ref.uploadId} with something else`,
        );
      }
      activities.push(...reply.activities);
    }
    return activities;
  }

  async #ask(company: string, request: ShareRequest): Promise<Exclude<ShareReply, { status: 'REFUSED' }>> {
    const subject = shareSubject(this.options.channel, company);
    let reply: ShareReply;
    try {
      reply = await requestJson<ShareReply>(this.options.nc, subject, request, {
        timeoutMs: this.options.settings.timeoutMs,
      });
    } catch (error) {
      if (
        error instanceof NoRespondersError ||
        error instanceof RequestTimeoutError ||
        error instanceof TransportError
      ) {
        throw new ShareUnavailableError(
          company,
          `${company}'s transport service did not answer: ${error.message}`,
          { cause: error },
        );
      }
      throw error;
    }
    if (reply === null || typeof reply !== 'object')
      throw new ShareRefusedError(company, 'BAD_REPLY', `${company} sent no reply object`);
    if (reply.status === 'REFUSED')
      throw new ShareRefusedError(company, reply.code, `${company} refused: ${reply.reason}`);
    return reply;
  }
}

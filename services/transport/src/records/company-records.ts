/**
 * A company's own records of a card: which of its uploads the chain lists for a period, loading
 * them from its private store (checked against the chain's hashes), and logging an inspector's
 * access before anything is served. Used by the REST routes of the company's service and by its
 * NATS responder, so an access is logged the same way whichever path the inspector took.
 */
import { Inject, Injectable } from '@nestjs/common';
import { CLOCK } from '@civic/service-kit';
import {
  LIMITS,
  uploadsIn,
  type AccessToRecord,
  type LoadedUpload,
  type UploadRef,
} from '../domain/index.js';
import { AccessLogService } from '../access/access-log.service.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import { RecordsStore } from '../private/records-store.js';
import { verifiedUpload } from '../sharing/verify.js';

@Injectable()
export class CompanyRecords {
  constructor(
    @Inject(TransportLedger) private readonly ledger: TransportLedger,
    @Inject(RecordsStore) readonly store: RecordsStore,
    @Inject(AccessLogService) private readonly accessLog: AccessLogService,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  get mspId(): string {
    return this.ledger.mspId;
  }

  /** Every upload of the card the chain lists for [from − context, to), and which are this company's. */
  async refs(
    cardNumber: string,
    fromMs: number,
    toMs: number,
  ): Promise<{ all: UploadRef[]; own: UploadRef[] }> {
    const all = await uploadsIn(this.ledger.reader, cardNumber, { fromMs: fromMs - LIMITS.contextMs, toMs });
    return { all, own: all.filter((r) => r.uploader === this.mspId) };
  }

  /** Loads own uploads from the private store, each checked against its chain hash. */
  async load(cardNumber: string, refs: readonly UploadRef[]): Promise<LoadedUpload[]> {
    const loaded: LoadedUpload[] = [];
    for (const ref of refs)
      loaded.push(verifiedUpload(ref, await this.store.load(ref, cardNumber), this.mspId));
    return loaded;
  }

  /**
   * Logs an inspector's access (throws BatchQueueFullError: then nothing may be served). An access
   * that serves none of this company's uploads reads no personal data here and is not logged, so
   * that nobody can fill a card's log through a company that holds nothing of it.
   */
  logAccess(entry: Omit<AccessToRecord, 'at'>): void {
    if (entry.uploads.length === 0) return;
    this.accessLog.enqueue({ ...entry, at: new Date(this.clock()).toISOString() });
  }
}

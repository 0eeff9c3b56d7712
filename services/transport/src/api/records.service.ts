/**
 * Records and their compliance (docs/transport.md#rest-api): uploads at a company's service, and
 * the records and findings of a card for a period wherever they are asked for. A company's
 * service reads its own private store; an inspectorate's service fetches from each company that
 * uploaded (ShareClient), each access logged by the company. Both check the records against the
 * chain's hashes and run the same engine code over the same range: a company sees exactly what
 * an inspector will see.
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { toHex } from '@civic/protocol';
import { CLOCK, forbidden, LOGGER, METRICS, newSalt, type Logger, type TxRef } from '@civic/service-kit';
import {
  ACCESS_PURPOSES,
  AccessPurpose,
  AccessVia,
  cardOf,
  complianceView,
  isInspectorate,
  LIMITS,
  OrgKind,
  orgKindOf,
  parseCardNumber,
  prepareUpload,
  TransportRuleViolation,
  uploadHash,
  uploadIdOf,
  uploadsIn,
  type CardRecord,
  type ComplianceView,
  type LoadedUpload,
  type UploadRef,
  type UploadResult,
} from '../domain/index.js';
import type { Principal } from '../auth/principal.js';
import { violationError } from '../http/transport-errors.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import type { TransportMetrics } from '../observability/metrics.js';
import { chunkCount } from '../private/records-store.js';
import { CompanyRecords } from '../records/company-records.js';
import type { ShareClient } from '../sharing/share-client.js';
import { SHARE_CLIENT } from '../tokens.js';
import type { ActivityInput } from '../rules/index.js';
import { parseRfc3339Utc } from '../rules/time.js';
import { describe, isDriverOf, requireOffered, staffOf } from './access-rules.js';
import { parseRange, type QueryRange } from './range.js';

export interface RecordsQuery {
  readonly from?: string;
  readonly to?: string;
  /** Inspectors: why they look (logged). */
  readonly purpose?: string;
  readonly reference?: string;
}

export interface Gathered {
  readonly card: CardRecord;
  readonly range: QueryRange;
  readonly uploads: readonly LoadedUpload[];
  /** Uploads the chain lists for the period that this service may not read (another company's). */
  readonly missing: readonly UploadRef[];
}

/** Tries of an upload whose context changed under it (a concurrent upload of the same card). */
const UPLOAD_ATTEMPTS_MAX = 2;

@Injectable()
export class RecordsService {
  constructor(
    @Inject(TransportLedger) private readonly ledger: TransportLedger,
    @Inject(CompanyRecords) private readonly company: CompanyRecords,
    @Inject(SHARE_CLIENT) private readonly shares: ShareClient,
    @Inject(CLOCK) private readonly clock: () => number,
    @Inject(METRICS) private readonly metrics: TransportMetrics,
    @Inject(LOGGER) private readonly logger: Logger,
  ) {}

  /** `records.upload`: validates, stores privately, commits the hash and findings; cleans up on refusal. */
  async upload(caller: Caller, cardInput: string, body: unknown): Promise<UploadResult & { tx: TxRef }> {
    requireOffered(this.ledger.mspId, OrgKind.COMPANY, 'uploading records');
    const cardNumber = parseCardNumber(cardInput);
    for (let attempt = 1; ; attempt++) {
      const salt = newSalt();
      const prepared = await prepareUpload({
        reader: this.ledger.reader,
        load: (ref) => this.company.store.load(ref, cardNumber),
        company: this.ledger.mspId,
        cardNumber,
        records: body,
        salt,
        now: new Date(this.clock()).toISOString(),
      });
      const { content } = prepared.canonical;
      const uploadId = uploadIdOf(uploadHash(salt, content));
      await this.company.store.putUpload(uploadId, salt, content);
      let outcome;
      try {
        outcome = await this.ledger.submit<UploadResult>('records.upload', prepared.input);
      } catch (error) {
        await this.company.store.deleteUpload(cardNumber, uploadId, chunkCount(content.activities.length));
        throw error;
      }
      if (outcome.status === 'COMMITTED') {
        this.metrics.uploads.inc({ result: 'COMMITTED' });
        this.metrics.uploadActivities.inc(content.activities.length);
        const { txId, block, action, txTime, endorsedBy, attempts } = outcome;
        return { ...outcome.value, tx: { txId, block, action, txTime, endorsedBy, attempts } };
      }
      await this.company.store.deleteUpload(cardNumber, uploadId, chunkCount(content.activities.length));
      this.metrics.uploads.inc({ result: outcome.violation.rule });
      if (outcome.violation.rule !== 'CONTEXT_CHANGED' || attempt >= UPLOAD_ATTEMPTS_MAX)
        throw violationError(outcome.violation);
      this.logger.info({ cardNumber, attempt }, 'upload context changed; preparing again');
    }
  }

  /** The activities of the card in the period, per upload (index = position in the upload). */
  async records(principal: Principal, cardInput: string, query: RecordsQuery) {
    const gathered = await this.gather(principal, cardInput, query);
    const { fromMs, toMs } = gathered.range;
    const inRange = (a: ActivityInput) =>
      parseRfc3339Utc(a.end)! > fromMs && parseRfc3339Utc(a.start)! < toMs;
    return {
      cardNumber: gathered.card.cardNumber,
      from: gathered.range.from,
      to: gathered.range.to,
      uploads: gathered.uploads
        .filter((u) => u.ref.periodEnd > gathered.range.from && u.ref.periodStart < gathered.range.to)
        .map((u) => ({
          ...u.ref,
          activities: u.content.activities.flatMap((a, index) => (inRange(a) ? [{ index, ...a }] : [])),
        })),
      missing: gathered.missing,
    };
  }

  /** The engine's findings for the period, with their causes and figures. */
  async compliance(
    principal: Principal,
    cardInput: string,
    query: RecordsQuery,
  ): Promise<ComplianceView & { missing: readonly UploadRef[] }> {
    const gathered = await this.gather(principal, cardInput, query);
    const started = performance.now();
    const view = complianceView(
      gathered.card.cardNumber,
      gathered.uploads,
      gathered.range.fromMs,
      gathered.range.toMs,
    );
    this.metrics.engineSeconds.observe({ use: 'compliance' }, (performance.now() - started) / 1000);
    return { ...view, missing: gathered.missing };
  }

  /** The card's uploads for the period (and the engine's context before it) that this caller may read, loaded and checked. */
  async gather(principal: Principal, cardInput: string, query: RecordsQuery): Promise<Gathered> {
    const own = this.ledger.mspId;
    const kind = orgKindOf(own);
    if (kind === OrgKind.CARD_AUTHORITY) requireOffered(own, OrgKind.COMPANY, 'reading records');
    const cardNumber = parseCardNumber(cardInput);
    const range = parseRange(query.from, query.to, this.clock());
    const card = await cardOf(this.ledger.reader, cardNumber);
    if (card === undefined)
      throw new TransportRuleViolation('CARD_NOT_FOUND', `no driver card ${cardNumber} is in RDW's register`);
    return kind === OrgKind.COMPANY
      ? this.#atCompany(principal, card, range, query)
      : this.#atInspectorate(principal, card, range, query);
  }

  async #atCompany(
    principal: Principal,
    card: CardRecord,
    range: QueryRange,
    query: RecordsQuery,
  ): Promise<Gathered> {
    const own = this.ledger.mspId;
    const org = staffOf(principal);
    const { all, own: ours } = await this.company.refs(card.cardNumber, range.fromMs, range.toMs);
    const missing = all.filter((r) => r.uploader !== own);
    if (org !== null && isInspectorate(org) && principal.kind === 'staff') {
      this.company.logAccess({
        accessId: toHex(new Uint8Array(randomBytes(32))),
        cardNumber: card.cardNumber,
        by: org,
        officer: principal.caller.serialHex,
        purpose: parsePurpose(query.purpose),
        reference: parseReference(query.reference),
        from: range.from,
        to: range.to,
        uploads: ours.map((r) => r.uploadId),
        via: AccessVia.REST,
      });
      this.metrics.shares.inc({ side: 'served', result: 'REST' });
    } else if (!(
      isDriverOf(principal, card.cardNumber) ||
      (org === own && (card.company === own || ours.length > 0))
    )) {
      throw forbidden(`${describe(principal)} may not read the records of card ${card.cardNumber} at ${own}`);
    }
    return { card, range, uploads: await this.company.load(card.cardNumber, ours), missing };
  }

  async #atInspectorate(
    principal: Principal,
    card: CardRecord,
    range: QueryRange,
    query: RecordsQuery,
  ): Promise<Gathered> {
    const own = this.ledger.mspId;
    if (principal.kind !== 'staff' || principal.caller.mspId !== own) {
      throw forbidden(`${describe(principal)} may not fetch records through ${own}'s service`);
    }
    const refs = await uploadsIn(this.ledger.reader, card.cardNumber, {
      fromMs: range.fromMs - LIMITS.contextMs,
      toMs: range.toMs,
    });
    const byCompany = new Map<string, UploadRef[]>();
    for (const ref of refs) byCompany.set(ref.uploader, [...(byCompany.get(ref.uploader) ?? []), ref]);
    const uploads: LoadedUpload[] = [];
    for (const [company, expected] of byCompany) {
      const fetched = await this.shares.fetch(
        company,
        {
          cardNumber: card.cardNumber,
          from: range.from,
          to: range.to,
          purpose: parsePurpose(query.purpose),
          reference: parseReference(query.reference),
          officer: principal.caller.serialHex,
        },
        expected,
      );
      this.metrics.shares.inc({ side: 'fetched', result: 'OK' });
      uploads.push(...fetched);
    }
    return { card, range, uploads, missing: [] };
  }
}

export function parsePurpose(value: unknown): AccessPurpose {
  if (value === undefined) return AccessPurpose.ROADSIDE;
  if (typeof value === 'string' && (ACCESS_PURPOSES as readonly string[]).includes(value))
    return value as AccessPurpose;
  throw new TransportRuleViolation('VALUE_INVALID', `purpose must be one of ${ACCESS_PURPOSES.join(', ')}`, {
    field: 'purpose',
  });
}

export function parseReference(value: unknown): string | null {
  if (value === undefined || value === '') return null;
  if (typeof value === 'string' && value.length <= 80) return value;
  throw new TransportRuleViolation('VALUE_INVALID', 'reference must be at most 80 characters', {
    field: 'reference',
  });
}

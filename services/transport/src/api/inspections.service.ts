/**
 * Checks by ILT and the police (docs/transport.md#inspections). An inspector records a roadside
 * or company check; with `includeFindings` (the default) the service fetches the card's records
 * from the companies (each access logged there), checks them against the chain, runs the engine
 * over the checked period and records its infringements with the uploads they rest on, next to
 * the officer's own. The transaction is signed by the inspectorate's service identity.
 */
import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { Caller } from '@civic/gateway';
import { toHex } from '@civic/protocol';
import { CLOCK, forbidden, type TxRef } from '@civic/service-kit';
import {
  CHECK_KINDS,
  complianceView,
  InfringementSource,
  OrgKind,
  TransportRuleViolation,
  type AccessPurpose,
  type InspectionRecord,
} from '../domain/index.js';
import { inputObject, parseBoolean, parseEnum, parseInstant } from '../domain/input.js';
import { TransportLedger } from '../ledger/transport-ledger.js';
import { FindingKind } from '../rules/index.js';
import { formatRfc3339 } from '../rules/time.js';
import { requireOffered } from './access-rules.js';
import { DEFAULT_RANGE_MS } from './range.js';
import { RecordsService } from './records.service.js';

@Injectable()
export class InspectionsService {
  constructor(
    @Inject(TransportLedger) private readonly ledger: TransportLedger,
    @Inject(RecordsService) private readonly records: RecordsService,
    @Inject(CLOCK) private readonly clock: () => number,
  ) {}

  async record(caller: Caller, body: unknown): Promise<{ inspection: InspectionRecord; tx: TxRef }> {
    requireOffered(this.ledger.mspId, OrgKind.INSPECTORATE, 'recording checks');
    if (caller.mspId !== this.ledger.mspId)
      throw forbidden(`${caller.subject} may not record checks for ${this.ledger.mspId}`);
    const fields = inputObject(body, 'check', [
      'cardNumber',
      'kind',
      'checkedAt',
      'from',
      'to',
      'reference',
      'infringements',
      'includeFindings',
    ]);
    const kind = parseEnum(fields.kind, CHECK_KINDS, 'kind');
    const checkedAtMs =
      fields.checkedAt === undefined ? this.clock() : parseInstant(fields.checkedAt, 'checkedAt').ms;
    const toMs = fields.to === undefined ? checkedAtMs : parseInstant(fields.to, 'to').ms;
    const fromMs = fields.from === undefined ? toMs - DEFAULT_RANGE_MS : parseInstant(fields.from, 'from').ms;
    const officerInfringements = fields.infringements ?? [];
    if (!Array.isArray(officerInfringements)) {
      throw new TransportRuleViolation('VALUE_INVALID', 'infringements must be a list', {
        field: 'infringements',
      });
    }
    const range = { from: formatRfc3339(fromMs), to: formatRfc3339(toMs) };
    let uploads: { uploadId: string; hash: string }[] = [];
    let engine: unknown[] = [];
    if (parseBoolean(fields.includeFindings, 'includeFindings', true)) {
      const gathered = await this.records.gather({ kind: 'staff', caller }, String(fields.cardNumber), {
        ...range,
        purpose: kind as AccessPurpose,
        ...(typeof fields.reference === 'string' ? { reference: fields.reference } : {}),
      });
      const view = complianceView(gathered.card.cardNumber, gathered.uploads, fromMs, toMs);
      uploads = view.uploads.map((u) => ({ uploadId: u.uploadId, hash: u.hash }));
      engine = view.findings
        .filter((f) => f.kind === FindingKind.INFRINGEMENT)
        .map((f) => ({
          rule: f.rule,
          article: f.article,
          severity: f.severity,
          periodStart: f.periodStart,
          periodEnd: f.periodEnd,
          figures: f.figures,
          source: InfringementSource.ENGINE,
        }));
    }
    const { value, tx } = await this.ledger.write<InspectionRecord>('check.record', {
      inspectionId: toHex(new Uint8Array(randomBytes(16))),
      cardNumber: fields.cardNumber,
      officer: caller.serialHex,
      kind,
      checkedAt: formatRfc3339(checkedAtMs),
      ...range,
      reference: fields.reference ?? null,
      uploads,
      infringements: [...engine, ...officerInfringements],
    });
    return { inspection: value, tx };
  }
}

/**
 * `check.record`: an inspector of ILT or the police records a roadside or company check of a
 * driver card and the infringements found (docs/transport.md#inspections). The transaction is
 * created and signed by the inspecting organisation's service: "signed by their organisation" is
 * the envelope's creator signature. The uploads the check relied on are cited with their hashes,
 * which must be the chain's: the record shows what was checked.
 */
import type { TxContext } from '@civic/gateway';
import { Severity } from '../../rules/index.js';
import { parseCardNumber } from '../card-number.js';
import { refuseUnless, TransportRuleViolation } from '../errors.js';
import {
  inputObject,
  parseEnum,
  parseFigure,
  parseHex,
  parseInstant,
  parseList,
  parseOptionalText,
} from '../input.js';
import { monthOf } from '../months.js';
import { OrgKind } from '../organisations.js';
import {
  CHECK_KINDS,
  InfringementSource,
  keys,
  LIMITS,
  type Infringement,
  type InspectionIndexBucket,
  type InspectionRecord,
  type UploadRecord,
} from '../records.js';
import { parseUploadId } from '../upload.js';
import { appendBounded, loadCard, Reads, requireKind, requireRecent, txMs } from './common.js';

const OFFICER = /^[0-9a-f]{2,40}$/;
const RULE = /^[A-Z][A-Z0-9_]{1,63}$/;
const FIGURE_KEYS = [
  'drivenMinutes',
  'limitMinutes',
  'excessMinutes',
  'restedMinutes',
  'requiredMinutes',
  'shortfallMinutes',
  'delayMinutes',
  'owedMinutes',
  'excusedMinutes',
  'inVehicleMinutes',
  'count',
  'allowed',
];

export function parseOfficer(value: unknown, field = 'officer'): string {
  if (typeof value !== 'string' || !OFFICER.test(value)) {
    throw new TransportRuleViolation(
      'VALUE_INVALID',
      `${field} must be the officer's certificate serial (hex)`,
      {
        field,
      },
    );
  }
  return value;
}

/** A period [from, to) of at most LIMITS.rangeMsMax ending no later than `latestMs`. */
export function parsePeriod(
  fromValue: unknown,
  toValue: unknown,
  latestMs: number,
  names: readonly [string, string] = ['from', 'to'],
): { fromMs: number; toMs: number; from: string; to: string } {
  const from = parseInstant(fromValue, names[0]);
  const to = parseInstant(toValue, names[1]);
  refuseUnless(
    from.ms < to.ms && to.ms - from.ms <= LIMITS.rangeMsMax && to.ms <= latestMs,
    'VALUE_INVALID',
    () =>
      `${names[0]} must be before ${names[1]}, at most ${LIMITS.rangeMsMax / 86_400_000} days apart, and not in the future`,
    () => ({ field: names[1] }),
  );
  return { fromMs: from.ms, toMs: to.ms, from: from.text, to: to.text };
}

function parseInfringement(raw: unknown, field: string): Infringement {
  const item = inputObject(raw, field, [
    'rule',
    'article',
    'severity',
    'periodStart',
    'periodEnd',
    'figures',
    'source',
    'note',
  ]);
  if (typeof item.rule !== 'string' || !RULE.test(item.rule)) {
    throw new TransportRuleViolation('VALUE_INVALID', `${field}.rule must be a rule code (A_Z_0_9)`, {
      field: `${field}.rule`,
    });
  }
  const figuresIn =
    item.figures === undefined ? {} : inputObject(item.figures, `${field}.figures`, FIGURE_KEYS);
  const figures = Object.fromEntries(
    Object.entries(figuresIn).map(([k, v]) => [k, parseFigure(v, `${field}.figures.${k}`)]),
  );
  const start = parseInstant(item.periodStart, `${field}.periodStart`);
  const end = parseInstant(item.periodEnd, `${field}.periodEnd`);
  refuseUnless(
    start.ms < end.ms,
    'VALUE_INVALID',
    () => `${field}.periodEnd must be after periodStart`,
    () => ({
      field: `${field}.periodEnd`,
    }),
  );
  return {
    rule: item.rule,
    article: parseOptionalText(item.article, `${field}.article`, 80) ?? '',
    severity:
      item.severity === null || item.severity === undefined
        ? null
        : parseEnum(item.severity, Object.values(Severity), `${field}.severity`),
    periodStart: start.text,
    periodEnd: end.text,
    figures,
    source: parseEnum(
      item.source ?? InfringementSource.OFFICER,
      Object.values(InfringementSource),
      `${field}.source`,
    ),
    note: parseOptionalText(item.note, `${field}.note`, LIMITS.noteCharsMax),
  };
}

export interface RecordCheckInput {
  readonly inspectionId: string;
  readonly cardNumber: string;
  readonly officer: string;
  readonly kind: string;
  readonly checkedAt: string;
  readonly from: string;
  readonly to: string;
  readonly reference?: string | null;
  readonly uploads: readonly { readonly uploadId: string; readonly hash: string }[];
  readonly infringements: readonly unknown[];
}

export async function recordCheck(ctx: TxContext, input: RecordCheckInput): Promise<InspectionRecord> {
  requireKind(ctx, OrgKind.INSPECTORATE, 'NOT_AN_INSPECTORATE', 'record checks');
  const fields = inputObject(input, 'check', [
    'inspectionId',
    'cardNumber',
    'officer',
    'kind',
    'checkedAt',
    'from',
    'to',
    'reference',
    'uploads',
    'infringements',
  ]);
  const nowMs = txMs(ctx);
  const checkedAt = parseInstant(fields.checkedAt, 'checkedAt');
  requireRecent(checkedAt.ms, nowMs, LIMITS.recordDelayMsMax, 'checkedAt');
  const period = parsePeriod(fields.from, fields.to, checkedAt.ms);
  const cardNumber = parseCardNumber(fields.cardNumber);
  const uploads = parseList(fields.uploads, 'uploads', 0, LIMITS.uploadsPerAccessMax).map((raw, i) => {
    const item = inputObject(raw, `uploads[${i}]`, ['uploadId', 'hash']);
    return {
      uploadId: parseUploadId(item.uploadId, `uploads[${i}].uploadId`),
      hash: parseHex(item.hash, `uploads[${i}].hash`, 32),
    };
  });
  const record: Omit<InspectionRecord, 'recordedAt'> = {
    inspectionId: parseHex(fields.inspectionId, 'inspectionId', 16),
    cardNumber,
    inspector: ctx.mspId,
    officer: parseOfficer(fields.officer),
    kind: parseEnum(fields.kind, CHECK_KINDS, 'kind'),
    checkedAt: checkedAt.text,
    from: period.from,
    to: period.to,
    reference: parseOptionalText(fields.reference, 'reference', 80),
    uploads,
    infringements: parseList(
      fields.infringements,
      'infringements',
      0,
      LIMITS.infringementsPerInspectionMax,
    ).map((raw, i) => parseInfringement(raw, `infringements[${i}]`)),
  };

  const reads = new Reads(ctx);
  await loadCard(reads, cardNumber, 'CARD_NOT_FOUND');
  for (const cited of uploads) {
    const upload = await reads.get<UploadRecord>(keys.upload(cardNumber, cited.uploadId));
    refuseUnless(
      upload !== undefined,
      'UPLOAD_NOT_FOUND',
      () => `card ${cardNumber} has no upload ${cited.uploadId}`,
    );
    refuseUnless(
      upload.hash === cited.hash,
      'EVIDENCE_MISMATCH',
      () => `upload ${cited.uploadId} has hash ${upload.hash} on the chain, not ${cited.hash}`,
    );
  }
  const existing = await reads.get<InspectionRecord>(keys.inspection(record.inspectionId));
  refuseUnless(
    existing === undefined,
    'INSPECTION_EXISTS',
    () => `inspection ${record.inspectionId} is already recorded`,
  );
  const month = monthOf(checkedAt.ms);
  const indexKey = keys.inspections(cardNumber, month);
  const bucket = (await reads.get<InspectionIndexBucket>(indexKey)) ?? { cardNumber, month, inspections: [] };
  const summary = {
    inspectionId: record.inspectionId,
    inspector: ctx.mspId,
    kind: record.kind,
    checkedAt: record.checkedAt,
    infringements: record.infringements.length,
  };
  const inspections = appendBounded(
    bucket.inspections,
    [summary],
    LIMITS.inspectionsPerMonthMax,
    `the checks of ${cardNumber} in ${month}`,
  );

  const full: InspectionRecord = { ...record, recordedAt: ctx.txTime };
  ctx.put(keys.inspection(record.inspectionId), full);
  ctx.put(indexKey, { ...bucket, inspections } satisfies InspectionIndexBucket);
  ctx.emit('check.recorded', { ...summary, cardNumber });
  return full;
}

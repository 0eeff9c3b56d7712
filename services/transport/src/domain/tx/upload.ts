/**
 * `records.upload`: a company uploads one driver card's activities (docs/transport.md#uploads).
 * The activities stay in the company's private store; the chain gets the upload's salted hash,
 * its period and count, the card's upload indexes, and the engine's findings of every month the
 * upload can change, computed over the company's own records of the card around it.
 *
 * Refused with: RECORDS_INVALID / UPLOAD_TOO_LARGE (400, naming the bad period), CARD_UNKNOWN
 * (400), ACTIVITY_OUTSIDE_CARD_VALIDITY (400), CARD_OF_ANOTHER_COMPANY (403), UPLOAD_OVERLAPS
 * (409: uploads of a card are chronological), CONTEXT_CHANGED / CONTEXT_MISMATCH (409: the
 * earlier uploads the service read changed meanwhile, or its store no longer matches the chain).
 */
import type { TxContext } from '@civic/gateway';
import { canonicalize, isHex } from '@civic/protocol';
import { formatRfc3339 } from '../../rules/time.js';
import { parseCardNumber } from '../card-number.js';
import { combineAndCheck, findingsByMonth, type LoadedUpload } from '../compliance.js';
import { refuseUnless, TransportRuleViolation } from '../errors.js';
import { inputObject, parseList } from '../input.js';
import type { Month } from '../months.js';
import { OrgKind } from '../organisations.js';
import {
  keys,
  LIMITS,
  privateKeys,
  RECORDS_COLLECTION,
  type CardRecord,
  type FindingsRecord,
  type RecordsHead,
  type StoredFinding,
  type UploadIndexBucket,
  type UploadRecord,
  type UploadRef,
} from '../records.js';
import {
  canonicalUpload,
  parseUploadId,
  uploadHash,
  uploadIdOf,
  type CanonicalUpload,
  type UploadContent,
} from '../upload.js';
import { contextRefs, uploadWindow, type UploadWindow } from '../window.js';
import { appendBounded, loadCard, Reads, requireKind } from './common.js';

export interface ContextUpload {
  readonly uploadId: string;
  readonly salt: string;
  readonly content: UploadContent;
}

export interface UploadRecordsInput {
  readonly cardNumber: string;
  /** Fresh random salt (16 to 64 bytes, hex) of this upload's hash, kept in the private store. */
  readonly salt: string;
  /** The records as the company sent them: the engine's request shape. */
  readonly records: unknown;
  /** The company's earlier uploads of the card inside the upload's window, from its private store. */
  readonly context: readonly ContextUpload[];
}

export interface MonthFindings {
  readonly month: Month;
  readonly findings: readonly StoredFinding[];
  readonly overflow: number;
  /** False when the month's findings did not change (nothing written). */
  readonly written: boolean;
}

export interface UploadResult {
  readonly upload: UploadRecord;
  readonly basis: FindingsRecord['basis'];
  readonly months: readonly MonthFindings[];
}

const UPLOADS_PER_WINDOW_MAX = 64;

export function parseSalt(value: unknown, field = 'salt'): string {
  if (!isHex(value) || value.length < 32 || value.length > 128) {
    throw new TransportRuleViolation('VALUE_INVALID', `${field} must be 16 to 64 bytes of lowercase hex`, {
      field,
    });
  }
  return value;
}

function parseContext(value: unknown): ContextUpload[] {
  return parseList(value, 'context', 0, UPLOADS_PER_WINDOW_MAX).map((raw, i) => {
    const item = inputObject(raw, `context[${i}]`, ['uploadId', 'salt', 'content']);
    const content = inputObject(item.content, `context[${i}].content`);
    return {
      uploadId: parseUploadId(item.uploadId, `context[${i}].uploadId`),
      salt: parseSalt(item.salt, `context[${i}].salt`),
      content: content as unknown as UploadContent,
    };
  });
}

function activityPath(upload: CanonicalUpload, index: number): Record<string, unknown> {
  const a = upload.content.activities[index]!;
  return { path: `activities[${index}]`, period: { start: a.start, end: a.end } };
}

/** Every activity must lie within the card's validity (a card records only while valid). */
function checkValidity(card: CardRecord, upload: CanonicalUpload): void {
  const fromMs = Date.parse(`${card.validFrom}T00:00:00Z`);
  const untilMs = Date.parse(`${card.validUntil}T00:00:00Z`) + 86_400_000;
  const last = upload.content.activities.length - 1;
  const bad = upload.startMs < fromMs ? 0 : upload.endMs > untilMs ? last : null;
  if (bad === null) return;
  const where = activityPath(upload, bad);
  throw new TransportRuleViolation(
    'ACTIVITY_OUTSIDE_CARD_VALIDITY',
    `${where.path as string} lies outside the validity of card ${card.cardNumber} (${card.validFrom} to ${card.validUntil})`,
    where,
  );
}

function checkChronological(head: RecordsHead | undefined, upload: CanonicalUpload): void {
  if (head === undefined || upload.content.activities[0]!.start >= head.latest.periodEnd) return;
  const where = activityPath(upload, 0);
  throw new TransportRuleViolation(
    'UPLOAD_OVERLAPS',
    `the records start at ${upload.content.activities[0]!.start}, before the end of the card's latest upload ${head.latest.uploadId} (${head.latest.periodStart} to ${head.latest.periodEnd}): upload only what came after`,
    { ...where, latest: head.latest },
  );
}

/** The context the service sent must be exactly the company's uploads in the window, unchanged. */
function checkContext(
  sent: readonly ContextUpload[],
  expected: readonly UploadRef[],
  cardNumber: string,
): LoadedUpload[] {
  const sentIds = sent.map((c) => c.uploadId).sort();
  const expectedIds = expected.map((r) => r.uploadId).sort();
  refuseUnless(
    canonicalize(sentIds) === canonicalize(expectedIds),
    'CONTEXT_CHANGED',
    () => `the earlier uploads of card ${cardNumber} changed while this upload was prepared; try again`,
  );
  return expected.map((ref) => {
    const item = sent.find((c) => c.uploadId === ref.uploadId)!;
    refuseUnless(
      uploadHash(item.salt, item.content) === ref.hash,
      'CONTEXT_MISMATCH',
      () => `upload ${ref.uploadId} in the private store does not match its hash on the chain`,
    );
    return { ref, content: item.content };
  });
}

function sameFindings(
  existing: FindingsRecord | undefined,
  next: { findings: StoredFinding[]; overflow: number },
  basisIds: readonly string[],
): boolean {
  const resolve = (findings: readonly StoredFinding[], ids: readonly string[]) =>
    findings.map((f) => ({ ...f, causes: f.causes.map(([k, i]) => [ids[k], i]) }));
  if (existing === undefined) return next.findings.length === 0 && next.overflow === 0;
  return (
    canonicalize([resolve(existing.findings, existing.basis.uploads), existing.overflow]) ===
    canonicalize([resolve(next.findings, basisIds), next.overflow])
  );
}

async function readWindow(reads: Reads, cardNumber: string, window: UploadWindow) {
  const months = [...new Set([...window.contextMonths, ...window.uploadMonths])];
  const buckets = new Map<Month, UploadIndexBucket | undefined>();
  for (const month of months)
    buckets.set(month, await reads.get<UploadIndexBucket>(keys.uploadIndex(cardNumber, month)));
  const findings = new Map<Month, FindingsRecord | undefined>();
  for (const month of window.recomputed)
    findings.set(month, await reads.get<FindingsRecord>(keys.findings(cardNumber, month)));
  return { buckets, findings };
}

export async function uploadRecords(ctx: TxContext, input: UploadRecordsInput): Promise<UploadResult> {
  requireKind(ctx, OrgKind.COMPANY, 'NOT_A_COMPANY', "upload drivers' records");
  const fields = inputObject(input, 'upload', ['cardNumber', 'salt', 'records', 'context']);
  const cardNumber = parseCardNumber(fields.cardNumber);
  const salt = parseSalt(fields.salt);
  const upload = canonicalUpload(cardNumber, fields.records, ctx.txTime);
  const context = parseContext(fields.context);

  const reads = new Reads(ctx);
  const card = await loadCard(reads, cardNumber, 'CARD_UNKNOWN');
  refuseUnless(
    card.company === ctx.mspId,
    'CARD_OF_ANOTHER_COMPANY',
    () => `driver card ${cardNumber} is registered to ${card.company}, not ${ctx.mspId}`,
  );
  checkValidity(card, upload);
  const head = await reads.get<RecordsHead>(keys.head(cardNumber));
  checkChronological(head, upload);
  const window = uploadWindow(upload.startMs, upload.endMs);
  const state = await readWindow(reads, cardNumber, window);
  const contextBuckets = window.contextMonths.map((m) => state.buckets.get(m));
  const loaded = checkContext(
    context,
    contextRefs(contextBuckets, ctx.mspId, window, upload.startMs),
    cardNumber,
  );

  const hash = uploadHash(salt, upload.content);
  const ref: UploadRef = {
    uploadId: uploadIdOf(hash),
    uploader: ctx.mspId,
    hash,
    periodStart: formatRfc3339(upload.startMs),
    periodEnd: formatRfc3339(upload.endMs),
    count: upload.content.activities.length,
  };
  const combined = combineAndCheck(
    [...loaded, { ref, content: upload.content }],
    window.basisFromMs,
    upload.endMs,
  );
  const basis = {
    from: formatRfc3339(window.basisFromMs),
    to: ref.periodEnd,
    uploads: (combined?.uploads ?? []).map((u) => u.ref.uploadId),
  };
  const byMonth = findingsByMonth(combined, window.recomputed);
  const newBuckets = window.uploadMonths.map((month): [Month, UploadIndexBucket] => {
    const bucket = state.buckets.get(month) ?? { cardNumber, month, uploads: [] };
    return [
      month,
      {
        ...bucket,
        uploads: appendBounded(
          bucket.uploads,
          [ref],
          LIMITS.uploadsPerMonthMax,
          `the upload index of ${cardNumber} for ${month}`,
        ),
      },
    ];
  });

  // Every rule passed: write.
  const record: UploadRecord = {
    ...ref,
    cardNumber,
    uploadedAt: ctx.txTime,
    previous: head?.latest.uploadId ?? null,
  };
  ctx.put(keys.upload(cardNumber, ref.uploadId), record);
  ctx.put(keys.head(cardNumber), {
    cardNumber,
    latest: ref,
    uploads: (head?.uploads ?? 0) + 1,
  } satisfies RecordsHead);
  for (const [month, bucket] of newBuckets) ctx.put(keys.uploadIndex(cardNumber, month), bucket);
  const months: MonthFindings[] = window.recomputed.map((month) => {
    const next = byMonth.get(month)!;
    const written = !sameFindings(state.findings.get(month), next, basis.uploads);
    if (written) {
      ctx.put(keys.findings(cardNumber, month), {
        cardNumber,
        month,
        computedBy: ref.uploadId,
        basis,
        findings: next.findings,
        overflow: next.overflow,
      } satisfies FindingsRecord);
    }
    return { month, findings: next.findings, overflow: next.overflow, written };
  });
  ctx.addPrivateHash(RECORDS_COLLECTION, privateKeys.uploadHeader(cardNumber, ref.uploadId), hash);
  ctx.emit('records.uploaded', {
    cardNumber,
    uploadId: ref.uploadId,
    uploader: ctx.mspId,
    hash,
    periodStart: ref.periodStart,
    periodEnd: ref.periodEnd,
    count: ref.count,
    months: months.map((m) => ({
      month: m.month,
      infringements: m.findings.filter((f) => f.kind === 'INFRINGEMENT').length + m.overflow,
      written: m.written,
    })),
  });
  return { upload: record, basis, months };
}

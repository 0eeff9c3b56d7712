/**
 * `access.record`: the company's service logs, in batches, each access of an inspector to a
 * card's private records (docs/transport.md#access-log). Each entry goes to the card's month
 * bucket `access/<card>/<YYYY-MM>`, which the driver reads. An access is identified by the hash
 * of the inspector's signed request, so the same access served by two replicas (or retried after
 * a lost reply) is logged once. Only uploads the creator itself uploaded may be cited: a company
 * logs what its own store served.
 */
import type { TxContext } from '@civic/gateway';
import { parseCardNumber } from '../card-number.js';
import { refuseUnless } from '../errors.js';
import {
  inputObject,
  parseEnum,
  parseHex,
  parseInstant,
  parseList,
  parseMspId,
  parseOptionalText,
} from '../input.js';
import { monthOf, type Month } from '../months.js';
import { isInspectorate, OrgKind } from '../organisations.js';
import {
  ACCESS_PURPOSES,
  AccessVia,
  keys,
  LIMITS,
  type AccessEntry,
  type AccessLogBucket,
  type UploadRecord,
} from '../records.js';
import { parseUploadId } from '../upload.js';
import { Reads, requireKind, requireRecent, txMs } from './common.js';
import { parseOfficer, parsePeriod } from './inspection.js';

export interface AccessToRecord extends Omit<AccessEntry, 'servedBy'> {
  readonly cardNumber: string;
}

export interface RecordAccessInput {
  readonly entries: readonly AccessToRecord[];
}

export interface RecordAccessResult {
  readonly logged: number;
  /** Entries whose access was already in the log. */
  readonly duplicates: number;
}

function parseEntry(
  raw: unknown,
  field: string,
  nowMs: number,
  servedBy: string,
): AccessEntry & { cardNumber: string } {
  const item = inputObject(raw, field, [
    'accessId',
    'cardNumber',
    'at',
    'by',
    'officer',
    'purpose',
    'reference',
    'from',
    'to',
    'uploads',
    'via',
  ]);
  const at = parseInstant(item.at, `${field}.at`);
  requireRecent(at.ms, nowMs, LIMITS.recordDelayMsMax, `${field}.at`);
  const by = parseMspId(item.by, `${field}.by`);
  refuseUnless(
    isInspectorate(by),
    'VALUE_INVALID',
    () => `${field}.by ${by} is not an inspectorate`,
    () => ({
      field: `${field}.by`,
    }),
  );
  const period = parsePeriod(item.from, item.to, Number.MAX_SAFE_INTEGER, [`${field}.from`, `${field}.to`]);
  return {
    accessId: parseHex(item.accessId, `${field}.accessId`, 32),
    cardNumber: parseCardNumber(item.cardNumber, `${field}.cardNumber`),
    at: at.text,
    by,
    officer: parseOfficer(item.officer, `${field}.officer`),
    purpose: parseEnum(item.purpose, ACCESS_PURPOSES, `${field}.purpose`),
    reference: parseOptionalText(item.reference, `${field}.reference`, 80),
    from: period.from,
    to: period.to,
    uploads: parseList(item.uploads, `${field}.uploads`, 0, LIMITS.uploadsPerAccessMax).map((u, i) =>
      parseUploadId(u, `${field}.uploads[${i}]`),
    ),
    servedBy,
    via: parseEnum(item.via, Object.values(AccessVia), `${field}.via`),
  };
}

export async function recordAccess(ctx: TxContext, input: RecordAccessInput): Promise<RecordAccessResult> {
  requireKind(ctx, OrgKind.COMPANY, 'NOT_A_COMPANY', 'record accesses to its private records');
  const fields = inputObject(input, 'access', ['entries']);
  const nowMs = txMs(ctx);
  const entries = parseList(fields.entries, 'entries', 1, LIMITS.accessEntriesPerBatchMax).map((raw, i) =>
    parseEntry(raw, `entries[${i}]`, nowMs, ctx.mspId),
  );

  const reads = new Reads(ctx);
  for (const entry of entries) {
    for (const uploadId of entry.uploads) {
      const upload = await reads.get<UploadRecord>(keys.upload(entry.cardNumber, uploadId));
      refuseUnless(
        upload !== undefined,
        'UPLOAD_NOT_FOUND',
        () => `card ${entry.cardNumber} has no upload ${uploadId}`,
      );
      refuseUnless(
        upload.uploader === ctx.mspId,
        'UPLOAD_NOT_OURS',
        () =>
          `upload ${uploadId} of card ${entry.cardNumber} was uploaded by ${upload.uploader}, not ${ctx.mspId}`,
      );
    }
  }
  const buckets = new Map<string, { cardNumber: string; month: Month; add: AccessEntry[] }>();
  for (const { cardNumber, ...entry } of entries) {
    const month = monthOf(Date.parse(entry.at));
    const key = keys.access(cardNumber, month);
    const bucket = buckets.get(key) ?? { cardNumber, month, add: [] };
    bucket.add.push(entry);
    buckets.set(key, bucket);
  }
  let duplicates = 0;
  const updated: [string, AccessLogBucket][] = [];
  for (const [key, { cardNumber, month, add }] of buckets) {
    const bucket = (await reads.get<AccessLogBucket>(key)) ?? { cardNumber, month, entries: [], overflow: 0 };
    const seen = new Set(bucket.entries.map((e) => e.accessId));
    const fresh = add.filter((e) => !seen.has(e.accessId) && seen.add(e.accessId));
    duplicates += add.length - fresh.length;
    if (fresh.length === 0) continue;
    const room = Math.max(0, LIMITS.accessEntriesPerMonthMax - bucket.entries.length);
    const kept = fresh.slice(0, room);
    updated.push([
      key,
      {
        ...bucket,
        entries: [...bucket.entries, ...kept].sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0)),
        overflow: bucket.overflow + fresh.length - kept.length,
      },
    ]);
  }

  for (const [key, bucket] of updated) ctx.put(key, bucket);
  ctx.emit('access.recorded', {
    servedBy: ctx.mspId,
    entries: entries.map((e) => ({ cardNumber: e.cardNumber, accessId: e.accessId, by: e.by, at: e.at })),
    duplicates,
  });
  return { logged: entries.length - duplicates, duplicates };
}

/**
 * `check.record`: the access log (docs/parking.md#access-log). A roadside check is answered from
 * the peer's state at once; the service then records a batch of checks in one transaction, off
 * the officer's critical path. Each check of a known card or plate is appended to the holder's
 * month bucket `log/<hid>/<YYYY-MM>`, which the holder view reads: who checked, when, where
 * (municipality), through which card or plate, and what the answer was. Checks answered
 * UNKNOWN are only counted, and their numbers are not even read (the read set is on the chain
 * too): they concern nobody on the chain, and a plate seen at a place and time is not written to
 * an append-only ledger without a reason.
 */
import type { TxContext } from '@civic/gateway';
import { parseCardNumber } from '../card-number.js';
import { CheckReason } from '../check.js';
import { dutchDate, monthOf, parseInstant } from '../dates.js';
import { ParkingRuleViolation } from '../errors.js';
import { inputObject, parseArea, parseEnum } from '../input.js';
import { isEnforcement } from '../organisations.js';
import { normalisePlate } from '../plate.js';
import { parseHex64 } from '../privacy.js';
import {
  CheckStatus,
  keys,
  LIMITS,
  type AccessLogBucket,
  type AccessLogEntry,
  type CardRecord,
  type PlaceRecord,
} from '../records.js';

/** One answered check, as the service remembers it until the batch is recorded. */
export interface CheckToRecord {
  readonly via: 'card' | 'plate';
  /** The card number or plate as checked (normalised here). */
  readonly subject: string;
  readonly checkedAt: string;
  readonly officerRef: string;
  readonly area: string;
  readonly status: CheckStatus;
  readonly reason: CheckReason;
}

export interface RecordChecksInput {
  readonly checks: readonly CheckToRecord[];
}

export interface RecordChecksResult {
  /** Entries appended to holders' access logs. */
  readonly logged: number;
  /** Checks of numbers that match no record: counted in the event only. */
  readonly unmatched: number;
}

export async function recordChecks(ctx: TxContext, input: RecordChecksInput): Promise<RecordChecksResult> {
  const fields = inputObject(input, 'check.record');
  if (!isEnforcement(ctx.mspId)) {
    throw new ParkingRuleViolation(
      'NOT_ENFORCEMENT',
      `${ctx.mspId} does not enforce parking and may not record checks`,
    );
  }
  const txMs = parseInstant(ctx.txTime, 'txTime');
  const raw = fields.checks;
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > LIMITS.checksPerBatchMax) {
    throw new ParkingRuleViolation(
      'BATCH_SIZE_INVALID',
      `checks must be a list of 1 to ${LIMITS.checksPerBatchMax} checks, got ${Array.isArray(raw) ? raw.length : typeof raw}`,
    );
  }
  const entries = raw.map((check: unknown, i) => parseCheck(check, `checks[${i}]`, ctx.mspId, txMs));

  // All reads first: the holder of each subject, then each month bucket touched.
  const byBucket = new Map<string, { hid: string; month: string; entries: AccessLogEntry[] }>();
  let unmatched = 0;
  for (const entry of entries) {
    // A check answered UNKNOWN matched no record; it is not even looked up here, since the keys
    // a transaction reads are part of its payload and would put the number on the chain.
    const hid = entry.status === CheckStatus.UNKNOWN ? undefined : await holderOf(ctx, entry);
    if (hid === undefined) {
      unmatched++;
      continue;
    }
    const month = monthOf(dutchDate(entry.checkedAt));
    const key = keys.accessLog(hid, month);
    const bucket = byBucket.get(key) ?? { hid, month, entries: [] };
    bucket.entries.push(entry);
    byBucket.set(key, bucket);
  }
  const updated: [string, AccessLogBucket][] = [];
  for (const [key, add] of byBucket) {
    const bucket = (await ctx.get<AccessLogBucket>(key)) ?? {
      hid: add.hid,
      month: add.month,
      entries: [],
      overflow: 0,
    };
    updated.push([key, appendEntries(bucket, add.entries)]);
  }

  for (const [key, bucket] of updated) ctx.put(key, bucket);
  const logged = entries.length - unmatched;
  ctx.emit('checks.recorded', {
    checker: ctx.mspId,
    logged: [...byBucket.values()].flatMap(({ hid, entries: list }) =>
      list.map((entry) => ({ hid, ...entry })),
    ),
    unmatched,
  });
  return { logged, unmatched };
}

function appendEntries(bucket: AccessLogBucket, add: readonly AccessLogEntry[]): AccessLogBucket {
  const room = Math.max(0, LIMITS.accessLogEntriesPerMonthMax - bucket.entries.length);
  const kept = add.slice(0, room);
  return {
    ...bucket,
    entries: [...bucket.entries, ...kept].sort((a, b) =>
      a.checkedAt < b.checkedAt ? -1 : a.checkedAt > b.checkedAt ? 1 : 0,
    ),
    overflow: bucket.overflow + (add.length - kept.length),
  };
}

/** The hid behind a checked card or plate, or undefined when no record matches. */
async function holderOf(ctx: TxContext, entry: AccessLogEntry): Promise<string | undefined> {
  if (entry.via === 'card') return (await ctx.get<CardRecord>(keys.card(entry.subject)))?.hid;
  return (await ctx.get<PlaceRecord>(keys.plate(entry.subject)))?.hid;
}

function parseCheck(value: unknown, field: string, checker: string, txMs: number): AccessLogEntry {
  const check = inputObject(value, field);
  const via = parseEnum(check.via, ['card', 'plate'] as const, `${field}.via`);
  const subject =
    via === 'card'
      ? parseCardNumber(check.subject, `${field}.subject`).cardNumber
      : normalisePlate(check.subject, `${field}.subject`).plate;
  const checkedMs = parseInstant(check.checkedAt, `${field}.checkedAt`);
  if (checkedMs > txMs || txMs - checkedMs > LIMITS.checkRecordDelayMsMax) {
    throw new ParkingRuleViolation(
      'CHECK_TIME_OUT_OF_RANGE',
      `${field}.checkedAt ${String(check.checkedAt)} must be before the transaction and at most ${LIMITS.checkRecordDelayMsMax / 86_400_000} days old`,
      { field: `${field}.checkedAt` },
    );
  }
  return {
    checkedAt: check.checkedAt as string,
    checker,
    officerRef: parseHex64(check.officerRef, `${field}.officerRef`, 'HASH_MALFORMED'),
    area: parseArea(check.area, `${field}.area`),
    via,
    subject,
    status: parseEnum(check.status, Object.values(CheckStatus), `${field}.status`),
    reason: parseEnum(check.reason, Object.values(CheckReason), `${field}.reason`),
  };
}

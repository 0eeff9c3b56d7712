/**
 * The read side: what the chain says about a card, read by point keys from the own peer's
 * committed state (no read set, nothing written). Every range is bounded (LIMITS.rangeMsMax) and
 * turned into the month buckets that cover it.
 */
import { formatRfc3339 } from '../rules/time.js';
import { refuseUnless } from './errors.js';
import { monthsBetween, type Month } from './months.js';
import {
  keys,
  LIMITS,
  type AccessEntry,
  type AccessLogBucket,
  type CardRecord,
  type FindingsRecord,
  type InspectionIndexBucket,
  type InspectionSummary,
  type UploadIndexBucket,
  type UploadRef,
} from './records.js';
import { overlapping, refsOf } from './window.js';

export interface StateReader {
  get<T = unknown>(key: string): Promise<T | undefined>;
}

export interface Range {
  readonly fromMs: number;
  readonly toMs: number;
}

function months(range: Range): Month[] {
  refuseUnless(
    range.fromMs < range.toMs && range.toMs - range.fromMs <= LIMITS.rangeMsMax + LIMITS.contextMs,
    'VALUE_INVALID',
    () => `the range must end after it starts and span at most ${LIMITS.rangeMsMax / 86_400_000} days`,
    () => ({ field: 'to' }),
  );
  return monthsBetween(range.fromMs, range.toMs - 1, LIMITS.monthsPerQueryMax);
}

async function bucketsOf<T>(reader: StateReader, range: Range, key: (month: Month) => string): Promise<T[]> {
  const found: T[] = [];
  for (const month of months(range)) {
    const bucket = await reader.get<T>(key(month));
    if (bucket !== undefined) found.push(bucket);
  }
  return found;
}

export async function cardOf(reader: StateReader, cardNumber: string): Promise<CardRecord | undefined> {
  return reader.get<CardRecord>(keys.card(cardNumber));
}

/** The card's uploads overlapping the range, ordered by start. */
export async function uploadsIn(reader: StateReader, cardNumber: string, range: Range): Promise<UploadRef[]> {
  const buckets = await bucketsOf<UploadIndexBucket>(reader, range, (m) => keys.uploadIndex(cardNumber, m));
  return overlapping(refsOf(buckets), range.fromMs, range.toMs);
}

/** The months' findings records (as the chain keeps them) for the months the range touches. */
export async function findingsIn(
  reader: StateReader,
  cardNumber: string,
  range: Range,
): Promise<FindingsRecord[]> {
  return bucketsOf<FindingsRecord>(reader, range, (m) => keys.findings(cardNumber, m));
}

export interface AccessLogView {
  readonly entries: readonly AccessEntry[];
  /** Accesses beyond the monthly bound, counted only. */
  readonly overflow: number;
}

export async function accessLogIn(
  reader: StateReader,
  cardNumber: string,
  range: Range,
): Promise<AccessLogView> {
  const buckets = await bucketsOf<AccessLogBucket>(reader, range, (m) => keys.access(cardNumber, m));
  const from = formatRfc3339(range.fromMs);
  const to = formatRfc3339(range.toMs);
  return {
    entries: buckets.flatMap((b) => b.entries).filter((e) => e.at >= from && e.at < to),
    overflow: buckets.reduce((n, b) => n + b.overflow, 0),
  };
}

export async function inspectionsIn(
  reader: StateReader,
  cardNumber: string,
  range: Range,
): Promise<InspectionSummary[]> {
  const buckets = await bucketsOf<InspectionIndexBucket>(reader, range, (m) =>
    keys.inspections(cardNumber, m),
  );
  const from = formatRfc3339(range.fromMs);
  const to = formatRfc3339(range.toMs);
  return buckets.flatMap((b) => b.inspections).filter((i) => i.checkedAt >= from && i.checkedAt < to);
}

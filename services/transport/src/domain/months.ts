/**
 * Calendar months (UTC, the tachograph's time base) that bucket per-card state: upload indexes,
 * findings, access logs and inspections are kept under `…/<card>/<YYYY-MM>` so that every read
 * is a point read of a few keys (MVCC protects point reads only).
 */
import { invariant } from './errors.js';

export type Month = string;

const MONTH = /^(\d{4})-(\d{2})$/;

export function monthOf(instantMs: number): Month {
  return new Date(instantMs).toISOString().slice(0, 7);
}

export function isMonth(value: unknown): value is Month {
  const match = typeof value === 'string' ? MONTH.exec(value) : null;
  return match !== null && Number(match[2]) >= 1 && Number(match[2]) <= 12;
}

/** 00:00Z of the first day of `month`. */
export function monthStartMs(month: Month): number {
  invariant(isMonth(month), () => `not a month: ${month}`);
  return Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)) - 1, 1);
}

/** 00:00Z of the first day of the month after `month`. */
export function monthEndMs(month: Month): number {
  const start = new Date(monthStartMs(month));
  return Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1);
}

/**
 * Every month from the one holding `fromMs` to the one holding `toMs` (inclusive), at most
 * `max`: callers bound their ranges, and this refuses to loop further.
 */
export function monthsBetween(fromMs: number, toMs: number, max: number): Month[] {
  invariant(fromMs <= toMs, () => `month range ends before it starts`);
  const months: Month[] = [];
  let month = monthOf(fromMs);
  const last = monthOf(toMs);
  for (;;) {
    invariant(months.length < max, () => `more than ${max} months between two instants`);
    months.push(month);
    if (month === last) return months;
    month = monthOf(monthEndMs(month));
  }
}

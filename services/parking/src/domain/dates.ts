/**
 * Calendar dates of the parking domain. Cards, assessments and places carry calendar dates
 * (`YYYY-MM-DD`, the day as printed on the card, inclusive); transaction and check times are
 * RFC 3339 UTC instants with milliseconds (docs/protocol.md). The day an instant falls on is the
 * Dutch civil day: Europe/Amsterdam, computed here from the EU summer-time rule (Directive
 * 2000/84/EC: CEST from 01:00 UTC on the last Sunday of March to 01:00 UTC on the last Sunday of
 * October) so that every peer and endorser gets the same day without depending on the time-zone
 * database of its runtime.
 */
import { ParkingRuleViolation, show } from './errors.js';

/** A calendar date, `YYYY-MM-DD`. */
export type CalendarDate = string;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;
const INSTANT_PATTERN = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Dates outside these years are refused: they are typing errors, not parking cards. */
const YEAR_MIN = 1900;
const YEAR_MAX = 2999;

/** Parses a `YYYY-MM-DD` calendar date; refuses impossible dates (2026-02-30) with DATE_MALFORMED. */
export function parseDate(value: unknown, field: string): CalendarDate {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  if (match === null) {
    throw new ParkingRuleViolation(
      'DATE_MALFORMED',
      `${field} must be a date YYYY-MM-DD, got ${show(value)}`,
      { field },
    );
  }
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (year < YEAR_MIN || year > YEAR_MAX || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day) {
    throw new ParkingRuleViolation('DATE_MALFORMED', `${field} is not a calendar date: ${show(value)}`, {
      field,
    });
  }
  return value as CalendarDate;
}

/** Parses an RFC 3339 UTC instant with exactly three fraction digits; returns epoch milliseconds. */
export function parseInstant(value: unknown, field: string): number {
  const match = typeof value === 'string' ? INSTANT_PATTERN.exec(value) : null;
  if (match === null) {
    throw new ParkingRuleViolation(
      'DATE_MALFORMED',
      `${field} must be an RFC 3339 UTC time like 2026-11-28T10:07:29.123Z, got ${show(value)}`,
      { field },
    );
  }
  const ms = Date.parse(value as string);
  // Date.parse rolls 2026-02-30 over to March: compare the round trip to refuse it.
  if (!Number.isFinite(ms) || new Date(ms).toISOString() !== value) {
    throw new ParkingRuleViolation('DATE_MALFORMED', `${field} is not a valid time: ${show(value)}`, {
      field,
    });
  }
  const year = Number(match[1]);
  if (year < YEAR_MIN || year > YEAR_MAX) {
    throw new ParkingRuleViolation('DATE_MALFORMED', `${field} is out of range: ${show(value)}`, { field });
  }
  return ms;
}

/** The Dutch civil date (Europe/Amsterdam) of an RFC 3339 instant. */
export function dutchDate(instant: string): CalendarDate {
  const ms = parseInstant(instant, 'time');
  return toDate(ms + amsterdamOffsetMs(ms));
}

/** Offset of Europe/Amsterdam from UTC at `ms`: one hour, two in summer time. */
export function amsterdamOffsetMs(ms: number): number {
  const year = new Date(ms).getUTCFullYear();
  const start = lastSundayUtc(year, 2) + HOUR_MS;
  const end = lastSundayUtc(year, 9) + HOUR_MS;
  return ms >= start && ms < end ? 2 * HOUR_MS : HOUR_MS;
}

/** Midnight UTC of the last Sunday of `month` (0-based) in `year`. */
function lastSundayUtc(year: number, month: number): number {
  const lastDay = Date.UTC(year, month + 1, 0);
  return lastDay - new Date(lastDay).getUTCDay() * DAY_MS;
}

/** `date` plus `years`, keeping the day of the month (29 February becomes 28 February). */
export function addYears(date: CalendarDate, years: number): CalendarDate {
  return addMonths(date, years * 12);
}

/** `date` plus `months`, clamped to the last day of the target month (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: CalendarDate, months: number): CalendarDate {
  if (!Number.isInteger(months)) throw new TypeError(`addMonths: ${months} is not an integer`);
  const [year, month, day] = splitDate(date);
  const target = new Date(Date.UTC(year, month - 1 + months, 1));
  const lastDay = new Date(Date.UTC(target.getUTCFullYear(), target.getUTCMonth() + 1, 0)).getUTCDate();
  return toDate(Date.UTC(target.getUTCFullYear(), target.getUTCMonth(), Math.min(day, lastDay)));
}

/** `date` plus `days` (may be negative). */
export function addDays(date: CalendarDate, days: number): CalendarDate {
  const [year, month, day] = splitDate(date);
  return toDate(Date.UTC(year, month - 1, day) + days * DAY_MS);
}

/** The earlier of two dates. */
export function minDate(a: CalendarDate, b: CalendarDate): CalendarDate {
  return a <= b ? a : b;
}

/** `YYYY-MM` of a date: the month bucket of the access log. */
export function monthOf(date: CalendarDate): string {
  return date.slice(0, 7);
}

/** The months from `from` to `to` inclusive (`YYYY-MM`), at most `countMax`, latest last. */
export function monthsBetween(from: string, to: string, countMax: number): string[] {
  const months: string[] = [];
  let cursor = `${to}-01`;
  const first = `${from}-01`;
  while (cursor >= first && months.length < countMax) {
    months.push(monthOf(cursor));
    cursor = addMonths(cursor, -1);
  }
  return months.reverse();
}

function splitDate(date: CalendarDate): [number, number, number] {
  const match = DATE_PATTERN.exec(date);
  if (match === null) throw new TypeError(`not a date YYYY-MM-DD: ${JSON.stringify(date)}`);
  return [Number(match[1]), Number(match[2]), Number(match[3])];
}

function toDate(ms: number): CalendarDate {
  return new Date(ms).toISOString().slice(0, 10);
}

/**
 * Calendar arithmetic for the rolling window, on `YYYY-MM-DD` strings (UTC). Strings of this
 * form order lexicographically as dates, which the window code relies on.
 */
import type { IsoDate, Rfc3339 } from './records.js';

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME_RE = /^(\d{4}-\d{2}-\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{3})Z$/;

/** True when `text` is a `YYYY-MM-DD` date that exists in the calendar. */
export function isIsoDate(text: string): boolean {
  const m = DATE_RE.exec(text);
  if (!m) return false;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  return year >= 1 && month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month);
}

/** True when `text` is an RFC 3339 UTC time with exactly three fraction digits, as the contract says. */
export function isRfc3339(text: string): boolean {
  const m = TIME_RE.exec(text);
  if (!m || !isIsoDate(m[1]!)) return false;
  return Number(m[2]) <= 23 && Number(m[3]) <= 59 && Number(m[4]) <= 59;
}

/** The UTC calendar date of an RFC 3339 time. */
export function dateOf(time: Rfc3339): IsoDate {
  return time.slice(0, 10);
}

/** `date` moved by `years` (may be negative); 29 February becomes 28 February in a common year. */
export function addYears(date: IsoDate, years: number): IsoDate {
  const [year, month, day] = parts(date);
  const target = year + years;
  return format(target, month, Math.min(day, daysInMonth(target, month)));
}

/** The next calendar day. */
export function nextDay(date: IsoDate): IsoDate {
  const [year, month, day] = parts(date);
  if (day < daysInMonth(year, month)) return format(year, month, day + 1);
  if (month < 12) return format(year, month + 1, 1);
  return format(year + 1, 1, 1);
}

function parts(date: IsoDate): [number, number, number] {
  const m = DATE_RE.exec(date);
  if (!m) throw new RangeError(`not a YYYY-MM-DD date: ${date}`);
  return [Number(m[1]), Number(m[2]), Number(m[3])];
}

function format(year: number, month: number, day: number): IsoDate {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return isLeap(year) ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

function isLeap(year: number): boolean {
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
}

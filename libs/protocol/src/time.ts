/**
 * Times of the wire contract: RFC 3339 UTC with exactly three fraction digits
 * (`2026-11-28T10:07:29.123Z`), the form of `Date.prototype.toISOString` for years 0000..9999.
 * One spelling per instant, so times compare as strings and hash the same everywhere.
 */
const RFC3339_MS = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.\d{3}Z$/;

function daysIn(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** True when `value` is an existing instant in the contract's exact form (no Feb 30, 24:00 or leap second). */
export function isRfc3339Ms(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const match = RFC3339_MS.exec(value);
  if (!match) return false;
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return (
    month >= 1 &&
    month <= 12 &&
    day >= 1 &&
    day <= daysIn(year, month) &&
    hour < 24 &&
    minute < 60 &&
    second < 60
  );
}

/** The contract's form of a Date or of epoch milliseconds. */
export function formatRfc3339Ms(time: Date | number): string {
  const ms = time instanceof Date ? time.getTime() : time;
  if (typeof ms !== 'number' || !Number.isFinite(ms))
    throw new TypeError('formatRfc3339Ms: Date or epoch milliseconds expected');
  const text = new Date(ms).toISOString();
  if (!RFC3339_MS.test(text)) throw new RangeError(`formatRfc3339Ms: year outside 0000..9999 (${text})`);
  return text;
}

/** Epoch milliseconds of a time in the contract's form; throws TypeError otherwise. */
export function parseRfc3339Ms(value: string): number {
  if (!isRfc3339Ms(value))
    throw new TypeError(`not an RFC 3339 UTC time with milliseconds: ${JSON.stringify(value)}`);
  return Date.parse(value);
}

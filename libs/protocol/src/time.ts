/**
 * Times of the wire contract: RFC 3339 UTC with exactly three fraction digits
 * (`2026-11-28T10:07:29.123Z`), the form of `Date.prototype.toISOString` for years 0000..9999.
 * One spelling per instant, so times compare as strings and hash the same everywhere.
 */
const RFC3339_MS = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/** True when `value` is an existing instant in the contract's exact form. */
export function isRfc3339Ms(value: unknown): value is string {
  if (typeof value !== 'string' || !RFC3339_MS.test(value)) return false;
  const ms = Date.parse(value);
  // The round trip refuses what Date.parse rolls over or mis-reads (Feb 30, 24:00, leap seconds).
  return Number.isFinite(ms) && new Date(ms).toISOString() === value;
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

/**
 * Time arithmetic for the engine. Every instant is an integer number of milliseconds since the
 * Unix epoch (UTC); every duration is an integer number of milliseconds. Names carry the unit.
 * Nothing here reads a clock: "now" is always an argument.
 */

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;
export const WEEK_MS = 7 * DAY_MS;

/** 1970-01-05T00:00:00Z, the first Monday after the epoch (1970-01-01 was a Thursday). */
const FIRST_MONDAY_MS = 4 * DAY_MS;

/** `h` hours and `m` minutes, in milliseconds. */
export function hm(hours: number, minutes = 0): number {
  return hours * HOUR_MS + minutes * MINUTE_MS;
}

/**
 * Monday 00:00 UTC of the fixed week (Art. 4(i) 561/2006: Monday 00:00 to Sunday 24:00) that
 * contains the instant. Tachographs record in UTC (Reg. 165/2014), so weeks are UTC weeks.
 */
export function weekStartMs(instantMs: number): number {
  const sinceMonday = (((instantMs - FIRST_MONDAY_MS) % WEEK_MS) + WEEK_MS) % WEEK_MS;
  return instantMs - sinceMonday;
}

/** Minutes, for figures. Exact when the input is minute-aligned (tachograph resolution). */
export function toMinutes(durationMs: number): number {
  return durationMs / MINUTE_MS;
}

// RFC 3339 in UTC: date, 'T', time with seconds, optional fraction of at most 3 digits, 'Z'.
// Offsets other than Z are refused so that one instant has one spelling on the way in too.
const RFC3339_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,3})?Z$/;

/** Parses an RFC 3339 UTC timestamp to epoch milliseconds; null when malformed or impossible. */
export function parseRfc3339Utc(text: string): number | null {
  if (!RFC3339_UTC.test(text)) return null;
  const ms = Date.parse(text);
  if (!Number.isFinite(ms)) return null;
  // Date.parse rolls 30 February or 24:00 over to the next day; a round trip catches them.
  return new Date(ms).toISOString().slice(0, 19) === text.slice(0, 19) ? ms : null;
}

/** RFC 3339 UTC with exactly three fraction digits, the wire contract's spelling of a time. */
export function formatRfc3339(instantMs: number): string {
  return new Date(instantMs).toISOString();
}

/**
 * The `from`/`to` of a query: RFC 3339 UTC; by default the 28 days before now, the period an
 * inspector checks at the roadside (the current day and the previous 28, Reg. (EU) No 165/2014
 * Art. 36); at most LIMITS.rangeMsMax.
 */
import { LIMITS, parseInstant, TransportRuleViolation } from '../domain/index.js';
import { formatRfc3339 } from '../rules/time.js';

export interface QueryRange {
  readonly fromMs: number;
  readonly toMs: number;
  readonly from: string;
  readonly to: string;
}

export const DEFAULT_RANGE_MS = 28 * 86_400_000;

export function parseRange(from: unknown, to: unknown, nowMs: number): QueryRange {
  const toMs = to === undefined ? nowMs : parseInstant(to, 'to').ms;
  const fromMs = from === undefined ? toMs - DEFAULT_RANGE_MS : parseInstant(from, 'from').ms;
  if (!(fromMs < toMs) || toMs - fromMs > LIMITS.rangeMsMax) {
    throw new TransportRuleViolation(
      'VALUE_INVALID',
      `from must be before to and at most ${LIMITS.rangeMsMax / 86_400_000} days before it`,
      { field: 'from' },
    );
  }
  return { fromMs, toMs, from: formatRfc3339(fromMs), to: formatRfc3339(toMs) };
}

/**
 * Every refusal of the transport domain is a TransportRuleViolation naming its rule: a stable code
 * (what clients and tests match on), the category a service maps to an HTTP status, and where the
 * rule comes from. Transaction functions check every rule before their first write, so a refusal
 * never leaves anything in the write set. Broken invariants of the domain's own records are
 * TransportInvariantError (a bug or tampered state: 500, not 4xx). The catalogue's shape is the
 * kit's (`@civic/service-kit/rules`), shared with the parking domain.
 */
import { CatalogueRuleViolation, showValue, type RuleCatalogue } from '@civic/service-kit/rules';

const DOC = 'docs/transport.md';
const TACHO = 'Regulation (EU) No 165/2014';

/** Every rule code. Codes are part of the service's API: never rename. */
export const RULES = {
  // Input: the request itself is wrong.
  VALUE_INVALID: { category: 'input', source: `${DOC}#transactions` },
  CARD_NUMBER_MALFORMED: { category: 'input', source: `${TACHO} Annex IC (card number); ${DOC}#cards` },
  RECORDS_INVALID: { category: 'input', source: `docs/transport-rules.md#validation-errors` },
  UPLOAD_TOO_LARGE: { category: 'input', source: `${DOC}#bounds` },
  CARD_UNKNOWN: { category: 'input', source: `${DOC}#uploads (the card must be in RDW's register)` },
  ACTIVITY_OUTSIDE_CARD_VALIDITY: { category: 'input', source: `${TACHO} Art. 26; ${DOC}#uploads` },
  TIME_OUT_OF_RANGE: { category: 'input', source: `${DOC}#transactions` },

  // Permission: the organisation may not do this.
  NOT_A_COMPANY: { category: 'permission', source: `${DOC}#organisations` },
  NOT_CARD_AUTHORITY: {
    category: 'permission',
    source: `${TACHO} Art. 26 (Member State issues cards); ${DOC}#organisations`,
  },
  NOT_AN_INSPECTORATE: {
    category: 'permission',
    source: `Directive 2006/22/EC Art. 2; ${DOC}#organisations`,
  },
  CARD_OF_ANOTHER_COMPANY: { category: 'permission', source: `${DOC}#uploads` },
  UPLOAD_NOT_OURS: { category: 'permission', source: `${DOC}#access-log` },

  // Not found: the request names something the ledger does not hold.
  CARD_NOT_FOUND: { category: 'not-found', source: `${DOC}#cards` },
  UPLOAD_NOT_FOUND: { category: 'not-found', source: `${DOC}#uploads` },
  INSPECTION_NOT_FOUND: { category: 'not-found', source: `${DOC}#inspections` },

  // Conflict: well formed, but the state refuses it.
  CARD_EXISTS: { category: 'conflict', source: `${DOC}#cards` },
  UPLOAD_OVERLAPS: { category: 'conflict', source: `${DOC}#uploads (uploads of a card are chronological)` },
  CONTEXT_CHANGED: { category: 'conflict', source: `${DOC}#findings-on-the-chain` },
  CONTEXT_MISMATCH: { category: 'conflict', source: `${DOC}#sharing` },
  INSPECTION_EXISTS: { category: 'conflict', source: `${DOC}#inspections` },
  EVIDENCE_MISMATCH: { category: 'conflict', source: `${DOC}#inspections` },
  LIMIT_REACHED: { category: 'conflict', source: `${DOC}#bounds` },
} as const satisfies RuleCatalogue;

export type RuleCode = keyof typeof RULES;

/** A refused transport request: names the rule, its source and what was wrong. Nothing was written. */
export class TransportRuleViolation extends CatalogueRuleViolation<RuleCode> {
  override readonly name = 'TransportRuleViolation';

  constructor(
    rule: RuleCode,
    detail: string,
    /** Machine-readable particulars (the bad period, the input errors, the clashing upload). */
    details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(RULES, rule, detail, details, options);
  }
}

export function refuseUnless(
  condition: boolean,
  rule: RuleCode,
  detail: () => string,
  details?: () => Record<string, unknown>,
): asserts condition {
  if (!condition) throw new TransportRuleViolation(rule, detail(), details?.());
}

/** A broken invariant of the domain's own records: a bug or tampered state, never the caller's fault. */
export class TransportInvariantError extends Error {
  override readonly name = 'TransportInvariantError';
}

export function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new TransportInvariantError(message());
}

/** A short, quoted rendering of a refused value (bounded: input may be hostile). */
export function show(value: unknown): string {
  return showValue(value, 80);
}

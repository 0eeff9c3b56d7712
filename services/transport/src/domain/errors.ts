/**
 * Every refusal of the transport domain is a TransportRuleViolation naming its rule: a stable code
 * (what clients and tests match on), the category a service maps to an HTTP status, and where the
 * rule comes from. Transaction functions check every rule before their first write, so a refusal
 * never leaves anything in the write set. Broken invariants of the domain's own records are
 * TransportInvariantError (a bug or tampered state: 500, not 4xx).
 */

/** How a service answers a refusal: 400, 403, 404 or 409 respectively. */
export const RuleCategory = {
  INPUT: 'input',
  PERMISSION: 'permission',
  NOT_FOUND: 'not-found',
  CONFLICT: 'conflict',
} as const;
export type RuleCategory = (typeof RuleCategory)[keyof typeof RuleCategory];

interface RuleSpec {
  readonly category: RuleCategory;
  /** Where the rule comes from; docs/transport.md explains each. */
  readonly source: string;
}

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
} as const satisfies Record<string, RuleSpec>;

export type RuleCode = keyof typeof RULES;

/** A refused transport request: names the rule, its source and what was wrong. Nothing was written. */
export class TransportRuleViolation extends Error {
  override readonly name = 'TransportRuleViolation';
  readonly category: RuleCategory;
  readonly source: string;

  constructor(
    readonly rule: RuleCode,
    /** What is wrong, naming the value, period or record involved. */
    readonly detail: string,
    /** Machine-readable particulars (the bad period, the input errors, the clashing upload). */
    readonly details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(`${rule}: ${detail}`, options);
    const spec: RuleSpec = RULES[rule];
    this.category = spec.category;
    this.source = spec.source;
  }

  /** The violation as it travels (endorsement refusals, REST bodies). */
  toJSON(): Record<string, unknown> {
    return {
      ...this.details,
      rule: this.rule,
      category: this.category,
      message: this.detail,
      source: this.source,
    };
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
  let text: string;
  try {
    text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > 80 ? `${text.slice(0, 77)}...` : text;
}

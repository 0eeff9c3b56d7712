/**
 * Every refusal of the parking domain is a ParkingRuleViolation that names its rule: a stable
 * code (what clients and tests match on), the category a service maps to an HTTP status, and the
 * source of the rule (the regulation or guidance it comes from, and the section of
 * docs/parking.md that explains the interpretation). Transaction functions check every rule
 * before their first write, so a refusal never leaves anything in the write set. The catalogue's
 * shape is the kit's (`@civic/service-kit/rules`), shared with the transport domain.
 */
import { CatalogueRuleViolation, showValue, type RuleCatalogue } from '@civic/service-kit/rules';

const DOC = 'docs/parking.md';
const BABW = 'Besluit administratieve bepalingen inzake het wegverkeer (BABW) art. 49-52';
const REGELING = 'Regeling gehandicaptenparkeerkaart art. 1-2';

/** Every rule code, with its category and source. Codes are part of the service's API: never rename. */
export const RULES = {
  // Input shape: the request itself is wrong.
  PLATE_MALFORMED: { category: 'input', source: `RDW sidecodes 1-14; ${DOC}#licence-plates` },
  CARD_NUMBER_MALFORMED: { category: 'input', source: `${DOC}#card-numbers` },
  HOLDER_ID_MALFORMED: { category: 'input', source: `${DOC}#privacy` },
  PERSON_ID_MALFORMED: {
    category: 'input',
    source: `Wet algemene bepalingen BSN (11-proef); ${DOC}#privacy`,
  },
  HASH_MALFORMED: { category: 'input', source: `docs/protocol.md (private data hashes); ${DOC}#privacy` },
  SALT_MALFORMED: { category: 'input', source: `${DOC}#privacy` },
  DATE_MALFORMED: { category: 'input', source: `docs/protocol.md (times); ${DOC}#validity` },
  CARD_KIND_INVALID: { category: 'input', source: `${REGELING}; ${DOC}#cards` },
  VALUE_INVALID: { category: 'input', source: `${DOC}#transactions` },
  ASSESSMENT_ID_MALFORMED: { category: 'input', source: `${DOC}#assessments` },
  CARD_SERIAL_OUT_OF_RANGE: { category: 'input', source: `${DOC}#card-numbers` },
  AREA_MALFORMED: { category: 'input', source: `${DOC}#access-log` },
  BATCH_SIZE_INVALID: { category: 'input', source: `${DOC}#access-log` },
  CHECK_TIME_OUT_OF_RANGE: { category: 'input', source: `${DOC}#access-log` },
  DATE_IN_FUTURE: { category: 'input', source: `${DOC}#validity` },

  // Permission: the organisation may not do this.
  NOT_A_MUNICIPALITY: { category: 'permission', source: `${BABW}; ${DOC}#who-is-who` },
  NOT_REGISTERED_HERE: {
    category: 'permission',
    source: `${BABW} (the municipality of registration in the BRP issues); ${DOC}#who-is-who`,
  },
  NOT_INDEPENDENT_ASSESSOR: {
    category: 'permission',
    source: `${REGELING} (geneeskundig onderzoek); ${DOC}#who-is-who`,
  },
  NOT_ENFORCEMENT: { category: 'permission', source: `${DOC}#who-is-who` },

  // Not found: the request names something the ledger does not hold.
  HOLDER_UNKNOWN: { category: 'not-found', source: `${DOC}#state` },
  CARD_UNKNOWN: { category: 'not-found', source: `${DOC}#state` },
  PLACE_UNKNOWN: { category: 'not-found', source: `${DOC}#state` },

  // Conflict: the request is well formed but the rules refuse it in the current state.
  HOLDER_EXISTS: { category: 'conflict', source: `${DOC}#state` },
  HOLDER_DECEASED: { category: 'conflict', source: `${BABW}; ${DOC}#end-of-validity` },
  HOLDER_MOVED: { category: 'conflict', source: `${BABW}; ${DOC}#end-of-validity` },
  HOLDER_ERASED: { category: 'conflict', source: `GDPR art. 17; ${DOC}#erasure` },
  NO_POSITIVE_ASSESSMENT: { category: 'conflict', source: `${REGELING}; ${DOC}#assessments` },
  ASSESSMENT_OTHER_HOLDER: { category: 'conflict', source: `${REGELING}; ${DOC}#assessments` },
  ASSESSMENT_EXPIRED: { category: 'conflict', source: `${REGELING}; ${DOC}#assessments` },
  ASSESSMENT_EXISTS: { category: 'conflict', source: `${DOC}#assessments` },
  ASSESSMENT_TOO_SHORT: {
    category: 'conflict',
    source: `${REGELING} (loopbeperking van langdurige aard, at least six months); ${DOC}#assessments`,
  },
  WRONG_CARD_KIND: { category: 'conflict', source: `${REGELING} (bestuurder / passagier); ${DOC}#cards` },
  VALIDITY_TOO_LONG: { category: 'conflict', source: `${BABW} (at most five years); ${DOC}#validity` },
  VALIDITY_BEYOND_ASSESSMENT: { category: 'conflict', source: `${DOC}#validity` },
  VALIDITY_ENDS_BEFORE_START: { category: 'conflict', source: `${DOC}#validity` },
  CARD_NUMBER_TAKEN: { category: 'conflict', source: `${DOC}#card-numbers` },
  CARD_NOT_VALID: { category: 'conflict', source: `${DOC}#duplicates` },
  PASSENGER_PLACE_NOT_JUSTIFIED: {
    category: 'conflict',
    source: `municipal GPP guidance (passengers only by exception); ${DOC}#reserved-places`,
  },
  PLACE_ALREADY_ASSIGNED: { category: 'conflict', source: `${DOC}#reserved-places` },
  PLATE_TAKEN: { category: 'conflict', source: `${DOC}#reserved-places` },
  PLACE_NOT_ACTIVE: { category: 'conflict', source: `${DOC}#reserved-places` },
  LIMIT_REACHED: { category: 'conflict', source: `${DOC}#bounds` },
} as const satisfies RuleCatalogue;

export type RuleCode = keyof typeof RULES;

/** A refused parking request: names the rule, its source and what was wrong. Nothing was written. */
export class ParkingRuleViolation extends CatalogueRuleViolation<RuleCode> {
  override readonly name = 'ParkingRuleViolation';

  constructor(
    rule: RuleCode,
    detail: string,
    /**
     * Machine-readable particulars, carried in the JSON and the REST body. Input refusals name
     * the refused input as `field` (`plate`, `cardNumber`, `validUntil`, `checks[3].area`).
     */
    details: Readonly<Record<string, unknown>> = {},
    options?: { cause?: unknown },
  ) {
    super(RULES, rule, detail, details, options);
  }
}

/** Throws a ParkingRuleViolation when `condition` is false. */
export function refuseUnless(condition: boolean, rule: RuleCode, detail: () => string): asserts condition {
  if (!condition) throw new ParkingRuleViolation(rule, detail());
}

/**
 * A broken invariant of the domain's own records (a bug or a tampered state), not a refusal of a
 * request. Distinct from ParkingRuleViolation so that a service answers 500, not 4xx.
 */
export class ParkingInvariantError extends Error {
  override readonly name = 'ParkingInvariantError';
}

export function invariant(condition: boolean, message: () => string): asserts condition {
  if (!condition) throw new ParkingInvariantError(message());
}

/** A short, quoted rendering of a refused value for messages (bounded: input may be hostile). */
export function show(value: unknown): string {
  return showValue(value, 60);
}

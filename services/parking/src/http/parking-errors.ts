/**
 * The parking domain's refusals as REST answers: `{ error: { code, rule, message, source } }`
 * with the rule category's status (input 400, permission 403, not-found 404, conflict 409),
 * whether the rule refused here, on an endorser (plus `refusedBy`), or came back as a violation
 * from the gateway. A broken invariant of stored records is a 500.
 */
import { ApiError, createErrorMapping, type ErrorMapping } from '@civic/service-kit';
import { ParkingRuleViolation, RULES, type RuleCategory, type RuleCode } from '../domain/index.js';
import { ProofUnavailableError } from '../ledger/record-proofs.js';

export const CATEGORY_STATUS: Readonly<Record<RuleCategory, number>> = {
  input: 400,
  permission: 403,
  'not-found': 404,
  conflict: 409,
};

/** A violation as it travels (ParkingRuleViolation.toJSON()). */
export interface ViolationJson {
  readonly rule: RuleCode;
  readonly category: RuleCategory;
  readonly message: string;
  readonly source: string;
}

export function isViolationJson(value: unknown): value is ViolationJson {
  if (value === null || typeof value !== 'object') return false;
  const { rule } = value as { rule?: unknown };
  return typeof rule === 'string' && Object.hasOwn(RULES, rule);
}

/** The REST answer of a refused rule; `refusedBy` when another organisation's endorser refused. */
export function violationError(violation: ViolationJson, refusedBy?: string): ApiError {
  const spec = RULES[violation.rule];
  return new ApiError(CATEGORY_STATUS[spec.category], {
    code: violation.rule,
    rule: violation.rule,
    message:
      refusedBy === undefined ? violation.message : `${refusedBy}'s endorser refused: ${violation.message}`,
    source: spec.source,
    ...(refusedBy === undefined ? {} : { refusedBy }),
  });
}

export function parkingErrorMapping(): ErrorMapping {
  return createErrorMapping({
    domain: [
      (error) => (error instanceof ParkingRuleViolation ? violationError(error.toJSON()) : null),
      (error) =>
        error instanceof ProofUnavailableError
          ? new ApiError(503, { code: 'PROOF_UNAVAILABLE', message: error.message }, { cause: error })
          : null,
    ],
    violation: (violation, refusedBy) =>
      isViolationJson(violation) ? violationError(violation, refusedBy) : null,
  });
}

/**
 * The parking domain's refusals as REST answers: the kit's `ruleErrors` over the domain's rule
 * catalogue (`{ error: { code, rule, message, source } }`, status by rule category: input 400,
 * permission 403, not-found 404, conflict 409), whether the rule refused here, on an endorser
 * (plus `refusedBy`), or came back as a violation from the gateway. A record proof that cannot be
 * had is a 503; a broken invariant of stored records is a 500.
 */
import { ApiError, createErrorMapping, ruleErrors, type ErrorMapping } from '@civic/service-kit';
import type { RuleViolationJson } from '@civic/service-kit/rules';
import { RULES, type RuleCode } from '../domain/index.js';
import { ProofUnavailableError } from '../ledger/record-proofs.js';

/** A violation as it travels (ParkingRuleViolation.toJSON()). */
export type ViolationJson = RuleViolationJson<RuleCode>;

const rules = ruleErrors(RULES);

/** The REST answer of a refused rule; `refusedBy` when another organisation's endorser refused. */
export const violationError = rules.violationError;

export function parkingErrorMapping(): ErrorMapping {
  return createErrorMapping({
    domain: [
      rules.thrown,
      (error) =>
        error instanceof ProofUnavailableError
          ? new ApiError(503, { code: 'PROOF_UNAVAILABLE', message: error.message }, { cause: error })
          : null,
    ],
    violation: rules.endorsed,
  });
}

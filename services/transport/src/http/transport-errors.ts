/**
 * The transport domain's refusals as REST answers: the kit's `ruleErrors` over the domain's rule
 * catalogue, `{ error: { code, rule, message, source, … } }` with the rule category's status
 * (input 400, permission 403, not-found 404, conflict 409) and the rule's particulars (the bad
 * `path` and `period`, every input error, the clashing upload).
 * Errors of the service's own I/O (a company's records that do not match the chain, a company
 * that does not answer, a full access log) have their own classes, mapped here too.
 */
import {
  ApiError,
  BatchQueueFullError,
  createErrorMapping,
  ruleErrors,
  type ErrorMapper,
  type ErrorMapping,
} from '@civic/service-kit';
import type { RuleViolationJson } from '@civic/service-kit/rules';
import { RULES, TransportInvariantError, type RuleCode } from '../domain/index.js';
import { MissingPrivateDataError } from '../private/records-store.js';
import { RecordsMismatchError, ShareRefusedError, ShareUnavailableError } from '../sharing/errors.js';

/** A violation as it travels (TransportRuleViolation.toJSON()). */
export type ViolationJson = RuleViolationJson<RuleCode>;

const rules = ruleErrors(RULES);

/** The REST answer of a refused rule, with its particulars; `refusedBy` for an endorser's refusal. */
export const violationError = rules.violationError;

const serviceErrors: ErrorMapper = (error) => {
  if (error instanceof RecordsMismatchError) {
    return new ApiError(
      502,
      { code: 'RECORDS_MISMATCH', message: error.message, company: error.company, uploadId: error.uploadId },
      { cause: error },
    );
  }
  if (error instanceof ShareRefusedError) {
    return new ApiError(
      502,
      { code: error.code, message: error.message, company: error.company },
      { cause: error },
    );
  }
  if (error instanceof ShareUnavailableError) {
    return new ApiError(
      503,
      { code: 'COMPANY_UNAVAILABLE', message: error.message, company: error.company },
      { cause: error },
    );
  }
  if (error instanceof BatchQueueFullError) {
    return new ApiError(503, {
      code: 'ACCESS_LOG_FULL',
      message: `records are not served when their access cannot be logged: ${error.message}`,
    });
  }
  if (error instanceof MissingPrivateDataError || error instanceof TransportInvariantError) {
    return new ApiError(
      500,
      { code: 'INTEGRITY', message: 'stored records are incomplete or inconsistent' },
      { cause: error },
    );
  }
  return null;
};

export function transportErrorMapping(): ErrorMapping {
  return createErrorMapping({
    domain: [rules.thrown, serviceErrors],
    violation: rules.endorsed,
  });
}

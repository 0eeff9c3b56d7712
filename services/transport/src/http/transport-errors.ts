/**
 * The transport domain's refusals as REST answers: `{ error: { code, rule, message, source, … } }`
 * with the rule category's status (input 400, permission 403, not-found 404, conflict 409) and
 * the rule's particulars (the bad `path` and `period`, every input error, the clashing upload).
 * Errors of the service's own I/O (a company's records that do not match the chain, a company
 * that does not answer, a full access log) have their own classes, mapped here too.
 */
import {
  ApiError,
  BatchQueueFullError,
  createErrorMapping,
  type ErrorMapper,
  type ErrorMapping,
} from '@civic/service-kit';
import {
  RULES,
  TransportInvariantError,
  TransportRuleViolation,
  type RuleCategory,
  type RuleCode,
} from '../domain/index.js';
import { MissingPrivateDataError } from '../private/records-store.js';
import { RecordsMismatchError, ShareRefusedError, ShareUnavailableError } from '../sharing/errors.js';

export const CATEGORY_STATUS: Readonly<Record<RuleCategory, number>> = {
  input: 400,
  permission: 403,
  'not-found': 404,
  conflict: 409,
};

/** A violation as it travels (TransportRuleViolation.toJSON()). */
export interface ViolationJson {
  readonly rule: RuleCode;
  readonly message: string;
  readonly [detail: string]: unknown;
}

export function isViolationJson(value: unknown): value is ViolationJson {
  if (value === null || typeof value !== 'object') return false;
  const { rule } = value as { rule?: unknown };
  return typeof rule === 'string' && Object.hasOwn(RULES, rule);
}

export function violationError(violation: ViolationJson, refusedBy?: string): ApiError {
  const { rule, message, category: _category, ...details } = violation;
  const spec = RULES[rule];
  return new ApiError(CATEGORY_STATUS[spec.category], {
    ...details,
    code: rule,
    rule,
    message: refusedBy === undefined ? message : `${refusedBy}'s endorser refused: ${message}`,
    source: spec.source,
    ...(refusedBy === undefined ? {} : { refusedBy }),
  });
}

const serviceErrors: ErrorMapper = (error) => {
  if (error instanceof TransportRuleViolation)
    return violationError(error.toJSON() as unknown as ViolationJson);
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
    domain: [serviceErrors],
    violation: (violation, refusedBy) =>
      isViolationJson(violation) ? violationError(violation, refusedBy) : null,
  });
}

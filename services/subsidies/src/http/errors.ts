/**
 * The subsidies domain's part of the error table (the kit maps the gateway's and HTTP errors):
 * malformed input → 400 naming the field; a bound of limits.ts → 413; a business rule → its
 * status with `{ code, rule, article, message, figures }`, and `refusedBy` when another
 * authority's endorser refused it on its own state.
 */
import { ApiError, createErrorMapping, type ErrorMapper, type ErrorMapping } from '@civic/service-kit';
import {
  BoundExceededError,
  InvalidAmountError,
  InvalidDateError,
  InvalidFieldError,
  InvalidIdentifierError,
  InvalidKvkError,
  InvalidShareError,
  RuleCode,
  type RuleViolation,
} from '../domain/index.js';

/** HTTP status of each business rule: 404 unknown records, 403 someone else's scheme, else 409. */
export function ruleStatus(rule: string): number {
  switch (rule) {
    case RuleCode.SCHEME_NOT_FOUND:
    case RuleCode.UNDERTAKING_NOT_FOUND:
    case RuleCode.APPLICATION_NOT_FOUND:
    case RuleCode.GRANT_NOT_FOUND:
      return 404;
    case RuleCode.NOT_SCHEME_OWNER:
    case RuleCode.NOT_CO_ENDORSER:
      return 403;
    default:
      return 409;
  }
}

export function isRuleViolation(value: unknown): value is RuleViolation {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as RuleViolation).rule === 'string' &&
    (Object.values(RuleCode) as string[]).includes((value as RuleViolation).rule) &&
    typeof (value as RuleViolation).message === 'string'
  );
}

export function violationError(violation: RuleViolation, refusedBy?: string): ApiError {
  return new ApiError(ruleStatus(violation.rule), {
    code: violation.rule,
    rule: violation.rule,
    article: violation.article,
    message:
      refusedBy === undefined ? violation.message : `${refusedBy}'s endorser refused: ${violation.message}`,
    figures: violation.figures,
    ...(refusedBy === undefined ? {} : { refusedBy }),
  });
}

const INPUT_ERRORS = [
  InvalidAmountError,
  InvalidDateError,
  InvalidFieldError,
  InvalidIdentifierError,
  InvalidKvkError,
  InvalidShareError,
];

const inputErrors: ErrorMapper = (error) => {
  if (INPUT_ERRORS.some((type) => error instanceof type)) {
    const { field, message } = error as InvalidFieldError;
    return new ApiError(400, { code: 'INVALID_INPUT', field, message }, { cause: error });
  }
  if (error instanceof BoundExceededError) {
    return new ApiError(413, { code: 'LIMIT_EXCEEDED', message: error.message }, { cause: error });
  }
  return null;
};

export const subsidiesErrors: ErrorMapping = createErrorMapping({
  domain: [inputErrors],
  violation: (violation, refusedBy) =>
    isRuleViolation(violation) ? violationError(violation, refusedBy) : null,
});

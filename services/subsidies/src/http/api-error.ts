/**
 * What a REST caller gets when a request does not succeed: a status and
 * `{ error: { code, message, rule?, article?, figures?, field?, refusedBy?, txId? } }`. Every
 * failure of the domain, the gateway or the HTTP layer is mapped here, so one table says which
 * status means what (docs/subsidies.md, "REST API").
 */
import {
  CommitFailedError,
  CommitTimeoutError,
  ConfigUnavailableError,
  EndorseRefusal,
  EndorsementRefusedError,
  EndorserUnavailableError,
  GatewayClosedError,
  PeerBehindError,
  PeerQueryError,
  PolicyUnsatisfiableError,
  SubmitRejectedError,
  SubmitUnavailableError,
} from '@civic/gateway';
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

export interface ErrorBody {
  /** A rule code (DE_MINIMIS_CEILING…), or the service's own (INVALID_INPUT, UNAUTHENTICATED…). */
  readonly code: string;
  readonly message: string;
  /** For a business rule: the rule, its legal basis and the figures behind the refusal. */
  readonly rule?: string;
  readonly article?: string | null;
  readonly figures?: unknown;
  /** For malformed input: the field at fault (`input.amountCents`). */
  readonly field?: string;
  /** When another authority's endorser refused: its mspId. */
  readonly refusedBy?: string;
  /** When the transaction's fate is unknown (commit timeout): its id, to look it up later. */
  readonly txId?: string;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    options?: ErrorOptions,
  ) {
    super(body.message, options);
  }
}

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

function isRuleViolation(value: unknown): value is RuleViolation {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as RuleViolation).rule === 'string' &&
    (Object.values(RuleCode) as string[]).includes((value as RuleViolation).rule)
  );
}

/** Fastify's own errors (body too large, bad JSON, wrong content type) carry a statusCode. */
function httpLayerError(error: unknown): ApiError | null {
  const { statusCode, code, message } = (error ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  if (typeof statusCode !== 'number' || statusCode < 400 || statusCode > 499) return null;
  const text = typeof message === 'string' ? message : 'bad request';
  if (statusCode === 413) return new ApiError(413, { code: 'PAYLOAD_TOO_LARGE', message: text });
  if (statusCode === 415) return new ApiError(415, { code: 'UNSUPPORTED_MEDIA_TYPE', message: text });
  return new ApiError(statusCode, {
    code: typeof code === 'string' && code.startsWith('FST_ERR_CTP') ? 'INVALID_BODY' : 'BAD_REQUEST',
    message: text,
  });
}

/** Maps any failure to its REST answer. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  if (INPUT_ERRORS.some((type) => error instanceof type)) {
    const { field, message } = error as InvalidFieldError;
    return new ApiError(400, { code: 'INVALID_INPUT', field, message }, { cause: error });
  }
  if (error instanceof BoundExceededError)
    return new ApiError(413, { code: 'LIMIT_EXCEEDED', message: error.message }, { cause: error });
  if (error instanceof EndorsementRefusedError) {
    if (isRuleViolation(error.violation)) return violationError(error.violation, error.mspId);
    const status =
      error.code === EndorseRefusal.STATE_DIFFERS || error.code === EndorseRefusal.NOT_READY
        ? 409
        : error.code === EndorseRefusal.BAD_REQUEST
          ? 400
          : 502;
    return new ApiError(
      status,
      { code: error.code, message: error.message, refusedBy: error.mspId },
      { cause: error },
    );
  }
  if (error instanceof EndorserUnavailableError) {
    return new ApiError(
      503,
      { code: 'ENDORSER_UNAVAILABLE', message: error.message, refusedBy: error.mspId },
      { cause: error },
    );
  }
  if (error instanceof CommitFailedError) {
    const status = error.code === 'MVCC_READ_CONFLICT' ? 409 : 502;
    return new ApiError(
      status,
      { code: error.code, message: error.message, txId: error.txId },
      { cause: error },
    );
  }
  if (error instanceof CommitTimeoutError) {
    return new ApiError(
      504,
      { code: 'COMMIT_TIMEOUT', message: error.message, txId: error.txId },
      { cause: error },
    );
  }
  if (error instanceof SubmitRejectedError) {
    return new ApiError(
      502,
      { code: error.code, message: error.message, txId: error.txId },
      { cause: error },
    );
  }
  if (
    error instanceof SubmitUnavailableError ||
    error instanceof PeerQueryError ||
    error instanceof PeerBehindError ||
    error instanceof ConfigUnavailableError ||
    error instanceof GatewayClosedError
  ) {
    return new ApiError(
      503,
      { code: 'LEDGER_UNAVAILABLE', message: (error as Error).message },
      { cause: error },
    );
  }
  if (error instanceof PolicyUnsatisfiableError) {
    return new ApiError(500, { code: 'POLICY_UNSATISFIABLE', message: error.message }, { cause: error });
  }
  const http = httpLayerError(error);
  if (http !== null) return http;
  return new ApiError(500, { code: 'INTERNAL', message: 'internal error' }, { cause: error });
}

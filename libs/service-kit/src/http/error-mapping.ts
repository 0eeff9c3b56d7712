/**
 * One table from any failure to its REST answer. A service passes its domain mappers (business
 * rules, malformed input); the kit maps the gateway's errors (endorser refusals, commit codes,
 * an unavailable ledger), fastify's (body too large, bad JSON) and Nest's (unknown route), and
 * everything else to 500 INTERNAL without details.
 *
 * | status | when |
 * |---|---|
 * | 400 | malformed input, bad JSON, an endorser's BAD_REQUEST |
 * | 401 | no or an invalid token |
 * | 403 | wrong organisation or role; domain permission rules |
 * | 404 | unknown record or route |
 * | 409 | business rule conflicts, MVCC conflicts that outlived the rebuilds, endorser on other state |
 * | 413 | body over BODY_LIMIT_BYTES |
 * | 502 | the orderers or an endorser refused for a reason that is not the caller's |
 * | 503 | ledger, endorser or private store unavailable, not ready |
 * | 504 | commit not seen in time (the answer carries the txId to look it up) |
 */
import { HttpException } from '@nestjs/common';
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
import { ApiError } from './api-error.js';

/** Maps errors it knows to an ApiError, null for the others. */
export type ErrorMapper = (error: unknown) => ApiError | null;

/** The whole mapping: the service's mappers first, then the kit's. Never returns null. */
export type ErrorMapping = (error: unknown) => ApiError;

const NEST_STATUS_CODES: Readonly<Record<number, string>> = {
  400: 'BAD_REQUEST',
  401: 'UNAUTHENTICATED',
  403: 'FORBIDDEN',
  404: 'NOT_FOUND',
  405: 'METHOD_NOT_ALLOWED',
  413: 'PAYLOAD_TOO_LARGE',
  415: 'UNSUPPORTED_MEDIA_TYPE',
};

/**
 * The gateway's errors. `violationMapper` turns an endorser's business-rule refusal (it carries
 * the violation of the domain) into the service's rule answer; the rest are infrastructure.
 */
export function gatewayErrorMapper(
  violationMapper: (violation: unknown, refusedBy: string) => ApiError | null = () => null,
): ErrorMapper {
  return (error) => {
    if (error instanceof EndorsementRefusedError) {
      const rule =
        error.violation === null || error.violation === undefined
          ? null
          : violationMapper(error.violation, error.mspId);
      if (rule !== null) return rule;
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
      return new ApiError(
        error.code === 'MVCC_READ_CONFLICT' ? 409 : 502,
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
      return new ApiError(503, { code: 'LEDGER_UNAVAILABLE', message: error.message }, { cause: error });
    }
    if (error instanceof PolicyUnsatisfiableError) {
      return new ApiError(500, { code: 'POLICY_UNSATISFIABLE', message: error.message }, { cause: error });
    }
    return null;
  };
}

/**
 * Fastify's own errors (body too large, bad JSON, wrong content type) carry a 4xx statusCode;
 * Nest wraps them in an HttpException with the original as `cause`. Nest's own (unknown route)
 * are HttpExceptions.
 */
export const httpLayerErrorMapper: ErrorMapper = (error) => {
  const fastify = error instanceof HttpException ? (error.cause ?? error) : error;
  const { statusCode, code, message } = (fastify ?? {}) as {
    statusCode?: unknown;
    code?: unknown;
    message?: unknown;
  };
  const status = error instanceof HttpException ? error.getStatus() : statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  const text = typeof message === 'string' ? message : error instanceof Error ? error.message : 'bad request';
  if (typeof code === 'string' && code.startsWith('FST_ERR_CTP') && status === 400) {
    return new ApiError(400, { code: 'INVALID_BODY', message: text });
  }
  return new ApiError(status, { code: NEST_STATUS_CODES[status] ?? 'HTTP_ERROR', message: text });
};

/** The service's mappers, then the gateway's, then the HTTP layer's; else 500 INTERNAL. */
export function createErrorMapping(
  options: {
    readonly domain?: readonly ErrorMapper[];
    readonly violation?: (violation: unknown, refusedBy: string) => ApiError | null;
  } = {},
): ErrorMapping {
  const mappers: ErrorMapper[] = [
    (error) => (error instanceof ApiError ? error : null),
    ...(options.domain ?? []),
    gatewayErrorMapper(options.violation),
    httpLayerErrorMapper,
  ];
  return (error) => {
    for (const mapper of mappers) {
      const mapped = mapper(error);
      if (mapped !== null) return mapped;
    }
    return new ApiError(500, { code: 'INTERNAL', message: 'internal error' }, { cause: error });
  };
}

/**
 * What a REST caller gets when a request does not succeed: a status and
 * `{ error: { code, message, … } }`. The kit fixes `code` and `message`; services add their own
 * fields (a business rule's `rule` and `source`, the field at fault, the endorser that refused).
 */

export interface ErrorBody {
  /** A rule code of the domain, or the kit's own (INVALID_INPUT, UNAUTHENTICATED, NOT_READY…). */
  readonly code: string;
  readonly message: string;
  /** Domain fields: `rule`, `source`, `field`, `refusedBy`, `txId`, … */
  readonly [field: string]: unknown;
}

export interface ApiErrorOptions extends ErrorOptions {
  /** Response headers besides the body (`Retry-After` of a 503 that is worth retrying soon). */
  readonly headers?: Readonly<Record<string, string>>;
}

export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly headers: Readonly<Record<string, string>>;
  constructor(
    readonly status: number,
    readonly body: ErrorBody,
    options?: ApiErrorOptions,
  ) {
    if (!Number.isInteger(status) || status < 400 || status > 599) {
      throw new RangeError(`ApiError status must be 400..599, got ${status}`);
    }
    super(body.message, options);
    this.headers = options?.headers ?? {};
  }
}

export function unauthenticated(message: string): ApiError {
  return new ApiError(401, { code: 'UNAUTHENTICATED', message });
}

export function forbidden(message: string): ApiError {
  return new ApiError(403, { code: 'FORBIDDEN', message });
}

export function notFound(code: string, message: string): ApiError {
  return new ApiError(404, { code, message });
}

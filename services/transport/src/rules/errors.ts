/**
 * Errors for bad input, one class per condition. Each names the offending item by its JSON path
 * (`activities[3].end`) and, for activities, by index and period, so that the REST layer can
 * answer 400 with exactly what is wrong. Refused input changes nothing: the engine is pure.
 */

export const InputErrorCode = {
  /** Wrong type, missing field, unknown field or value outside its set. */
  MALFORMED: 'MALFORMED',
  /** Not an RFC 3339 UTC timestamp (`…Z`), or an impossible date. */
  INVALID_TIMESTAMP: 'INVALID_TIMESTAMP',
  /** end is not after start. */
  NON_POSITIVE_DURATION: 'NON_POSITIVE_DURATION',
  /** starts before the previous item: the list must be sorted by start. */
  UNSORTED: 'UNSORTED',
  /** starts before the previous period ended. */
  OVERLAPPING: 'OVERLAPPING',
  /** ends after `now`. */
  FUTURE: 'FUTURE',
  /** more items, or a longer span, than the engine's stated bounds. */
  TOO_LARGE: 'TOO_LARGE',
} as const;
export type InputErrorCode = (typeof InputErrorCode)[keyof typeof InputErrorCode];

export interface PeriodRef {
  readonly start: string;
  readonly end: string;
}

/** Base of every input error; `code` says which condition, `path` where. */
export abstract class ComplianceInputError extends Error {
  abstract readonly code: InputErrorCode;
  /** JSON path into the request, e.g. `activities[3].start`. */
  readonly path: string;
  /** Index of the offending activity (or crossing/exceedance), null for the request itself. */
  readonly index: number | null;
  /** The offending period when its times could be read. */
  readonly period: PeriodRef | null;

  constructor(path: string, index: number | null, period: PeriodRef | null, message: string) {
    super(`${path}: ${message}`);
    this.path = path;
    this.index = index;
    this.period = period;
  }
}

export class MalformedInputError extends ComplianceInputError {
  override readonly name = 'MalformedInputError';
  readonly code = InputErrorCode.MALFORMED;
}

export class InvalidTimestampError extends ComplianceInputError {
  override readonly name = 'InvalidTimestampError';
  readonly code = InputErrorCode.INVALID_TIMESTAMP;
}

export class NonPositiveDurationError extends ComplianceInputError {
  override readonly name = 'NonPositiveDurationError';
  readonly code = InputErrorCode.NON_POSITIVE_DURATION;
}

/** An item out of order with the one listed before it (`previousIndex`). */
abstract class OrderInputError extends ComplianceInputError {
  readonly previousIndex: number;

  constructor(path: string, index: number, previousIndex: number, period: PeriodRef, message: string) {
    super(path, index, period, message);
    this.previousIndex = previousIndex;
  }
}

/** An item that starts before the one listed before it. */
export class UnsortedInputError extends OrderInputError {
  override readonly name = 'UnsortedInputError';
  readonly code = InputErrorCode.UNSORTED;
}

/** A period that starts before the previous period ended. */
export class OverlappingActivitiesError extends OrderInputError {
  override readonly name = 'OverlappingActivitiesError';
  readonly code = InputErrorCode.OVERLAPPING;
}

export class FutureActivityError extends ComplianceInputError {
  override readonly name = 'FutureActivityError';
  readonly code = InputErrorCode.FUTURE;
}

export class InputTooLargeError extends ComplianceInputError {
  override readonly name = 'InputTooLargeError';
  readonly code = InputErrorCode.TOO_LARGE;
}

/** Thrown by checkCompliance when validation fails; carries every error found (bounded). */
export class InvalidComplianceRequestError extends Error {
  override readonly name = 'InvalidComplianceRequestError';
  readonly errors: readonly ComplianceInputError[];

  constructor(errors: readonly ComplianceInputError[]) {
    const first = errors[0];
    super(
      `invalid compliance request (${errors.length} error${errors.length === 1 ? '' : 's'}): ${first?.message ?? 'unknown'}`,
      { cause: first },
    );
    this.errors = errors;
  }
}

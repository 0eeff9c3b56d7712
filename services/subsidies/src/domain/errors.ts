/**
 * Malformed input: thrown before anything is read or written, so a transaction function that
 * throws one of these has changed nothing. Business refusals are not errors: they are returned
 * as a RuleViolation (violations.ts).
 */

interface ErrorDetails {
  /** The input field at fault, as a path (`input.amountCents`). */
  readonly field: string;
  readonly value: unknown;
}

abstract class SubsidiesInputError extends Error {
  readonly field: string;
  readonly value: unknown;

  constructor(details: ErrorDetails, reason: string, options?: { cause?: unknown }) {
    super(`${details.field}: ${reason} (got ${describe(details.value)})`, options);
    this.field = details.field;
    this.value = details.value;
  }
}

/** An amount that is not a positive integer number of cents below 2^53. */
export class InvalidAmountError extends SubsidiesInputError {
  override readonly name = 'InvalidAmountError';
}

/** A KvK (chamber of commerce) number that is not 8 digits. */
export class InvalidKvkError extends SubsidiesInputError {
  override readonly name = 'InvalidKvkError';
}

/** A date (`YYYY-MM-DD`) or time (RFC 3339 UTC with milliseconds) that is malformed or does not exist. */
export class InvalidDateError extends SubsidiesInputError {
  override readonly name = 'InvalidDateError';
}

/** A share of the eligible cost outside 1..10000 basis points. */
export class InvalidShareError extends SubsidiesInputError {
  override readonly name = 'InvalidShareError';
}

/** A scheme, application id or mspId that does not match its pattern. */
export class InvalidIdentifierError extends SubsidiesInputError {
  override readonly name = 'InvalidIdentifierError';
}

/** Any other malformed field: missing, wrong type, unknown enum value, inconsistent terms. */
export class InvalidFieldError extends SubsidiesInputError {
  override readonly name = 'InvalidFieldError';
}

/** Bounded structures: a group, a register or a list grew past its stated maximum. */
export class BoundExceededError extends Error {
  override readonly name = 'BoundExceededError';
  constructor(
    readonly bound: string,
    readonly limit: number,
    where: string,
  ) {
    super(`${where}: more than ${limit} (${bound})`);
  }
}

function describe(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'bigint') return `${value}n`;
  if (value === undefined) return 'undefined';
  try {
    const text = JSON.stringify(value);
    return text === undefined ? String(value) : text.length > 80 ? `${text.slice(0, 80)}…` : text;
  } catch {
    return String(value);
  }
}

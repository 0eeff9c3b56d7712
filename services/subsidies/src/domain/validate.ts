/**
 * Input validation with precise errors. Every transaction function validates its whole input
 * before its first read, so a malformed input throws and changes nothing.
 *
 * Units: money is integer euro cents (> 0, < 2^53); shares are basis points (1..10000, 5000 =
 * 50 %), chosen over percent so that shares like 33.33 % stay integers; dates are `YYYY-MM-DD`
 * and times RFC 3339 UTC with three fraction digits, as in the wire contract.
 */
import {
  InvalidAmountError,
  InvalidDateError,
  InvalidFieldError,
  InvalidIdentifierError,
  InvalidKvkError,
  InvalidShareError,
} from './errors.js';
import { isIsoDate, isRfc3339 } from './dates.js';

const KVK_RE = /^\d{8}$/;
/** Scheme ids go into keys and grant ids: lowercase, digits, dashes. */
const SCHEME_ID_RE = /^[a-z0-9][a-z0-9-]{0,63}$/;
/** Grant ids are `<schemeId>/<sequence>` (keys.ts). */
const GRANT_ID_RE = /^[a-z0-9][a-z0-9-]{0,63}\/[1-9]\d{0,15}$/;
/** Application ids are chosen by the service (a UUID, a case number). */
const APPLICATION_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
/** The wire contract's mspId pattern. */
const MSP_ID_RE = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;
const HEX64_RE = /^[0-9a-f]{64}$/;

/** The largest share: 100 % of the eligible cost. */
export const BASIS_POINTS_100_PERCENT = 10_000;

export function amountCents(value: unknown, field: string, options: { allowZero?: boolean } = {}): number {
  if (typeof value !== 'number' || !Number.isInteger(value)) {
    throw new InvalidAmountError({ field, value }, 'must be an integer number of euro cents');
  }
  if (!Number.isSafeInteger(value))
    throw new InvalidAmountError({ field, value }, 'must be below 2^53 cents');
  if (value < 0 || (value === 0 && !options.allowZero)) {
    throw new InvalidAmountError(
      { field, value },
      options.allowZero ? 'must not be negative' : 'must be positive',
    );
  }
  return value;
}

export function kvkNumber(value: unknown, field: string): string {
  if (typeof value !== 'string' || !KVK_RE.test(value)) {
    throw new InvalidKvkError({ field, value }, 'a KvK number is exactly 8 digits');
  }
  return value;
}

export function isoDate(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isIsoDate(value)) {
    throw new InvalidDateError({ field, value }, 'must be a calendar date YYYY-MM-DD');
  }
  return value;
}

export function rfc3339(value: unknown, field: string): string {
  if (typeof value !== 'string' || !isRfc3339(value)) {
    throw new InvalidDateError(
      { field, value },
      'must be RFC 3339 UTC with milliseconds, e.g. 2026-11-28T10:07:29.123Z',
    );
  }
  return value;
}

export function shareBasisPoints(value: unknown, field: string): number {
  if (
    typeof value !== 'number' ||
    !Number.isInteger(value) ||
    value < 1 ||
    value > BASIS_POINTS_100_PERCENT
  ) {
    throw new InvalidShareError(
      { field, value },
      'must be an integer number of basis points from 1 to 10000 (5000 = 50 %)',
    );
  }
  return value;
}

export function schemeId(value: unknown, field: string): string {
  return matching(value, field, SCHEME_ID_RE, 'lowercase letters, digits and dashes, 1 to 64 characters');
}

export function grantId(value: unknown, field: string): string {
  return matching(value, field, GRANT_ID_RE, '<schemeId>/<sequence>, e.g. rvo-mkb-2026/12');
}

export function applicationId(value: unknown, field: string): string {
  return matching(
    value,
    field,
    APPLICATION_ID_RE,
    'letters, digits, dot, underscore and dash, 1 to 64 characters',
  );
}

export function mspId(value: unknown, field: string): string {
  return matching(value, field, MSP_ID_RE, 'an mspId (a letter, then letters, digits or dashes, at most 64)');
}

export function hex64(value: unknown, field: string): string {
  if (typeof value !== 'string' || !HEX64_RE.test(value)) {
    throw new InvalidFieldError({ field, value }, 'must be 64 lowercase hex characters (a SHA-256)');
  }
  return value;
}

export function text(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > maxLength) {
    throw new InvalidFieldError(
      { field, value },
      `must be a non-empty string of at most ${maxLength} characters`,
    );
  }
  return value;
}

export function boolean(value: unknown, field: string): boolean {
  if (typeof value !== 'boolean') throw new InvalidFieldError({ field, value }, 'must be true or false');
  return value;
}

export function oneOf<T extends string>(value: unknown, field: string, allowed: readonly T[]): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new InvalidFieldError({ field, value }, `must be one of ${allowed.join(', ')}`);
  }
  return value as T;
}

export function object(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidFieldError({ field, value }, 'must be an object');
  }
  return value as Record<string, unknown>;
}

export function list(value: unknown, field: string, min: number, max: number): unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    throw new InvalidFieldError({ field, value }, `must be a list of ${min} to ${max} items`);
  }
  return value;
}

function matching(value: unknown, field: string, pattern: RegExp, what: string): string {
  if (typeof value !== 'string' || !pattern.test(value)) {
    throw new InvalidIdentifierError({ field, value }, `must be ${what}`);
  }
  return value;
}

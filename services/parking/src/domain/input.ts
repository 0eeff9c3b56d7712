/**
 * Validators for the inputs of the transaction functions. Inputs arrive as JSON from a REST
 * call or an endorsement request, so every field is checked for type and range here, with an
 * error that names the field, before any rule looks at it.
 */
import { ParkingRuleViolation, show, type RuleCode } from './errors.js';
import { CARD_KINDS, type CardKind } from './records.js';

/** The input as an object of unknown fields; refuses anything else. */
export function inputObject(input: unknown, what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new ParkingRuleViolation('VALUE_INVALID', `${what} input must be an object, got ${show(input)}`, {
      field: what,
    });
  }
  return input as Record<string, unknown>;
}

/** One of `allowed`, or a refusal naming the field and the allowed values. */
export function parseEnum<T extends string>(
  value: unknown,
  allowed: readonly T[],
  field: string,
  rule: RuleCode = 'VALUE_INVALID',
): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    throw new ParkingRuleViolation(
      rule,
      `${field} must be one of ${allowed.join(', ')}, got ${show(value)}`,
      {
        field,
      },
    );
  }
  return value as T;
}

export function parseCardKind(value: unknown, field = 'kind'): CardKind {
  return parseEnum(value, CARD_KINDS, field, 'CARD_KIND_INVALID');
}

export function parseBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean')
    throw new ParkingRuleViolation('VALUE_INVALID', `${field} must be true or false`, { field });
  return value;
}

const ASSESSMENT_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{2,63}$/;

/** An assessment id as the Assessor numbers its reports: 3 to 64 letters, digits, `.`, `_`, `-`. */
export function parseAssessmentId(value: unknown, field = 'assessmentId'): string {
  if (typeof value !== 'string' || !ASSESSMENT_ID_PATTERN.test(value)) {
    throw new ParkingRuleViolation(
      'ASSESSMENT_ID_MALFORMED',
      `${field} must be 3 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit; got ${show(value)}`,
      { field },
    );
  }
  return value;
}

/** A CBS municipality code (four digits): the coarse location of a roadside check. */
export function parseArea(value: unknown, field = 'area'): string {
  if (typeof value !== 'string' || !/^\d{4}$/.test(value) || value === '0000') {
    throw new ParkingRuleViolation(
      'AREA_MALFORMED',
      `${field} must be the four-digit CBS code of the municipality where the check took place, got ${show(value)}`,
      { field },
    );
  }
  return value;
}

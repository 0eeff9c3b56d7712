/**
 * Validators for the inputs of the transaction functions. Inputs arrive as JSON from a REST call
 * or an endorsement request, so every field is checked for type and range here, with an error
 * that names the field, before any rule looks at it.
 */
import { isHex } from '@civic/protocol';
import { formatRfc3339, parseRfc3339Utc } from '../rules/time.js';
import { TransportRuleViolation, show, type RuleCode } from './errors.js';

/** The input as an object; refuses anything else and, when `allowed` is given, unknown fields. */
export function inputObject(
  input: unknown,
  what: string,
  allowed?: readonly string[],
): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new TransportRuleViolation('VALUE_INVALID', `${what} must be an object, got ${show(input)}`, {
      field: what,
    });
  }
  const fields = input as Record<string, unknown>;
  if (allowed !== undefined) {
    const unknown = Object.keys(fields).find((key) => !allowed.includes(key));
    if (unknown !== undefined) {
      throw new TransportRuleViolation('VALUE_INVALID', `${what}.${unknown} is not a known field`, {
        field: `${what}.${unknown}`,
      });
    }
  }
  return fields;
}

function invalid(field: string, message: string, rule: RuleCode = 'VALUE_INVALID'): never {
  throw new TransportRuleViolation(rule, `${field} ${message}`, { field });
}

export function parseEnum<T extends string>(value: unknown, allowed: readonly T[], field: string): T {
  if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
    invalid(field, `must be one of ${allowed.join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

export function parseBoolean(value: unknown, field: string, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalid(field, 'must be true or false');
  return value;
}

/** An RFC 3339 UTC instant; returns epoch ms and the wire spelling (three fraction digits). */
export function parseInstant(value: unknown, field: string): { ms: number; text: string } {
  const ms = typeof value === 'string' ? parseRfc3339Utc(value) : null;
  if (ms === null) invalid(field, `must be an RFC 3339 UTC time (…Z), got ${show(value)}`);
  return { ms, text: formatRfc3339(ms) };
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date `YYYY-MM-DD` (UTC day); returns the epoch ms of its 00:00Z. */
export function parseDate(value: unknown, field: string): { ms: number; text: string } {
  const match = typeof value === 'string' ? DATE.exec(value) : null;
  const ms = match === null ? null : parseRfc3339Utc(`${value as string}T00:00:00Z`);
  if (ms === null) invalid(field, `must be a date YYYY-MM-DD, got ${show(value)}`);
  return { ms, text: value as string };
}

/** Lowercase hex of exactly `bytes` bytes. */
export function parseHex(value: unknown, field: string, bytes: number): string {
  if (!isHex(value) || value.length !== bytes * 2) {
    invalid(field, `must be ${bytes} bytes of lowercase hex, got ${show(value)}`);
  }
  return value;
}

const MSP_ID = /^[A-Za-z][A-Za-z0-9-]{0,63}$/;

export function parseMspId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !MSP_ID.test(value)) {
    invalid(field, `must be an organisation's mspId, got ${show(value)}`);
  }
  return value;
}

/** Optional free text of at most `max` characters, trimmed; null when absent. */
export function parseOptionalText(value: unknown, field: string, max: number): string | null {
  if (value === undefined || value === null) return null;
  if (typeof value !== 'string' || value.trim().length === 0 || value.length > max) {
    invalid(field, `must be text of 1 to ${max} characters`);
  }
  return value.trim();
}

/** A list of at most `max` items (at least `min`). */
export function parseList(value: unknown, field: string, min: number, max: number): readonly unknown[] {
  if (!Array.isArray(value) || value.length < min || value.length > max) {
    invalid(
      field,
      `must be a list of ${min} to ${max} items, got ${Array.isArray(value) ? `${value.length} items` : show(value)}`,
    );
  }
  return value;
}

/** A non-negative finite number (figures), or a refusal. */
export function parseFigure(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 1e9) {
    invalid(field, `must be a non-negative number, got ${show(value)}`);
  }
  return value;
}

/**
 * An upload in its canonical form (docs/transport.md#uploads): what the company's store keeps,
 * what the chain's hash commits to, and what an inspector receives and checks. Validation is the
 * engine's (docs/transport-rules.md#validation-errors): a refused upload names every bad period
 * by its JSON path. Times are re-spelled in the wire contract's form and flags kept only when
 * true, so one record has one canonical text and one hash.
 */
import { canonicalBytes, fromHex, sha256, toHex } from '@civic/protocol';
import {
  validateComplianceRequest,
  type ActivityInput,
  type ComplianceInputError,
  type CrossingInput,
  type ExceedanceInput,
  type TransportKind,
} from '../rules/index.js';
import { formatRfc3339 } from '../rules/time.js';
import { TransportRuleViolation, show } from './errors.js';
import { inputObject } from './input.js';
import { LIMITS } from './records.js';

export interface UploadContent {
  readonly cardNumber: string;
  readonly activities: readonly ActivityInput[];
  readonly transport: TransportKind;
  readonly international: boolean;
  readonly crossings: readonly CrossingInput[];
  readonly exceedances: readonly ExceedanceInput[];
}

export interface CanonicalUpload {
  readonly content: UploadContent;
  readonly startMs: number;
  readonly endMs: number;
}

const BODY_FIELDS = ['activities', 'transport', 'international', 'crossings', 'exceedances'];

/** One input error as a REST body lists it. */
export interface RecordError {
  readonly code: string;
  readonly path: string;
  readonly index: number | null;
  readonly period: { readonly start: string; readonly end: string } | null;
  readonly message: string;
}

export function recordErrorOf(error: ComplianceInputError): RecordError {
  return {
    code: error.code,
    path: error.path,
    index: error.index,
    period: error.period,
    message: error.message,
  };
}

/** A RECORDS_INVALID refusal naming the first bad period (and listing every error). */
export function recordsInvalid(errors: readonly RecordError[]): TransportRuleViolation {
  const first = errors[0]!;
  const where =
    first.period === null ? first.path : `${first.path} (${first.period.start} to ${first.period.end})`;
  return new TransportRuleViolation(
    'RECORDS_INVALID',
    `${errors.length} error${errors.length === 1 ? '' : 's'} in the records; first: ${where}: ${first.message}`,
    { path: first.path, period: first.period, errors },
  );
}

function tooLarge(what: string, count: number, max: number): TransportRuleViolation {
  return new TransportRuleViolation(
    'UPLOAD_TOO_LARGE',
    `${what}: ${count} items, at most ${max} per upload`,
    {
      path: what,
    },
  );
}

function checkSizes(body: Record<string, unknown>): void {
  const sizes: [string, number][] = [
    ['activities', LIMITS.activitiesPerUploadMax],
    ['crossings', LIMITS.crossingsPerUploadMax],
    ['exceedances', LIMITS.exceedancesPerUploadMax],
  ];
  for (const [field, max] of sizes) {
    const list = body[field];
    if (Array.isArray(list) && list.length > max) throw tooLarge(field, list.length, max);
  }
}

/**
 * Validates an upload's body (the engine's request shape) against `now` and returns its
 * canonical content. Throws RECORDS_INVALID (with every error and the first bad period) or
 * UPLOAD_TOO_LARGE.
 */
export function canonicalUpload(cardNumber: string, body: unknown, now: string): CanonicalUpload {
  const fields = inputObject(body, 'records', BODY_FIELDS);
  checkSizes(fields);
  const validated = validateComplianceRequest(fields, { now });
  if (!validated.ok) throw recordsInvalid(validated.errors.map(recordErrorOf));
  const { periods, transport, international, crossings, exceedances } = validated.value;
  const raw = fields.activities as readonly ActivityInput[];
  const activities = periods.map((p): ActivityInput => {
    const activity: Record<string, unknown> = {
      start: formatRfc3339(p.startMs),
      end: formatRfc3339(p.endMs),
      activity: raw[p.index]!.activity,
    };
    if (p.multiManning) activity.multiManning = true;
    if (p.inVehicle) activity.inVehicle = true;
    if (p.outsideHomeCountries) activity.outsideHomeCountries = true;
    return activity as unknown as ActivityInput;
  });
  const startMs = periods[0]!.startMs;
  const endMs = periods[periods.length - 1]!.endMs;
  if (endMs - startMs > LIMITS.uploadSpanMsMax) {
    throw new TransportRuleViolation(
      'UPLOAD_TOO_LARGE',
      `the records span ${formatRfc3339(startMs)} to ${formatRfc3339(endMs)}, more than ${LIMITS.uploadSpanMsMax / 86_400_000} days: upload them in parts`,
      { path: 'activities', period: { start: formatRfc3339(startMs), end: formatRfc3339(endMs) } },
    );
  }
  return {
    startMs,
    endMs,
    content: {
      cardNumber,
      activities,
      transport,
      international,
      crossings: crossings.map((c) => ({
        start: formatRfc3339(c.startMs),
        end: formatRfc3339(c.endMs),
        berth: c.berth,
        scheduledMinutes: c.scheduledMs / 60_000,
      })),
      exceedances: exceedances.map((e) => ({
        start: formatRfc3339(e.startMs),
        end: formatRfc3339(e.endMs),
        kind: e.kind,
        reason: e.reason,
      })),
    },
  };
}

/** `hex(SHA-256(salt ‖ JCS(content)))`: the wire contract's private-data hash of an upload. */
export function uploadHash(saltHex: string, content: UploadContent): string {
  return toHex(sha256(fromHex(saltHex), canonicalBytes(content)));
}

/** An upload's id: the first 16 bytes of its salted hash (unique, and says nothing of the content). */
export function uploadIdOf(hash: string): string {
  return hash.slice(0, 32);
}

export const UPLOAD_ID_PATTERN = /^[0-9a-f]{32}$/;

export function parseUploadId(value: unknown, field: string): string {
  if (typeof value !== 'string' || !UPLOAD_ID_PATTERN.test(value)) {
    throw new TransportRuleViolation(
      'VALUE_INVALID',
      `${field} must be an upload id (32 hex), got ${show(value)}`,
      {
        field,
      },
    );
  }
  return value;
}

/**
 * Validation of a compliance request. Refuses, with one typed error per problem (see errors.ts):
 * wrong types and unknown fields, timestamps that are not RFC 3339 UTC, periods whose end is not
 * after their start, lists not sorted by start, overlapping activities, anything ending after
 * the injected `now`, and inputs beyond the bounds in `Limits`. It never sorts: an unsorted list
 * is an error naming the first period out of order (use `sortActivities` to sort on purpose).
 */
import {
  ComplianceInputError,
  type PeriodRef,
  FutureActivityError,
  InputTooLargeError,
  InvalidTimestampError,
  MalformedInputError,
  NonPositiveDurationError,
  OverlappingActivitiesError,
  UnsortedInputError,
} from './errors.js';
import { Limits, type Crossing, type Exceedance, type Period, type ValidatedRequest } from './model.js';
import { MINUTE_MS, TimestampReader, parseRfc3339Utc } from './time.js';
import {
  ActivityType,
  Berth,
  ExceedanceKind,
  TransportKind,
  type ActivityInput,
  type ComplianceRequest,
} from './types.js';

export type ValidationResult<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly errors: readonly ComplianceInputError[] };

export interface ValidationOptions {
  /** The present, RFC 3339 UTC: nothing may end after it. */
  readonly now: string;
}

const ACTIVITY_FIELDS = new Set([
  'start',
  'end',
  'activity',
  'multiManning',
  'inVehicle',
  'outsideHomeCountries',
]);
const REST_ONLY_FLAGS = ['inVehicle', 'outsideHomeCountries'] as const;
const REQUEST_FIELDS = new Set(['activities', 'transport', 'international', 'crossings', 'exceedances']);
const CROSSING_FIELDS = new Set(['start', 'end', 'berth', 'scheduledMinutes']);
const EXCEEDANCE_FIELDS = new Set(['start', 'end', 'kind', 'reason']);
const ACTIVITY_TYPES = new Set<string>(Object.values(ActivityType));
const BERTHS = new Set<string>(Object.values(Berth));
const EXCEEDANCE_KINDS = new Set<string>(Object.values(ExceedanceKind));
const TRANSPORT_KINDS = new Set<string>(Object.values(TransportKind));

/** What every reader needs: the present, where errors go, and the timestamp parser. */
interface Ctx {
  readonly nowMs: number;
  readonly sink: ErrorSink;
  readonly times: TimestampReader;
}

/** Collects errors up to Limits.errorsMax; `full` tells loops to stop. */
class ErrorSink {
  readonly errors: ComplianceInputError[] = [];
  get full(): boolean {
    return this.errors.length >= Limits.errorsMax;
  }
  add(error: ComplianceInputError): void {
    if (!this.full) this.errors.push(error);
  }
}

function parseNow(now: string): number {
  const nowMs = typeof now === 'string' ? parseRfc3339Utc(now) : null;
  if (nowMs === null) throw new TypeError(`validation: options.now must be RFC 3339 UTC, got ${String(now)}`);
  return nowMs;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Reports fields outside `allowed`; true when there were none. */
function checkFields(
  item: Record<string, unknown>,
  allowed: ReadonlySet<string>,
  path: string,
  index: number | null,
  sink: ErrorSink,
): boolean {
  let clean = true;
  for (const key of Object.keys(item)) {
    if (!allowed.has(key)) {
      sink.add(new MalformedInputError(`${path}.${key}`, index, null, 'unknown field'));
      clean = false;
    }
  }
  return clean;
}

function optionalBoolean(
  item: Record<string, unknown>,
  key: string,
  path: string,
  index: number | null,
  sink: ErrorSink,
): boolean {
  const value = item[key];
  if (value === undefined) return false;
  if (typeof value !== 'boolean') {
    sink.add(
      new MalformedInputError(`${path}.${key}`, index, null, `must be a boolean, got ${typeof value}`),
    );
    return false;
  }
  return value;
}

interface Interval {
  readonly startMs: number;
  readonly endMs: number;
}

/** Reads start/end of an item: both RFC 3339 UTC, end after start, not after now. */
function readInterval(item: Record<string, unknown>, path: string, index: number, ctx: Ctx): Interval | null {
  const startMs = readTime(item, 'start', path, index, ctx);
  const endMs = readTime(item, 'end', path, index, ctx);
  if (startMs === null || endMs === null) return null;
  if (endMs <= startMs) {
    ctx.sink.add(new NonPositiveDurationError(path, index, periodOf(item), 'end must be after start'));
    return null;
  }
  if (endMs > ctx.nowMs) {
    ctx.sink.add(new FutureActivityError(`${path}.end`, index, periodOf(item), 'ends after now'));
    return null;
  }
  return { startMs, endMs };
}

function readTime(
  item: Record<string, unknown>,
  key: 'start' | 'end',
  path: string,
  index: number,
  ctx: Ctx,
): number | null {
  const value = item[key];
  if (typeof value !== 'string') {
    ctx.sink.add(new MalformedInputError(`${path}.${key}`, index, null, 'must be an RFC 3339 UTC string'));
    return null;
  }
  const ms = ctx.times.parse(value);
  if (ms === null) {
    ctx.sink.add(
      new InvalidTimestampError(`${path}.${key}`, index, null, `not an RFC 3339 UTC timestamp: ${value}`),
    );
  }
  return ms;
}

function periodOf(item: Record<string, unknown>): PeriodRef {
  return { start: item.start as string, end: item.end as string };
}

function readActivity(raw: unknown, index: number, ctx: Ctx): Period | null {
  const { sink } = ctx;
  const path = `activities[${index}]`;
  if (!isPlainObject(raw)) {
    sink.add(new MalformedInputError(path, index, null, 'must be an object'));
    return null;
  }
  let ok = checkFields(raw, ACTIVITY_FIELDS, path, index, sink);
  const activity = raw.activity;
  if (typeof activity !== 'string' || !ACTIVITY_TYPES.has(activity)) {
    sink.add(
      new MalformedInputError(
        `${path}.activity`,
        index,
        null,
        `must be one of ${[...ACTIVITY_TYPES].join(', ')}`,
      ),
    );
    ok = false;
  }
  const errorsBefore = sink.errors.length;
  const multiManning = optionalBoolean(raw, 'multiManning', path, index, sink);
  const inVehicle = optionalBoolean(raw, 'inVehicle', path, index, sink);
  const outsideHomeCountries = optionalBoolean(raw, 'outsideHomeCountries', path, index, sink);
  const isRest = activity === ActivityType.BREAK_REST || activity === ActivityType.UNKNOWN;
  for (const flag of REST_ONLY_FLAGS) {
    if (!isRest && raw[flag] !== undefined && typeof activity === 'string' && ACTIVITY_TYPES.has(activity)) {
      sink.add(
        new MalformedInputError(`${path}.${flag}`, index, null, `only applies to BREAK_REST or UNKNOWN`),
      );
    }
  }
  if (sink.errors.length !== errorsBefore) ok = false;
  const interval = readInterval(raw, path, index, ctx);
  if (!ok || interval === null) return null;
  return {
    index,
    startMs: interval.startMs,
    endMs: interval.endMs,
    isRest,
    isDriving: activity === ActivityType.DRIVING,
    multiManning,
    inVehicle,
    outsideHomeCountries,
  };
}

/** Sorted by start and not overlapping; reports the first item out of order, and every overlap. */
function checkOrder(
  items: readonly (Period | null)[],
  label: string,
  raw: readonly unknown[],
  sink: ErrorSink,
  overlapIsError: boolean,
): void {
  let previous: Period | null = null;
  for (const item of items) {
    if (sink.full) return;
    if (item === null) continue;
    if (previous !== null && item.startMs < previous.endMs) {
      // Only reached on an error: the names and the period are built here, not for every item.
      const rawItem = raw[item.index] as ActivityInput;
      const period = { start: rawItem.start, end: rawItem.end };
      const path = `${label}[${item.index}]`;
      if (item.startMs < previous.startMs) {
        sink.add(
          new UnsortedInputError(
            path,
            item.index,
            previous.index,
            period,
            `starts before ${label}[${previous.index}]`,
          ),
        );
        return; // once out of order, overlaps are meaningless
      }
      if (overlapIsError) {
        sink.add(
          new OverlappingActivitiesError(
            path,
            item.index,
            previous.index,
            period,
            `starts before ${label}[${previous.index}] ends`,
          ),
        );
      }
    }
    previous = item;
  }
}

/** Validates the activities of one driver card. */
export function validateActivities(
  input: unknown,
  options: ValidationOptions,
): ValidationResult<readonly Period[]> {
  const ctx = context(options);
  const periods = readActivities(input, ctx);
  if (ctx.sink.errors.length > 0 || periods === null) return { ok: false, errors: ctx.sink.errors };
  return { ok: true, value: periods };
}

function context(options: ValidationOptions): Ctx {
  return { nowMs: parseNow(options.now), sink: new ErrorSink(), times: new TimestampReader() };
}

function readActivities(input: unknown, ctx: Ctx): Period[] | null {
  const { sink } = ctx;
  if (!Array.isArray(input)) {
    sink.add(new MalformedInputError('activities', null, null, 'must be an array'));
    return null;
  }
  if (input.length > Limits.activitiesMax) {
    sink.add(
      new InputTooLargeError('activities', null, null, `more than ${Limits.activitiesMax} activities`),
    );
    return null;
  }
  if (input.length === 0) {
    sink.add(new MalformedInputError('activities', null, null, 'must contain at least one activity'));
    return null;
  }
  const items: (Period | null)[] = [];
  for (let i = 0; i < input.length && !sink.full; i++) items.push(readActivity(input[i], i, ctx));
  checkOrder(items, 'activities', input, sink, true);
  if (sink.errors.length > 0) return null;
  const periods = items as Period[];
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (first !== undefined && last !== undefined && last.endMs - first.startMs > Limits.spanMaxMs) {
    sink.add(new InputTooLargeError('activities', null, null, 'span longer than ten years'));
    return null;
  }
  return periods;
}

function readCrossing(raw: unknown, index: number, ctx: Ctx): Crossing | null {
  const { sink } = ctx;
  const path = `crossings[${index}]`;
  if (!isPlainObject(raw)) {
    sink.add(new MalformedInputError(path, index, null, 'must be an object'));
    return null;
  }
  const errorsBefore = sink.errors.length;
  checkFields(raw, CROSSING_FIELDS, path, index, sink);
  if (typeof raw.berth !== 'string' || !BERTHS.has(raw.berth)) {
    sink.add(
      new MalformedInputError(`${path}.berth`, index, null, `must be one of ${[...BERTHS].join(', ')}`),
    );
  }
  const scheduled = raw.scheduledMinutes;
  if (typeof scheduled !== 'number' || !Number.isInteger(scheduled) || scheduled < 0 || scheduled > 100_000) {
    sink.add(
      new MalformedInputError(`${path}.scheduledMinutes`, index, null, 'must be an integer 0..100000'),
    );
  }
  const interval = readInterval(raw, path, index, ctx);
  if (interval === null || sink.errors.length !== errorsBefore) return null;
  return { index, ...interval, berth: raw.berth as Berth, scheduledMs: (scheduled as number) * MINUTE_MS };
}

function readExceedance(raw: unknown, index: number, ctx: Ctx): Exceedance | null {
  const { sink } = ctx;
  const path = `exceedances[${index}]`;
  if (!isPlainObject(raw)) {
    sink.add(new MalformedInputError(path, index, null, 'must be an object'));
    return null;
  }
  const errorsBefore = sink.errors.length;
  checkFields(raw, EXCEEDANCE_FIELDS, path, index, sink);
  if (typeof raw.kind !== 'string' || !EXCEEDANCE_KINDS.has(raw.kind)) {
    sink.add(
      new MalformedInputError(
        `${path}.kind`,
        index,
        null,
        `must be one of ${[...EXCEEDANCE_KINDS].join(', ')}`,
      ),
    );
  }
  const reason = raw.reason;
  if (typeof reason !== 'string' || reason.trim() === '' || reason.length > Limits.reasonCharsMax) {
    sink.add(
      new MalformedInputError(
        `${path}.reason`,
        index,
        null,
        `the reason recorded is required (1..${Limits.reasonCharsMax} chars)`,
      ),
    );
  }
  const interval = readInterval(raw, path, index, ctx);
  if (interval === null || sink.errors.length !== errorsBefore) return null;
  return { index, ...interval, kind: raw.kind as ExceedanceKind, reason: reason as string };
}

function readList<T>(
  raw: unknown,
  label: string,
  max: number,
  ctx: Ctx,
  read: (raw: unknown, index: number, ctx: Ctx) => T | null,
): T[] {
  const { sink } = ctx;
  if (raw === undefined) return [];
  if (!Array.isArray(raw)) {
    sink.add(new MalformedInputError(label, null, null, 'must be an array'));
    return [];
  }
  if (raw.length > max) {
    sink.add(new InputTooLargeError(label, null, null, `more than ${max} items`));
    return [];
  }
  const out: T[] = [];
  for (let i = 0; i < raw.length && !sink.full; i++) {
    const item = read(raw[i], i, ctx);
    if (item !== null) out.push(item);
  }
  return out;
}

function readRequest(input: unknown, ctx: Ctx): ValidatedRequest | null {
  const { sink } = ctx;
  if (!isPlainObject(input)) {
    sink.add(new MalformedInputError('request', null, null, 'must be an object'));
    return null;
  }
  checkFields(input, REQUEST_FIELDS, 'request', null, sink);
  const transport = input.transport ?? TransportKind.GOODS;
  if (typeof transport !== 'string' || !TRANSPORT_KINDS.has(transport)) {
    sink.add(new MalformedInputError('transport', null, null, 'must be GOODS or PASSENGERS'));
  }
  const international = optionalBoolean(input, 'international', 'request', null, sink);
  const periods = readActivities(input.activities, ctx);
  const crossings = readList(input.crossings, 'crossings', Limits.crossingsMax, ctx, readCrossing);
  const exceedances = readList(input.exceedances, 'exceedances', Limits.exceedancesMax, ctx, readExceedance);
  if (sink.errors.length > 0 || periods === null) return null;
  const byStart = (a: { startMs: number; index: number }, b: { startMs: number; index: number }): number =>
    a.startMs - b.startMs || a.index - b.index;
  return {
    periods,
    transport: transport as TransportKind,
    international,
    crossings: crossings.sort(byStart),
    exceedances: exceedances.sort(byStart),
  };
}

/** Validates a whole request: activities plus context (crossings, exceedances, flags). */
export function validateComplianceRequest(
  input: unknown,
  options: ValidationOptions,
): ValidationResult<ValidatedRequest> {
  const ctx = context(options);
  const value = readRequest(input, ctx);
  if (value === null || ctx.sink.errors.length > 0) return { ok: false, errors: ctx.sink.errors };
  return { ok: true, value };
}

/**
 * Sorts activities by start (stable), for callers that accept unsorted input on purpose; the
 * validator itself never sorts. Timestamps that do not parse sort last, for validation to name.
 */
export function sortActivities<T extends Pick<ComplianceRequest['activities'][number], 'start'>>(
  activities: readonly T[],
): T[] {
  const keyed = activities.map((activity, position) => ({
    activity,
    position,
    startMs: parseRfc3339Utc(activity.start) ?? Number.POSITIVE_INFINITY,
  }));
  keyed.sort((a, b) => a.startMs - b.startMs || a.position - b.position);
  return keyed.map((k) => k.activity);
}

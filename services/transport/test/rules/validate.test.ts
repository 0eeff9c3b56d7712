/** Input validation: one typed error per problem, naming the offending period. */
import { describe, expect, it } from 'vitest';
import {
  checkCompliance,
  FutureActivityError,
  InvalidComplianceRequestError,
  InvalidTimestampError,
  MalformedInputError,
  NonPositiveDurationError,
  OverlappingActivitiesError,
  UnsortedInputError,
  validateActivities,
  validateComplianceRequest,
  type ComplianceInputError,
} from '../../src/rules/index.js';
import { NOW, tl } from './timeline-dsl.js';

function errorsOf(input: unknown, now = NOW): readonly ComplianceInputError[] {
  const result = validateActivities(input, { now });
  if (result.ok) throw new Error('expected validation to fail');
  return result.errors;
}

const good = tl('Mon 06:00 D 4h30, B 45m, D 4h30, R 11h');

describe('validateActivities', () => {
  it('accepts sorted, non-overlapping past periods, with gaps between them', () => {
    const result = validateActivities(tl('Mon 06:00 D 1h, G 2h, W 1h'), { now: NOW });
    expect(result.ok).toBe(true);
  });

  it('refuses an unsorted list, naming the first period out of order', () => {
    const unsorted = [good[1], good[0], good[2]];
    const [error] = errorsOf(unsorted);
    expect(error).toBeInstanceOf(UnsortedInputError);
    expect(error).toMatchObject({
      name: 'UnsortedInputError',
      code: 'UNSORTED',
      path: 'activities[1]',
      index: 1,
      previousIndex: 0,
      period: { start: good[0]!.start, end: good[0]!.end },
    });
  });

  it('refuses overlapping periods, naming both', () => {
    const overlapping = [good[0], { ...good[1]!, start: '2024-01-01T10:00:00.000Z' }];
    const [error] = errorsOf(overlapping);
    expect(error).toBeInstanceOf(OverlappingActivitiesError);
    expect(error).toMatchObject({ code: 'OVERLAPPING', index: 1, previousIndex: 0 });
    expect(error!.message).toBe('activities[1]: starts before activities[0] ends');
  });

  it('refuses activities in the future of the injected now', () => {
    const errors = errorsOf(good, '2024-01-01T12:00:00Z');
    expect(errors.map((e) => [e.constructor, e.index])).toEqual([
      [FutureActivityError, 2],
      [FutureActivityError, 3],
    ]);
    expect(errors[0]!.path).toBe('activities[2].end');
  });

  it('refuses zero and negative durations', () => {
    const zero = { start: '2024-01-01T06:00:00Z', end: '2024-01-01T06:00:00Z', activity: 'DRIVING' };
    const negative = { start: '2024-01-01T07:00:00Z', end: '2024-01-01T06:59:00Z', activity: 'DRIVING' };
    expect(errorsOf([zero])[0]).toBeInstanceOf(NonPositiveDurationError);
    expect(errorsOf([negative])[0]).toMatchObject({ code: 'NON_POSITIVE_DURATION', index: 0 });
  });

  it.each([
    ['2024-01-01 06:00:00Z', 'space instead of T'],
    ['2024-01-01T06:00:00+01:00', 'offset instead of Z'],
    ['2024-02-30T06:00:00Z', 'impossible date'],
    ['2024-01-01T24:00:00Z', 'hour 24'],
    ['2024-01-01T06:00:00.1234Z', 'more than milliseconds'],
  ])('refuses the timestamp %s (%s)', (start) => {
    const [error] = errorsOf([{ start, end: '2024-01-01T08:00:00Z', activity: 'DRIVING' }]);
    expect(error).toBeInstanceOf(InvalidTimestampError);
    expect(error!.path).toBe('activities[0].start');
  });

  it('refuses wrong types, unknown activities and unknown fields, each by path', () => {
    const errors = errorsOf([
      'DRIVING',
      { start: 1, end: '2024-01-01T08:00:00Z', activity: 'DRIVING' },
      { start: '2024-01-01T08:00:00Z', end: '2024-01-01T09:00:00Z', activity: 'SLEEPING' },
      {
        start: '2024-01-01T09:00:00Z',
        end: '2024-01-01T10:00:00Z',
        activity: 'DRIVING',
        multiManning: 'yes',
      },
      { start: '2024-01-01T10:00:00Z', end: '2024-01-01T11:00:00Z', activity: 'DRIVING', inVehicle: true },
      { start: '2024-01-01T11:00:00Z', end: '2024-01-01T12:00:00Z', activity: 'BREAK_REST', driver: 'x' },
    ]);
    expect(errors.every((e) => e instanceof MalformedInputError)).toBe(true);
    expect(errors.map((e) => e.path)).toEqual([
      'activities[0]',
      'activities[1].start',
      'activities[2].activity',
      'activities[3].multiManning',
      'activities[4].inVehicle',
      'activities[5].driver',
    ]);
  });

  it('refuses a non-array and an empty list', () => {
    expect(errorsOf({})[0]).toMatchObject({ code: 'MALFORMED', path: 'activities' });
    expect(errorsOf([])[0]!.message).toContain('at least one');
  });

  it('needs a valid now', () => {
    expect(() => validateActivities(good, { now: 'yesterday' })).toThrow(TypeError);
  });
});

describe('validateComplianceRequest', () => {
  it('checks crossings and exceedances too, and requires the reason of an exceedance', () => {
    const result = validateComplianceRequest(
      {
        activities: good,
        transport: 'TRUCKS',
        crossings: [{ start: good[0]!.start, end: good[0]!.end, berth: 'HAMMOCK', scheduledMinutes: 1.5 }],
        exceedances: [
          { start: good[0]!.start, end: good[0]!.end, kind: 'HOME_FOR_WEEKLY_REST', reason: '  ' },
        ],
      },
      { now: NOW },
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors.map((e) => e.path)).toEqual([
      'transport',
      'crossings[0].berth',
      'crossings[0].scheduledMinutes',
      'exceedances[0].reason',
    ]);
  });
});

describe('checkCompliance on bad input', () => {
  it('throws InvalidComplianceRequestError with every error, the first as cause', () => {
    const unsorted = [good[2], good[0]];
    let thrown: unknown;
    try {
      checkCompliance({ activities: unsorted }, { now: NOW });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(InvalidComplianceRequestError);
    const error = thrown as InvalidComplianceRequestError;
    expect(error.name).toBe('InvalidComplianceRequestError');
    expect(error.errors).toHaveLength(1);
    expect(error.cause).toBe(error.errors[0]);
    expect(error.message).toContain('activities[1]: starts before activities[0]');
  });
});

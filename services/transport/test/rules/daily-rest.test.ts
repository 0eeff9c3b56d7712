/**
 * Article 8(2), (4), (5): daily rest within 24 h (30 h multi-manning) of the previous rest,
 * regular, split, reduced (at most three between weekly rests), and the Annex III bands.
 */
import { describe, expect, it } from 'vitest';
import { at, check, infringements, only, tl } from './timeline-dsl.js';

/** A 13 h duty (9 h driving, breaks, 2 h 30 work) starting at the cursor. */
const DUTY_13H = 'D 4h30, B 45m, D 4h30, W 3h15';
/** 13 h of duty: after a short rest, it pushes the next long rest out of the first 24 h window. */
const LONG_DUTY = 'D 4h30, B 45m, D 4h, W 3h45';

describe('Art. 8(2) daily rest within 24 h', () => {
  it('13 h of duty then 11 h of rest is a regular daily rest', () => {
    const report = check(tl(`Mon 06:00 ${DUTY_13H}, R 11h, D 1h, R 2d`));
    expect(infringements(report)).toEqual([]);
    expect(report.summary.shifts[0]!.rest).toMatchObject({
      type: 'REGULAR_DAILY',
      minutes: 660,
      inWindowMinutes: 660,
    });
  });

  it('only the part of the rest inside the 24 h window counts: 12 h of rest, 10 h inside, is reduced', () => {
    // Shift from Monday 06:00, duty until 20:00, rest 20:00 to 08:00: window ends Tuesday 06:00.
    const report = check(tl('Mon 06:00 D 4h30, B 45m, D 4h30, W 4h15, R 12h, D 1h, R 2d'));
    expect(infringements(report)).toEqual([]);
    expect(report.summary.shifts[0]!.rest).toMatchObject({
      type: 'REDUCED_DAILY',
      minutes: 720,
      inWindowMinutes: 600,
    });
    expect(report.summary.shifts[0]!.windowEnd).toBe(at('Tue 06:00'));
  });

  it('a daily rest started too late is insufficient, graded on its part inside the window', () => {
    // Duty 06:00 to 21:30 (15 h 30): 8 h 30 of rest fits before Tuesday 06:00.
    const report = check(tl('Mon 06:00 D 4h30, B 45m, D 4h30, W 5h45, R 11h, D 1h, R 2d'));
    const found = only(report, 'DAILY_REST');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      article: '561/2006 Art. 8(2)',
      severity: 'MINOR', // reduction still allowed: 8 h ≤ … < 9 h
      periodStart: at('Mon 06:00'),
      periodEnd: at('Tue 06:00'),
      figures: { restedMinutes: 510, requiredMinutes: 540, shortfallMinutes: 30 },
    });
  });

  it.each([
    ['9h', null],
    ['8h59', 'MINOR'],
    ['8h', 'MINOR'],
    ['7h59', 'SERIOUS'],
    ['7h', 'SERIOUS'],
    ['6h59', 'VERY_SERIOUS'],
  ])('rest of %s where reduction is allowed → %s', (rest, severity) => {
    const report = check(tl(`Mon 06:00 D 4h, R ${rest}, ${LONG_DUTY}, R 2d`));
    const found = only(report, 'DAILY_REST');
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
  });

  it('a split daily rest 3 h then 9 h is regular, and not counted as reduced', () => {
    const spec = 'D 4h, R 3h, D 4h, R 9h';
    const report = check(tl(`Mon 06:00 ${spec}, ${spec}, ${spec}, ${spec}, D 1h, R 2d`));
    expect(infringements(report)).toEqual([]);
    expect(report.summary.shifts.slice(0, 4).map((s) => s.rest!.type)).toEqual(Array(4).fill('SPLIT_DAILY'));
    expect(report.summary.shifts[0]!.rest!.splitFirstPart).toEqual({
      start: at('Mon 10:00'),
      end: at('Mon 13:00'),
    });
  });

  it('9 h then 3 h is not a split rest: the 9 h is a reduced daily rest', () => {
    const report = check(tl('Mon 06:00 D 4h, R 9h, D 4h, R 3h, D 1h, R 11h, D 1h, R 2d'));
    expect(report.summary.shifts.map((s) => s.rest!.type).slice(0, 2)).toEqual([
      'REDUCED_DAILY',
      'REGULAR_DAILY',
    ]);
  });

  it.each([
    ['8h', 'MINOR'],
    ['7h', 'SERIOUS'],
    ['6h59', 'VERY_SERIOUS'],
  ])('split rest 3 h + %s → %s (Annex III split row)', (second, severity) => {
    // Three reduced rests are already used, so the split row is the milder reading.
    const reduced = 'D 4h, R 9h';
    const report = check(
      tl(`Mon 06:00 ${reduced}, ${reduced}, ${reduced}, D 4h, R 3h, D 2h, R ${second}, ${LONG_DUTY}, R 2d`),
    );
    const found = only(report, 'DAILY_REST');
    expect(found.map((f) => [f.severity, f.annex!.row])).toEqual([
      [severity, 'Insufficient split daily rest period of less than 3 h + 9 h'],
    ]);
  });

  it('a shift across midnight ends with its daily rest, not with the calendar day', () => {
    const report = check(tl('Mon 18:00 D 4h30, B 45m, D 4h30, R 11h, D 2h, R 2d'));
    expect(report.summary.shifts[0]).toMatchObject({ start: at('Mon 18:00'), end: at('Tue 03:45') });
    expect(report.summary.shifts[1]).toMatchObject({ start: at('Tue 14:45') });
  });

  it('no rest at all within 24 h is VERY SERIOUS', () => {
    const report = check(tl('Mon 06:00 D 4h30, B 45m, D 4h30, W 10h, B 45m, W 10h, R 11h, D 1h, R 2d'));
    const found = only(report, 'DAILY_REST');
    expect(found[0]).toMatchObject({ severity: 'VERY_SERIOUS' });
  });
});

describe('Art. 8(4) at most three reduced daily rests between two weekly rests', () => {
  const reduced = 'D 4h, R 9h';

  it('three reduced daily rests are allowed', () => {
    const report = check(tl(`Mon 06:00 ${reduced}, ${reduced}, ${reduced}, D 4h, R 11h, D 1h, R 2d`));
    expect(infringements(report)).toEqual([]);
    expect(report.summary.shifts.filter((s) => s.rest?.type === 'REDUCED_DAILY')).toHaveLength(3);
  });

  it('the fourth is graded as a daily rest under 11 h where reduction is not allowed', () => {
    const report = check(tl(`Mon 06:00 ${reduced}, ${reduced}, ${reduced}, ${reduced}, D 1h, R 2d`));
    const found = only(report, 'REDUCED_DAILY_REST_COUNT');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      article: '561/2006 Art. 8(4)',
      severity: 'SERIOUS', // 8 h 30 ≤ 9 h < 10 h
      figures: { restedMinutes: 540, requiredMinutes: 660, count: 4, allowed: 3 },
    });
  });

  it.each([
    ['10h59', 'MINOR'],
    ['10h', 'MINOR'],
    ['9h59', 'SERIOUS'],
    ['9h', 'SERIOUS'],
  ])('a fourth reduced rest of %s → %s', (rest, severity) => {
    const report = check(tl(`Mon 06:00 ${reduced}, ${reduced}, ${reduced}, D 4h, R ${rest}, D 1h, R 2d`));
    expect(only(report, 'REDUCED_DAILY_REST_COUNT').map((f) => f.severity)).toEqual([severity]);
  });

  it.each([
    ['8h30', 'SERIOUS'],
    ['8h29', 'VERY_SERIOUS'],
  ])('an insufficient rest of %s when no reduction is left → %s (11 h row)', (rest, severity) => {
    const report = check(
      tl(`Mon 06:00 ${reduced}, ${reduced}, ${reduced}, D 4h, R ${rest}, ${LONG_DUTY}, R 2d`),
    );
    const found = only(report, 'DAILY_REST');
    expect(found.map((f) => [f.severity, f.figures.requiredMinutes])).toEqual([[severity, 660]]);
  });

  it('the count starts again after a weekly rest', () => {
    const report = check(
      tl(`Mon 06:00 ${reduced}, ${reduced}, ${reduced}, D 4h, R 45h, ${reduced}, ${reduced}, D 1h, R 2d`),
    );
    expect(only(report, 'REDUCED_DAILY_REST_COUNT')).toEqual([]);
  });
});

describe('Art. 8(5) multi-manning: 9 h within 30 h', () => {
  it('21 h of crew duty then 9 h of rest is compliant in multi-manning', () => {
    const crew = 'D 4h30 +mm, B 45m, D 4h30 +mm, A 4h30, D 4h30 +mm, W 2h15';
    const report = check(tl(`Mon 06:00 ${crew}, R 9h, D 1h +mm, R 2d`));
    expect(only(report, 'MULTI_MANNING_DAILY_REST')).toEqual([]);
    expect(only(report, 'DAILY_REST')).toEqual([]);
    expect(report.summary.shifts[0]).toMatchObject({ multiManning: true, windowEnd: at('Tue 12:00') });
    expect(report.summary.shifts[0]!.rest!.type).toBe('MULTI_MANNING_DAILY');
  });

  it('the same duty alone is a daily rest infringement', () => {
    const solo = 'D 4h30, B 45m, D 4h30, A 4h30, D 4h30, W 2h15';
    const report = check(tl(`Mon 06:00 ${solo}, R 9h, D 1h, R 2d`));
    expect(only(report, 'DAILY_REST').map((f) => f.severity)).toEqual(['VERY_SERIOUS']); // 3 h in the window
  });

  it('the other driver may join after the first hour', () => {
    const report = check(tl('Mon 06:00 D 45m, D 3h45 +mm, B 45m, D 4h30 +mm, W 9h, R 9h, D 1h, R 2d'));
    expect(report.summary.shifts[0]!.multiManning).toBe(true);
  });

  it.each([
    ['8h', 'MINOR'],
    ['7h', 'SERIOUS'],
    ['6h59', 'VERY_SERIOUS'],
  ])('%s of rest within 30 h in multi-manning → %s', (rest, severity) => {
    const crew = 'D 4h30 +mm, B 45m, D 4h30 +mm, A 6h, W 5h15'; // 21 h: 9 h are left in the window
    const report = check(tl(`Mon 06:00 ${crew}, R ${rest}, D 1h +mm, R 2d`));
    const found = only(report, 'MULTI_MANNING_DAILY_REST');
    expect(found.map((f) => [f.severity, f.article])).toEqual([[severity, '561/2006 Art. 8(5)']]);
  });
});

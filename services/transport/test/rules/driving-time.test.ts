/**
 * Article 6: daily driving per shift (9 h, 10 h twice a week), weekly 56 h, two weeks 90 h,
 * with the Annex III bands of each.
 */
import { describe, expect, it } from 'vitest';
import { at, check, infringements, only, tl, times } from './timeline-dsl.js';

/** A shift with `driving` split into stints of at most 4h30 with 45 min breaks, then an 11 h rest. */
function shift(drivingMinutes: number, extraRest = ''): string {
  const parts: string[] = [];
  let left = drivingMinutes;
  while (left > 0) {
    const stint = Math.min(left, 270);
    parts.push(`D ${stint}m`);
    left -= stint;
    if (left > 0) parts.push('B 45m');
  }
  if (extraRest !== '') parts.splice(1, 0, extraRest);
  return parts.join(', ');
}

/** Week 1, one shift a day from Monday 06:00, each followed by rest until the next morning. */
function week(dailyMinutes: readonly number[], weekNo = 1): string {
  return dailyMinutes
    .map((m, d) => `W${weekNo} ${['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'][d]} 06:00 ${shift(m)}`)
    .join(', ');
}

describe('Art. 6(1) daily driving, counted per shift', () => {
  it('a shift across midnight is one shift: 9 h from Monday 20:00 is compliant', () => {
    const report = check(tl('Mon 20:00 D 4h30, B 45m, D 4h30, R 11h'));
    expect(infringements(report)).toEqual([]);
    expect(report.summary.shifts[0]).toMatchObject({
      start: at('Mon 20:00'),
      end: at('Tue 05:45'),
      drivingMinutes: 540,
    });
  });

  it('counts the shift, not the calendar day: 10 h across midnight uses an extension', () => {
    // Monday (calendar) holds 9 h and Tuesday 1 h, but the shift holds 10 h.
    const report = check(tl('Mon 14:00 D 4h30, B 45m, D 4h30, B 45m, D 1h, R 11h'));
    expect(infringements(report)).toEqual([]);
    expect(report.summary.shifts[0]).toMatchObject({
      drivingMinutes: 600,
      extended: true,
      limitMinutes: 600,
    });
    expect(report.summary.weeks[0]!.extendedShifts).toBe(1);
  });

  it('a third 10 h shift in the fixed week is graded against 9 h', () => {
    const report = check(tl(week([600, 600, 600])));
    const found = only(report, 'DAILY_DRIVING');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      article: '561/2006 Art. 6(1)',
      severity: 'SERIOUS', // 10 h ≤ … < 11 h where extension is not allowed
      periodStart: at('Wed 06:00'),
      figures: { drivenMinutes: 600, limitMinutes: 540, excessMinutes: 60, count: 3, allowed: 2 },
    });
    expect(found[0]!.annex!.band).toBe('10 h ≤ … < 11 h');
  });

  it('the extensions come back in the next fixed week', () => {
    const report = check(tl(`${week([600, 600])}, ${week([600, 600], 2)}`));
    expect(only(report, 'DAILY_DRIVING')).toEqual([]);
  });

  it('a shift of exactly 9 h needs no extension; 9 h 01 uses one', () => {
    const report = check(tl(week([540, 541])));
    expect(report.summary.shifts.map((s) => s.extended)).toEqual([false, true]);
  });

  // Severity bands, each boundary just under, at and over (limit 10 h: extension available).
  it.each([
    [600, null],
    [601, 'MINOR'],
    [659, 'MINOR'],
    [660, 'SERIOUS'],
    [719, 'SERIOUS'],
    [720, 'VERY_SERIOUS'],
    [899, 'VERY_SERIOUS'],
  ])('extended limit: %i min of driving → %s', (driven, severity) => {
    const report = check(tl(`Mon 00:00 ${shift(driven)}, R 2d`));
    const found = only(report, 'DAILY_DRIVING');
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
  });

  it.each([
    [540, null],
    [541, 'MINOR'],
    [599, 'MINOR'],
    [600, 'SERIOUS'],
    [659, 'SERIOUS'],
    [660, 'VERY_SERIOUS'],
    [809, 'VERY_SERIOUS'],
  ])('9 h limit (both extensions used): %i min → %s', (driven, severity) => {
    const report = check(tl(`${week([600, 600])}, W1 Wed 06:00 ${shift(driven)}, R 2d`));
    const found = only(report, 'DAILY_DRIVING');
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
  });

  it('MOST SERIOUS: 50 % over the limit without a break or rest of 4.5 h (13 h 30 at 9 h, 15 h at 10 h)', () => {
    const atNine = check(tl(`${week([600, 600])}, W1 Wed 06:00 ${shift(810)}, R 2d`));
    expect(only(atNine, 'DAILY_DRIVING')[0]).toMatchObject({ severity: 'MOST_SERIOUS' });
    expect(only(atNine, 'DAILY_DRIVING')[0]!.annex!.band).toContain('13 h 30 ≤');
    const atTen = check(tl(`Mon 00:00 ${shift(900)}, R 2d`));
    expect(only(atTen, 'DAILY_DRIVING')[0]).toMatchObject({ severity: 'MOST_SERIOUS' });
  });

  it('a rest of 4 h 30 inside the shift keeps 15 h of driving VERY SERIOUS (multi-manning, 30 h window)', () => {
    // 4h30 rest is no daily rest (under 9 h): the shift goes on after it.
    const report = check(
      tl('Mon 00:00 D 4h30 +mm, R 4h30, D 4h30 +mm, B 45m, D 4h30 +mm, B 45m, D 1h30 +mm, R 2d'),
    );
    const found = only(report, 'DAILY_DRIVING');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'VERY_SERIOUS', figures: { drivenMinutes: 900 } });
  });

  it('a shorter rest inside the shift does not: 15 h without 4.5 h of rest is MOST SERIOUS', () => {
    const report = check(
      tl('Mon 00:00 D 4h30 +mm, R 4h29, D 4h30 +mm, B 45m, D 4h30 +mm, B 45m, D 1h30 +mm, R 2d'),
    );
    expect(only(report, 'DAILY_DRIVING').map((f) => f.severity)).toEqual(['MOST_SERIOUS']);
  });
});

describe('Art. 6(2) weekly driving 56 h', () => {
  it.each([
    [[540, 540, 540, 540, 600, 600, 0], null], // 56 h exactly
    [[540, 540, 540, 540, 600, 600, 1], 'MINOR'],
    [[540, 540, 540, 540, 600, 600, 239], 'MINOR'],
    [[540, 540, 540, 540, 600, 600, 240], 'SERIOUS'], // 60 h
    [[540, 540, 540, 540, 600, 600, 539], 'SERIOUS'],
    [[540, 540, 540, 540, 600, 600, 540], 'VERY_SERIOUS'], // 65 h
    [[600, 600, 600, 600, 600, 600, 599], 'VERY_SERIOUS'], // 69 h 59
    [[600, 600, 600, 600, 600, 600, 600], 'MOST_SERIOUS'], // 70 h: 25 % over
  ])('week of %j minutes → %s', (days, severity) => {
    const report = check(tl(week(days)));
    const found = only(report, 'WEEKLY_DRIVING');
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
    if (severity !== null)
      expect(found[0]).toMatchObject({ article: '561/2006 Art. 6(2)', periodStart: at('Mon 00:00') });
  });

  it('splits a driving period at the week boundary (Sunday 24:00)', () => {
    const report = check(tl('W1 Sun 22:00 D 4h, R 11h'));
    expect(report.summary.weeks.map((w) => w.drivingMinutes)).toEqual([120, 120]);
  });
});

describe('Art. 6(3) two consecutive weeks 90 h', () => {
  const fortyFive = [540, 540, 540, 540, 540, 0, 0];
  it.each([
    [[540, 540, 540, 540, 540, 0, 0], null], // 45 h + 45 h = 90 h
    [[540, 540, 540, 540, 540, 1, 0], 'MINOR'],
    [[540, 540, 540, 540, 540, 599, 0], 'MINOR'], // 99 h 59
    [[540, 540, 540, 540, 540, 600, 0], 'SERIOUS'], // 100 h
    [[540, 540, 540, 540, 540, 600, 300], 'VERY_SERIOUS'], // 105 h
    [[540, 540, 540, 540, 600, 600, 689], 'VERY_SERIOUS'], // 112 h 29
    [[540, 540, 540, 540, 600, 600, 690], 'MOST_SERIOUS'], // 112 h 30
  ])('second week %j after 45 h → %s', (days, severity) => {
    const report = check(tl(`${week(fortyFive)}, ${week(days, 2)}`));
    const found = only(report, 'TWO_WEEK_DRIVING');
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
    if (severity !== null) {
      expect(found[0]).toMatchObject({ periodStart: at('W1 Mon 00:00'), periodEnd: at('W3 Mon 00:00') });
    }
  });

  it('reports the two-week total in the summary', () => {
    const report = check(tl(`${week([540, 540])}, ${week([540], 2)}`));
    expect(report.summary.weeks.map((w) => w.twoWeekDrivingMinutes)).toEqual([1080, 1620]);
  });
});

describe('times()', () => {
  it('repeats a spec', () => {
    expect(times(2, 'D 1h')).toBe('D 1h, D 1h');
  });
});

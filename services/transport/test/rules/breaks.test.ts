/** Article 7: 45 min after 4 h 30 of driving, or 15 min then 30 min; Annex III bands. */
import { describe, expect, it } from 'vitest';
import { at, check, infringements, only, tl } from './timeline-dsl.js';

function breakFindings(spec: string) {
  return only(check(tl(spec)), 'BREAK');
}

describe('Art. 7 breaks', () => {
  it('4 h 30, 45 min, 4 h 30 is compliant', () => {
    expect(infringements(check(tl('Mon 06:00 D 4h30, B 45m, D 4h30, R 11h')))).toEqual([]);
  });

  it('a split break 15 min then 30 min, in that order, ends the driving period', () => {
    expect(breakFindings('Mon 06:00 D 2h, B 15m, D 2h30, B 30m, D 4h30, R 11h')).toEqual([]);
  });

  it('a split break in the wrong order (30 min then 15 min) does not: 5 h of driving, SERIOUS', () => {
    const found = breakFindings('Mon 06:00 D 2h, B 30m, D 2h, B 15m, D 1h, B 45m, D 1h, R 11h');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      article: '561/2006 Art. 7',
      severity: 'SERIOUS',
      periodStart: at('Mon 06:00'),
      periodEnd: at('Mon 11:45'),
      figures: { drivenMinutes: 300, limitMinutes: 270, excessMinutes: 30 },
      causes: [0, 2, 4],
    });
  });

  it('the wrong order is still compliant while the driving stays within 4 h 30', () => {
    // 30 min counts as the first part; the 15 min completes nothing, but 4 h 30 is not exceeded.
    expect(breakFindings('Mon 06:00 D 2h, B 30m, D 2h, B 15m, D 30m, B 45m, D 4h, R 11h')).toEqual([]);
  });

  it('other work is not a break: 4 h 30 driving, 45 min work, 30 min driving is SERIOUS (5 h)', () => {
    const found = breakFindings('Mon 06:00 D 4h30, W 45m, D 30m, B 45m, D 1h, R 11h');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ severity: 'SERIOUS', figures: { drivenMinutes: 300 } });
  });

  it('availability is not a break either', () => {
    const found = breakFindings('Mon 06:00 D 4h30, A 45m, D 15m, B 45m, R 11h');
    expect(found.map((f) => [f.severity, f.figures.drivenMinutes])).toEqual([['MINOR', 285]]);
  });

  it('a break under 15 min does not count, even as a first part', () => {
    // 14 min ignored; the 30 min is then only a first part; driving runs on to 5 h.
    const found = breakFindings('Mon 06:00 D 2h, B 14m, D 2h, B 30m, D 1h, B 45m, R 11h');
    expect(found.map((f) => f.figures.drivenMinutes)).toEqual([300]);
  });

  it('a first part of 15 min, then two short breaks, then 30 min: the 30 min completes it', () => {
    expect(breakFindings('Mon 06:00 D 1h, B 15m, D 1h, B 10m, D 1h, B 30m, D 4h30, R 11h')).toEqual([]);
  });

  it('unrecorded time (card withdrawn) counts as a break, as the tachograph counts it', () => {
    expect(breakFindings('Mon 06:00 D 4h30, G 45m, D 4h30, R 11h')).toEqual([]);
    expect(breakFindings('Mon 06:00 D 4h30, U 45m, D 4h30, R 11h')).toEqual([]);
  });

  it('a daily rest ends the driving period', () => {
    expect(breakFindings('Mon 06:00 D 4h30, R 11h, D 4h30, R 11h')).toEqual([]);
  });

  it.each([
    ['4h30', null],
    ['4h31', 'MINOR'],
    ['4h59', 'MINOR'],
    ['5h', 'SERIOUS'],
    ['5h59', 'SERIOUS'],
    ['6h', 'VERY_SERIOUS'],
    ['9h', 'VERY_SERIOUS'],
  ])('%s without a break → %s', (driving, severity) => {
    const found = breakFindings(`Mon 06:00 D ${driving}, R 11h`);
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
    if (severity !== null)
      expect(found[0]!.annex!.row).toBe(
        'Exceeding the uninterrupted driving time of 4.5 h before taking a break',
      );
  });
});

/** Article 9 (ferry or train) and Article 12 (exceedances with the reason recorded). */
import { describe, expect, it } from 'vitest';
import type { CrossingInput, ExceedanceInput } from '../../src/rules/index.js';
import { at, check, only, tl } from './timeline-dsl.js';

/** Duty Monday 06:00 to 16:15. */
const DUTY = 'Mon 06:00 D 4h30, B 45m, D 4h, W 1h';

function crossing(berth: CrossingInput['berth'], scheduledMinutes = 600): CrossingInput {
  return { start: at('Mon 16:00'), end: at('Wed 20:00'), berth, scheduledMinutes };
}

describe('Art. 9 rest interrupted on a ferry or train', () => {
  const interrupted = `${DUTY}, R 5h, D 20m, R 6h, D 4h, R 2d`;

  it('joins a regular daily rest interrupted once by disembarking', () => {
    const report = check(tl(interrupted), { crossings: [crossing('BUNK_OR_COUCHETTE')] });
    expect(only(report, 'DAILY_REST')).toEqual([]);
    expect(report.summary.shifts[0]!.rest).toMatchObject({
      type: 'REGULAR_DAILY',
      minutes: 660,
      ferryOrTrainInterruptions: 1,
    });
  });

  it('without the crossing the two parts are no daily rest', () => {
    const report = check(tl(interrupted));
    expect(only(report, 'DAILY_REST').map((f) => f.severity)).toEqual(['VERY_SERIOUS']);
  });

  it('needs a bunk, couchette or cabin', () => {
    const report = check(tl(interrupted), { crossings: [crossing('NONE')] });
    expect(only(report, 'DAILY_REST')).toHaveLength(1);
  });

  it('allows two interruptions of one hour in total, not more', () => {
    const twice = `${DUTY}, R 3h, D 15m, R 4h, W 45m, R 4h, D 4h, R 2d`;
    expect(
      check(tl(twice), { crossings: [crossing('BUNK_OR_COUCHETTE')] }).summary.shifts[0]!.rest,
    ).toMatchObject({
      ferryOrTrainInterruptions: 2,
      minutes: 660,
    });
    const tooLong = `${DUTY}, R 5h, D 1h01, R 6h, D 4h, R 2d`;
    expect(
      only(check(tl(tooLong), { crossings: [crossing('BUNK_OR_COUCHETTE')] }), 'DAILY_REST'),
    ).toHaveLength(1);
  });

  it('does not apply to a reduced daily rest', () => {
    const reduced = `${DUTY}, R 5h, D 20m, R 5h, D 4h, R 2d`;
    const report = check(tl(reduced), { crossings: [crossing('BUNK_OR_COUCHETTE')] });
    expect(report.summary.shifts[0]!.rest!.ferryOrTrainInterruptions).toBe(0);
  });

  it('joins a regular weekly rest only on a journey of 8 h or more with a sleeper cabin', () => {
    const weekly = `${DUTY}, R 20h, D 30m, R 25h, D 4h`;
    const cabin = check(tl(weekly), { crossings: [crossing('SLEEPER_CABIN', 480)] });
    expect(cabin.summary.shifts[0]!.rest).toMatchObject({
      type: 'REGULAR_WEEKLY',
      minutes: 2700,
      ferryOrTrainInterruptions: 1,
    });
    const bunk = check(tl(weekly), { crossings: [crossing('BUNK_OR_COUCHETTE', 480)] });
    expect(bunk.summary.shifts.map((s) => s.rest?.ferryOrTrainInterruptions)).not.toContain(1);
    const short = check(tl(weekly), { crossings: [crossing('SLEEPER_CABIN', 479)] });
    expect(short.summary.shifts.map((s) => s.rest?.ferryOrTrainInterruptions)).not.toContain(1);
  });
});

describe('Art. 12 exceedances', () => {
  // 10 h of driving by 17:30, then one more hour to reach home.
  const longDay = 'Mon 06:00 D 4h30, B 45m, D 4h30, B 45m, D 1h, D 1h';
  const lastHour: Omit<ExceedanceInput, 'kind'> = {
    start: at('Mon 17:30'),
    end: at('Mon 18:30'),
    reason: 'traffic jam, reached home',
  };

  it('without a declared exceedance 11 h of driving is SERIOUS', () => {
    expect(only(check(tl(`${longDay}, R 46h, D 1h`)), 'DAILY_DRIVING').map((f) => f.severity)).toEqual([
      'SERIOUS',
    ]);
  });

  it('second paragraph: up to 1 h more to reach home for a weekly rest, compensated en bloc', () => {
    const report = check(tl(`${longDay}, R 46h, D 1h`), {
      exceedances: [{ ...lastHour, kind: 'HOME_FOR_WEEKLY_REST' }],
    });
    expect(only(report, 'DAILY_DRIVING')).toEqual([]);
    const applied = only(report, 'EXCEEDANCE_APPLIED');
    expect(applied).toHaveLength(1);
    expect(applied[0]).toMatchObject({ kind: 'NOTICE', severity: null, figures: { excusedMinutes: 60 } });
    expect(applied[0]!.message).toContain('traffic jam, reached home');
    // The 46 h weekly rest carries 1 h beyond 45 h: the extension is compensated with it.
    expect(report.summary.compensations).toEqual([
      {
        origin: 'EXCEEDANCE',
        originStart: at('Mon 17:30'),
        owedMinutes: 60,
        dueBy: at('W5 Mon 00:00'),
        status: 'SETTLED',
        settledWith: at('Mon 18:30'),
      },
    ]);
  });

  it('the compensation is owed while no rest carries it', () => {
    const report = check(tl(`${longDay}, R 45h, D 1h`), {
      exceedances: [{ ...lastHour, kind: 'HOME_FOR_WEEKLY_REST' }],
    });
    expect(only(report, 'COMPENSATION_OWED')[0]).toMatchObject({
      article: '561/2006 Art. 12 fifth subparagraph',
      figures: { owedMinutes: 60 },
      dueBy: at('W5 Mon 00:00'),
    });
  });

  it('does not apply when no weekly rest follows', () => {
    const report = check(tl(`${longDay}, R 11h, D 1h, R 2d`), {
      exceedances: [{ ...lastHour, kind: 'HOME_FOR_WEEKLY_REST' }],
    });
    expect(only(report, 'EXCEEDANCE_NOT_APPLICABLE')[0]!.message).toContain('not a weekly rest');
    expect(only(report, 'DAILY_DRIVING')).toHaveLength(1);
  });

  it('third paragraph: up to 2 h after a 30 min break, for a regular weekly rest', () => {
    const spec = 'Mon 06:00 D 4h30, B 45m, D 4h30, B 45m, D 1h, B 30m, D 2h, R 47h, D 1h';
    const exceedance: ExceedanceInput = {
      start: at('Mon 18:00'),
      end: at('Mon 20:00'),
      kind: 'HOME_FOR_REGULAR_WEEKLY_REST',
      reason: 'reach the operational centre',
    };
    const report = check(tl(spec), { exceedances: [exceedance] });
    expect(only(report, 'DAILY_DRIVING')).toEqual([]);
    expect(report.summary.compensations[0]).toMatchObject({ owedMinutes: 120, status: 'SETTLED' });
    const noBreak = check(tl(spec.replace('B 30m', 'B 29m')), {
      exceedances: [{ ...exceedance, start: at('Mon 17:59'), end: at('Mon 19:59') }],
    });
    expect(only(noBreak, 'EXCEEDANCE_NOT_APPLICABLE')[0]!.message).toContain('30 min break');
    expect(only(noBreak, 'DAILY_DRIVING')).toHaveLength(1);
  });

  it('first paragraph: reaching a suitable stopping place excuses the driving from the break rule', () => {
    const spec = 'Mon 06:00 D 4h30, D 20m, B 45m, D 4h, R 11h, D 1h, R 2d';
    expect(only(check(tl(spec)), 'BREAK')).toHaveLength(1);
    const report = check(tl(spec), {
      exceedances: [
        {
          start: at('Mon 10:30'),
          end: at('Mon 10:50'),
          kind: 'SUITABLE_STOPPING_PLACE',
          reason: 'no safe parking',
        },
      ],
    });
    expect(only(report, 'BREAK')).toEqual([]);
    expect(report.summary.compensations).toEqual([]);
  });

  it('an exceedance declared during a rest is not applied', () => {
    const report = check(tl('Mon 06:00 D 4h, R 11h, D 1h, R 2d'), {
      exceedances: [
        { start: at('Mon 12:00'), end: at('Mon 13:00'), kind: 'HOME_FOR_WEEKLY_REST', reason: 'x' },
      ],
    });
    expect(only(report, 'EXCEEDANCE_NOT_APPLICABLE')).toHaveLength(1);
  });
});

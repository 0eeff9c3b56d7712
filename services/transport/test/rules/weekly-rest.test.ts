/**
 * Article 8(6), (6b), (8): weekly rests — start within six 24 h periods, one regular in any two
 * weeks, the international derogation, compensation en bloc by the end of the third week, and
 * never a regular weekly rest in the vehicle.
 */
import { describe, expect, it } from 'vitest';
import { settleDebts, type Debt } from '../../src/rules/compensation.js';
import type { RestBlock } from '../../src/rules/timeline.js';
import { at, check, infringements, only, tl } from './timeline-dsl.js';

/** 10 h 15 of duty (6 h driving, so no week exceeds 56 h nor two weeks 90 h); with the night, 24 h. */
const DAY = 'D 4h, B 45m, D 2h, W 3h30';
const NIGHT = 'R 13h45';

/** `days` working days (24 h cycles), the last one followed by the weekly rest instead of a night. */
function workWeek(days: number, weeklyRest: string): string {
  const parts: string[] = [];
  for (let d = 0; d < days; d++) parts.push(DAY, d === days - 1 ? `R ${weeklyRest}` : NIGHT);
  return parts.join(', ');
}

/** Weeks of five working days each, ending with the weekly rests given, then one more shift. */
function weeks(...weeklyRests: string[]): string {
  return `Mon 06:00 ${weeklyRests.map((r) => workWeek(5, r)).join(', ')}, ${DAY}`;
}

describe('weekly rest types', () => {
  it('45 h is a regular weekly rest; 24 h a reduced one', () => {
    const report = check(tl(weeks('45h', '24h', '45h')));
    const types = report.summary.shifts.map((s) => s.rest?.type).filter((t) => t?.endsWith('WEEKLY'));
    expect(types).toEqual(['REGULAR_WEEKLY', 'REDUCED_WEEKLY', 'REGULAR_WEEKLY']);
  });

  it('a daily rest extended past 24 h becomes a weekly rest and restarts the reduced count', () => {
    const report = check(
      tl('Mon 06:00 D 4h, R 9h, D 4h, R 9h, D 4h, R 9h, D 4h, R 30h, D 4h, R 9h, D 4h, R 2d'),
    );
    expect(only(report, 'REDUCED_DAILY_REST_COUNT')).toEqual([]);
  });
});

describe('Art. 8(6) second subparagraph: start within six 24 h periods', () => {
  // Monday 06:00 to Saturday: six cycles; the record starts just after a weekly rest (assumed),
  // so the next one must start by Sunday 06:00.
  const sixDays = `Mon 06:00 ${Array.from({ length: 6 }, () => `${DAY}, ${NIGHT}`).join(', ')}`;

  it.each([
    ['', null],
    ['W 1h, ', 'MINOR'],
    ['W 2h59, ', 'MINOR'],
    ['W 3h, ', 'SERIOUS'],
    ['W 11h59, ', 'SERIOUS'],
    ['W 12h, ', 'VERY_SERIOUS'],
  ])('Sunday 06:00 "%s" then the weekly rest: delay → %s', (sunday, severity) => {
    // The last night runs to Sunday 06:00, the deadline; work then pushes the weekly rest later.
    const report = check(tl(`${sixDays}, ${sunday}R 45h, ${DAY}`));
    const found = only(report, 'WEEKLY_REST_START');
    expect(found.map((f) => f.severity)).toEqual(severity === null ? [] : [severity]);
    if (severity !== null)
      expect(found[0]).toMatchObject({ article: '561/2006 Art. 8(6) second subparagraph' });
  });

  it('a weekly rest that has not started when the record ends is late already', () => {
    const report = check(tl(`${sixDays}, ${DAY}, ${NIGHT}, ${DAY}`));
    const found = only(report, 'WEEKLY_REST_START');
    expect(found).toHaveLength(1);
    expect(found[0]!.message).toContain('at least');
  });
});

describe('Art. 8(6) first subparagraph: a weekly rest under 24 h', () => {
  it.each([
    ['22h', 'MINOR'],
    ['20h', 'SERIOUS'],
  ])('a weekend rest of %s in place of a weekly rest → %s', (rest, severity) => {
    const report = check(tl(weeks(rest, '45h')));
    const found = only(report, 'WEEKLY_REST_TOO_SHORT');
    expect(found.map((f) => [f.severity, f.annex!.row])).toEqual([
      [severity, 'Insufficient reduced weekly rest period of less than 24 h'],
    ]);
    expect(only(report, 'WEEKLY_REST_START')).toEqual([]);
    expect(report.summary.shifts.some((s) => s.rest?.type === 'INSUFFICIENT_WEEKLY')).toBe(true);
  });

  it('under 20 h it is VERY SERIOUS either way', () => {
    const report = check(tl(weeks('19h59', '45h')));
    expect(
      infringements(report)
        .filter((f) => f.rule.startsWith('WEEKLY_REST'))
        .map((f) => f.severity),
    ).toEqual(['VERY_SERIOUS']);
  });
});

describe('Art. 8(6) first subparagraph: one regular weekly rest in any two consecutive weeks', () => {
  // The pairs of reduced rests below follow a regular week ('45h'), so they fall in weeks 2 and 3
  // and leave both without a regular rest: the rule is about fixed weeks (Art. 4(i), 8(9)), and a
  // pair in weeks 1 and 2 right after the (assumed) regular rest of week 1 would comply.
  it.each([
    ['24h', 'VERY_SERIOUS'],
    ['35h59', 'VERY_SERIOUS'],
    ['36h', 'SERIOUS'],
    ['41h59', 'SERIOUS'],
    ['42h', 'MINOR'],
    ['44h59', 'MINOR'],
  ])('reduced then reduced (%s) → %s', (second, severity) => {
    const report = check(tl(weeks('45h', '24h', second, '66h')));
    const found = only(report, 'CONSECUTIVE_REDUCED_WEEKLY_REST');
    expect(found.map((f) => [f.severity, f.annex!.row])).toEqual([
      [
        severity,
        'Insufficient weekly rest period of less than 45 h where reduced weekly rest period is not allowed',
      ],
    ]);
  });

  it('reduced, regular, reduced is allowed', () => {
    const report = check(tl(weeks('24h', '66h', '24h', '66h')));
    expect(only(report, 'CONSECUTIVE_REDUCED_WEEKLY_REST')).toEqual([]);
  });
});

describe('Art. 8(6) third subparagraph: two consecutive reduced weekly rests in international transport', () => {
  const international = { transport: 'GOODS', international: true } as const;

  it('is allowed abroad, and the next weekly rest must be preceded by the compensation for both', () => {
    const report = check(tl(weeks('45h', '24h +abroad', '24h +abroad', '87h')), international);
    expect(infringements(report)).toEqual([]);
    expect(report.summary.compensations.map((c) => [c.owedMinutes, c.status])).toEqual([
      [1260, 'SETTLED'],
      [1260, 'SETTLED'],
    ]);
  });

  it('without the compensation before the next weekly rest, it is an infringement of Art. 8(6b)', () => {
    const report = check(tl(weeks('45h', '24h +abroad', '24h +abroad', '45h')), international);
    const found = only(report, 'COMPENSATION_BEFORE_WEEKLY_REST');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      article: '561/2006 Art. 8(6b) second subparagraph',
      severity: null,
      figures: { owedMinutes: 2520 },
    });
  });

  it('is not allowed for rests begun in the home countries, nor in national transport', () => {
    const home = check(tl(weeks('45h', '24h', '24h', '87h')), international);
    expect(only(home, 'CONSECUTIVE_REDUCED_WEEKLY_REST')).toHaveLength(1);
    const national = check(tl(weeks('45h', '24h +abroad', '24h +abroad', '87h')));
    expect(only(national, 'CONSECUTIVE_REDUCED_WEEKLY_REST')).toHaveLength(1);
    const passengers = check(tl(weeks('45h', '24h +abroad', '24h +abroad', '87h')), {
      transport: 'PASSENGERS',
      international: true,
    });
    expect(only(passengers, 'CONSECUTIVE_REDUCED_WEEKLY_REST')).toHaveLength(1);
  });

  it('needs two regular weekly rests in any four consecutive weeks', () => {
    const report = check(tl(weeks('45h', '24h +abroad', '24h +abroad', '87h', '24h', '66h')), international);
    const found = only(report, 'FOUR_WEEK_WEEKLY_RESTS');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ figures: { count: 1, allowed: 2 }, severity: 'VERY_SERIOUS' });
  });
});

describe('Art. 8(6b) compensation of a reduced weekly rest', () => {
  it('is settled en bloc by a later rest with enough surplus before the end of the third week', () => {
    const report = check(tl(weeks('24h', '66h', '45h')));
    expect(report.summary.compensations).toEqual([
      {
        origin: 'REDUCED_WEEKLY_REST',
        originStart: at('W1 Fri 16:15'),
        owedMinutes: 1260,
        dueBy: at('W5 Mon 00:00'),
        status: 'SETTLED',
        settledWith: report.summary.shifts.find((s) => s.rest?.minutes === 66 * 60)!.rest!.start,
      },
    ]);
    expect(infringements(report)).toEqual([]);
  });

  it('may be attached to a daily rest of at least 9 h (Art. 8(7)): 33 h reduced, then 9 h + 12 h', () => {
    const report = check(tl(`Mon 06:00 ${workWeek(5, '33h')}, ${DAY}, R 21h, ${workWeek(4, '45h')}, ${DAY}`));
    expect(report.summary.compensations).toMatchObject([{ owedMinutes: 720, status: 'SETTLED' }]);
    const settledWith = report.summary.compensations[0]!.settledWith;
    expect(report.summary.shifts.find((s) => s.rest?.start === settledWith)!.rest).toMatchObject({
      minutes: 1260,
      type: 'REGULAR_DAILY',
      surplusMinutes: 720,
    });
  });

  it('is not settled in parts: two surpluses of 11 h do not pay 21 h', () => {
    const report = check(tl(weeks('24h', '56h', '56h', '45h', '45h', '45h')));
    expect(report.summary.compensations[0]!.status).toBe('OVERDUE');
  });

  it('is an infringement once the third week after has ended', () => {
    const report = check(tl(weeks('24h', '45h', '45h', '45h', '45h', '45h')));
    const found = only(report, 'WEEKLY_REST_COMPENSATION');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({
      article: '561/2006 Art. 8(6b) first subparagraph',
      kind: 'INFRINGEMENT',
      severity: null,
      dueBy: at('W5 Mon 00:00'),
      figures: { owedMinutes: 1260 },
    });
  });

  it('is a notice while the deadline has not passed', () => {
    const report = check(tl(weeks('24h', '45h')));
    const found = only(report, 'COMPENSATION_OWED');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ kind: 'NOTICE', severity: null, dueBy: at('W5 Mon 00:00') });
  });

  it('counts a reduced weekly rest that spans two weeks in the later one (Art. 8(9))', () => {
    // Sunday 12:00 to Monday 12:00: the week in question is week 2, so compensation is due by the end of week 5.
    const report = check(tl('W1 Sun 02:00 D 4h, W 6h, R 24h, D 4h, R 45h, D 1h'));
    expect(report.summary.compensations[0]!.dueBy).toBe(at('W6 Mon 00:00'));
  });
});

describe('Art. 8(8) regular weekly rest never in the vehicle', () => {
  it('a regular weekly rest in the vehicle is an infringement', () => {
    const report = check(tl(weeks('45h +veh', '45h')));
    const found = only(report, 'REGULAR_WEEKLY_REST_IN_VEHICLE');
    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ article: '561/2006 Art. 8(8)', figures: { inVehicleMinutes: 2700 } });
  });

  it('a reduced weekly rest or a daily rest in the vehicle is allowed', () => {
    const report = check(
      tl(`Mon 06:00 ${DAY}, R 13h45 +veh, ${workWeek(4, '24h +veh')}, ${workWeek(5, '45h')}, ${DAY}`),
    );
    expect(only(report, 'REGULAR_WEEKLY_REST_IN_VEHICLE')).toEqual([]);
  });
});

describe('compensation ledger at the end of the record', () => {
  const H = 3_600_000;
  const dueMs = Date.UTC(2024, 1, 5);
  const debt: Debt = {
    origin: 'REDUCED_WEEKLY_REST',
    originStartMs: dueMs - 20 * 24 * H,
    availableFromMs: dueMs - 19 * 24 * H,
    owedMs: 21 * H,
    dueMs,
    key: {},
  };
  function rest(startMs: number, endMs: number, openEnd: boolean): RestBlock {
    const parts = [{ startMs, endMs }];
    return {
      startMs,
      endMs,
      restMs: endMs - startMs,
      parts,
      periodFrom: 0,
      periodTo: 1,
      inVehicleMs: 0,
      outsideHomeCountries: false,
      openStart: false,
      openEnd,
    };
  }

  it('a debt whose deadline passes during a rest still going on when the record ends is pending, not overdue', () => {
    const going = rest(dueMs - 30 * H, dueMs + 10 * H, true);
    expect(settleDebts([debt], [going], going.endMs)[0]!.status).toBe('OWED');
    const ended = rest(dueMs - 30 * H, dueMs + 10 * H, false);
    expect(settleDebts([debt], [ended], ended.endMs)[0]!.status).toBe('OVERDUE');
  });

  it('a rest that began too late to fit the compensation before the deadline cannot pay it', () => {
    const late = rest(dueMs - 20 * H, dueMs + 60 * H, false); // 80 h: 35 h of surplus, but 21 h do not fit
    expect(settleDebts([debt], [late], late.endMs)[0]!.status).toBe('OVERDUE');
  });
});

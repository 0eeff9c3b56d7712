/**
 * Properties of the engine over generated records (fast-check, fixed seeds so runs repeat):
 * compliant schedules give no findings, input order does not matter once sorted, and adding rest
 * never creates a driving-time infringement.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkCompliance,
  sortActivities,
  validateActivities,
  type ActivityInput,
  type ActivityType,
  type ComplianceReport,
  type Finding,
} from '../../src/rules/index.js';
import { BASE_MS, NOW } from './timeline-dsl.js';

const MIN = 60_000;
const DAY = 24 * 60 * MIN;
const WEEK = 7 * DAY;
const iso = (ms: number) => new Date(ms).toISOString();

function check(activities: readonly ActivityInput[]): ComplianceReport {
  return checkCompliance({ activities }, { now: NOW });
}

// ---- compliant schedules -------------------------------------------------------------------

/** One working day: at most 8 h driving in stints of at most 4 h 30, duty at most 11 h. */
const workingDay = fc.record({
  startOffsetMin: fc.integer({ min: 0, max: 120 }),
  workBeforeMin: fc.integer({ min: 0, max: 45 }),
  stint1Min: fc.integer({ min: 150, max: 270 }), // over 2 h: each night stays under 24 h
  shortBreakMin: fc.integer({ min: 0, max: 14 }),
  breakMin: fc.integer({ min: 45, max: 60 }),
  splitBreak: fc.boolean(),
  stint2Min: fc.integer({ min: 0, max: 210 }),
  availabilityMin: fc.integer({ min: 0, max: 20 }),
  restKind: fc.constantFrom('gap', 'BREAK_REST', 'UNKNOWN'),
  restInVehicle: fc.boolean(),
  multiManning: fc.boolean(),
});
type WorkingDay = typeof workingDay extends fc.Arbitrary<infer T> ? T : never;

/** Five working days a week from Monday, then a weekend: a regular weekly rest of 60 h or more. */
function compliantSchedule(weeks: readonly (readonly WorkingDay[])[]): ActivityInput[] {
  const out: ActivityInput[] = [];
  let cursorMs = BASE_MS;
  const push = (activity: ActivityType, minutes: number, extra: Partial<ActivityInput> = {}) => {
    if (minutes <= 0) return;
    out.push({ start: iso(cursorMs), end: iso(cursorMs + minutes * MIN), activity, ...extra });
    cursorMs += minutes * MIN;
  };
  weeks.forEach((days, w) => {
    days.forEach((d, i) => {
      const dayStartMs = BASE_MS + w * WEEK + i * DAY + 5 * 60 * MIN + d.startOffsetMin * MIN;
      const restBefore = dayStartMs - cursorMs;
      if (restBefore > 0 && out.length > 0) {
        // The night (or weekend) before this day, recorded the way the generator chose.
        if (d.restKind === 'gap') cursorMs = dayStartMs;
        else
          push(
            d.restKind as ActivityType,
            restBefore / MIN,
            d.restInVehicle && i > 0 ? { inVehicle: true } : {},
          );
      }
      cursorMs = dayStartMs;
      const mm = d.multiManning ? { multiManning: true } : {};
      push('OTHER_WORK', d.workBeforeMin);
      const firstPart = Math.floor(d.stint1Min / 2);
      push('DRIVING', firstPart, mm);
      push('BREAK_REST', d.shortBreakMin); // under 15 min: counts for nothing
      push('DRIVING', d.stint1Min - firstPart, mm);
      if (d.stint2Min > 0) {
        if (d.splitBreak) {
          // 15 min, a little driving (still within 4 h 30 in all), then 30 min completes the break.
          const between = Math.min(30, d.stint2Min, 270 - d.stint1Min);
          push('BREAK_REST', 15);
          push('DRIVING', between, mm);
          push('BREAK_REST', 30);
          push('DRIVING', d.stint2Min - between, mm);
        } else {
          push('BREAK_REST', d.breakMin);
          push('DRIVING', d.stint2Min, mm);
        }
      }
      push('AVAILABILITY', d.availabilityMin);
    });
  });
  return out;
}

const schedules = fc.array(fc.array(workingDay, { minLength: 5, maxLength: 5 }), {
  minLength: 1,
  maxLength: 4,
});

// ---- arbitrary records ---------------------------------------------------------------------

const anyPeriod = fc.record({
  activity: fc.constantFrom<ActivityType>('DRIVING', 'OTHER_WORK', 'AVAILABILITY', 'BREAK_REST', 'UNKNOWN'),
  minutes: fc.integer({ min: 1, max: 900 }),
  gapMinutes: fc.oneof(fc.constant(0), fc.constant(0), fc.integer({ min: 1, max: 720 })),
  flag: fc.boolean(),
});
type AnyPeriod = typeof anyPeriod extends fc.Arbitrary<infer T> ? T : never;

function record(periods: readonly AnyPeriod[]): ActivityInput[] {
  let cursorMs = BASE_MS;
  return periods.map((p) => {
    cursorMs += p.gapMinutes * MIN;
    const start = cursorMs;
    cursorMs += p.minutes * MIN;
    const isRest = p.activity === 'BREAK_REST' || p.activity === 'UNKNOWN';
    const flags = p.flag
      ? isRest
        ? { inVehicle: true, outsideHomeCountries: true }
        : { multiManning: true }
      : {};
    return { start: iso(start), end: iso(cursorMs), activity: p.activity, ...flags };
  });
}

const records = fc.array(anyPeriod, { minLength: 1, maxLength: 150 }).map(record);

const RANK: Readonly<Record<string, number>> = { MINOR: 1, SERIOUS: 2, VERY_SERIOUS: 3, MOST_SERIOUS: 4 };
const ofRule = (report: ComplianceReport, rule: string): Finding[] =>
  report.findings.filter((f) => f.rule === rule);
const rankSum = (findings: readonly Finding[]) =>
  findings.reduce((sum, f) => sum + (RANK[f.severity ?? ''] ?? 0), 0);
const excessSum = (findings: readonly Finding[]) =>
  findings.reduce((sum, f) => sum + (f.figures.excessMinutes ?? 0), 0);

/** Lengthens activity `i` (a rest) by a week and moves everything after it a week later. */
function addWeekOfRest(activities: readonly ActivityInput[], i: number): ActivityInput[] {
  const later = (t: string) => iso(Date.parse(t) + WEEK);
  return activities.map((a, k) => {
    if (k < i) return a;
    if (k === i) return { ...a, end: later(a.end) };
    return { ...a, start: later(a.start), end: later(a.end) };
  });
}

describe('properties', () => {
  it('a compliant generated schedule gives no findings at all', () => {
    fc.assert(
      fc.property(schedules, (weeks) => {
        const report = check(compliantSchedule(weeks));
        expect(report.findings).toEqual([]);
        expect(report.summary.shifts.every((s) => s.drivingMinutes <= 480)).toBe(true);
      }),
      { seed: 561_2006, numRuns: 150 },
    );
  });

  it('shuffled input is refused as unsorted, and once sorted gives the same report', () => {
    fc.assert(
      fc.property(
        records.chain((activities) =>
          fc.tuple(
            fc.constant(activities),
            fc.shuffledSubarray(activities, { minLength: activities.length }),
          ),
        ),
        ([activities, shuffled]) => {
          const result = validateActivities(shuffled, { now: NOW });
          const same = shuffled.every((a, i) => a === activities[i]);
          expect(result.ok).toBe(same);
          if (!result.ok) expect(result.errors[0]!.code).toBe('UNSORTED');
          expect(check(sortActivities(shuffled))).toEqual(check(activities));
        },
      ),
      { seed: 2020_1054, numRuns: 100 },
    );
  });

  it('adding rest never creates a driving-time infringement', () => {
    fc.assert(
      fc.property(records, fc.nat(), (generated, pick) => {
        // Make one period a rest of at least 9 h, then add a week to it.
        const i = pick % generated.length;
        const chosen = generated[i]!;
        const startMs = Date.parse(chosen.start);
        const endMs = Math.max(Date.parse(chosen.end), startMs + 9 * 60 * MIN);
        const shiftMs = endMs - Date.parse(chosen.end);
        const base = generated.map((a, k) => {
          if (k < i) return a;
          if (k === i) return { start: a.start, end: iso(endMs), activity: 'BREAK_REST' as const };
          return { ...a, start: iso(Date.parse(a.start) + shiftMs), end: iso(Date.parse(a.end) + shiftMs) };
        });
        const before = check(base);
        const after = check(addWeekOfRest(base, i));
        for (const rule of ['DAILY_DRIVING', 'BREAK']) {
          expect(ofRule(after, rule).length).toBeLessThanOrEqual(ofRule(before, rule).length);
          expect(rankSum(ofRule(after, rule))).toBeLessThanOrEqual(rankSum(ofRule(before, rule)));
        }
        for (const rule of ['WEEKLY_DRIVING', 'TWO_WEEK_DRIVING']) {
          expect(excessSum(ofRule(after, rule))).toBeLessThanOrEqual(excessSum(ofRule(before, rule)));
        }
      }),
      { seed: 2006_22, numRuns: 150 },
    );
  });

  it('is deterministic, and every finding names real periods in order', () => {
    fc.assert(
      fc.property(records, (activities) => {
        const report = check(activities);
        expect(check(activities)).toEqual(report);
        for (const f of report.findings) {
          expect(f.periodStart <= f.periodEnd).toBe(true);
          expect(
            f.causes.every((c, k) => c >= 0 && c < activities.length && (k === 0 || c > f.causes[k - 1]!)),
          ).toBe(true);
          expect(f.kind === 'NOTICE' ? f.severity : 'ok').not.toBe(undefined);
        }
      }),
      { seed: 165_2014, numRuns: 100 },
    );
  });
});

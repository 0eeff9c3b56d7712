/**
 * Driving time: Article 6(1) daily (per shift), 6(2) weekly and 6(3) two-week limits.
 *
 * - Daily: 9 h per shift; 10 h at most twice in a fixed week. A shift counts in the week in which
 *   it starts. Every shift over 9 h uses one of the week's two extensions while any is left;
 *   after that its limit is 9 h (Annex III: "where extension of 10 h is not allowed").
 * - Weekly: driving inside each fixed week (Monday 00:00 to Sunday 24:00 UTC), periods split at
 *   the boundary. Two-week: each pair of consecutive weeks.
 * - Article 12: driving inside an applied exceedance raises the daily and weekly limit by what
 *   it excuses (≤ 1 h or 2 h for the home-return paragraphs; all of it for a safety stop, which
 *   also raises the two-week limit). The part actually used beyond the limit is owed back as
 *   rest (compensation), returned here per exceedance.
 */
import { excusedDrivingMs, isSafetyDeparture, owesCompensation } from './exceedances.js';
import { formatDuration, makeFinding } from './findings.js';
import type { Exceedance, Period } from './model.js';
import { TWO_WEEK_DRIVING, WEEKLY_DRIVING, classifyDailyDriving, classifyExcess } from './severity.js';
import type { Shift } from './shifts.js';
import { drivingPeriodsBetween, type Timeline } from './timeline.js';
import { WEEK_MS, hm, weekStartMs } from './time.js';
import { RuleId, type Finding } from './types.js';

const DAILY_MS = hm(9);
const EXTENDED_DAILY_MS = hm(10);
const EXTENSIONS_PER_WEEK = 2;

export interface ShiftDriving {
  readonly limitMs: number;
  readonly extended: boolean;
}

export interface WeekDriving {
  readonly weekStartMs: number;
  readonly drivingMs: number;
  readonly twoWeekDrivingMs: number;
  readonly extendedShifts: number;
}

export interface DrivingAnalysis {
  readonly findings: readonly Finding[];
  readonly perShift: readonly ShiftDriving[];
  readonly weeks: readonly WeekDriving[];
  /** Driving beyond a limit that an Article 12 extension covered, per exceedance: owed back as rest. */
  readonly extensionUsedMs: ReadonlyMap<Exceedance, number>;
}

/** Driving per fixed week, from the week of the first period to the week of the last. O(n + weeks). */
function drivingPerWeek(periods: readonly Period[], firstWeekMs: number, weekCount: number): Float64Array {
  const perWeek = new Float64Array(weekCount);
  for (const period of periods) {
    if (!period.isDriving) continue;
    let fromMs = period.startMs;
    // A driving period spans at most a few weeks; the loop advances one boundary per turn.
    while (fromMs < period.endMs) {
      const week = Math.floor((fromMs - firstWeekMs) / WEEK_MS);
      const untilMs = Math.min(period.endMs, firstWeekMs + (week + 1) * WEEK_MS);
      perWeek[week] = (perWeek[week] as number) + (untilMs - fromMs);
      fromMs = untilMs;
    }
  }
  return perWeek;
}

function add(map: Map<Exceedance, number>, x: Exceedance, ms: number): void {
  map.set(x, Math.max(map.get(x) ?? 0, ms));
}

export function analyseDriving(timeline: Timeline, shifts: readonly Shift[]): DrivingAnalysis {
  const firstWeekMs = weekStartMs(timeline.dataStartMs);
  const weekCount = Math.floor((weekStartMs(timeline.dataEndMs - 1) - firstWeekMs) / WEEK_MS) + 1;
  const extensions = new Int32Array(weekCount);
  const overNine = new Int32Array(weekCount);
  const excusedPerWeek = new Float64Array(weekCount);
  const safetyPerWeek = new Float64Array(weekCount);
  const homeExceedancesPerWeek = new Map<number, Exceedance[]>();
  const findings: Finding[] = [];
  const perShift: ShiftDriving[] = [];
  const extensionUsedMs = new Map<Exceedance, number>();

  for (const shift of shifts) {
    const week = Math.floor((weekStartMs(shift.startMs) - firstWeekMs) / WEEK_MS);
    let limitMs = DAILY_MS;
    let extended = false;
    if (shift.drivingMs > DAILY_MS) overNine[week] = (overNine[week] as number) + 1;
    if (shift.drivingMs > DAILY_MS && (extensions[week] as number) < EXTENSIONS_PER_WEEK) {
      extensions[week] = (extensions[week] as number) + 1;
      limitMs = EXTENDED_DAILY_MS;
      extended = true;
    }
    perShift.push({ limitMs, extended });
    let overMs = Math.max(0, shift.drivingMs - limitMs);
    for (const x of shift.exceedances) {
      const excusedMs = excusedDrivingMs(timeline, x);
      const xWeek = Math.floor((weekStartMs(x.startMs) - firstWeekMs) / WEEK_MS);
      if (xWeek >= 0 && xWeek < weekCount) {
        excusedPerWeek[xWeek] = (excusedPerWeek[xWeek] as number) + excusedMs;
        if (isSafetyDeparture(x)) safetyPerWeek[xWeek] = (safetyPerWeek[xWeek] as number) + excusedMs;
        else homeExceedancesPerWeek.set(xWeek, [...(homeExceedancesPerWeek.get(xWeek) ?? []), x]);
      }
      const usedMs = Math.min(overMs, excusedMs);
      overMs -= usedMs;
      if (owesCompensation(x)) add(extensionUsedMs, x, usedMs);
    }
    const countedMs = limitMs + overMs;
    if (overMs === 0) continue;
    const classification = classifyDailyDriving(limitMs, countedMs, shift.longestRestMs);
    const endMs = shift.rest?.startMs ?? timeline.dataEndMs;
    findings.push(
      makeFinding({
        rule: RuleId.DAILY_DRIVING,
        classification,
        startMs: shift.startMs,
        endMs,
        figuresMs: {
          drivenMinutes: shift.drivingMs,
          limitMinutes: limitMs,
          excessMinutes: overMs,
          excusedMinutes: shift.drivingMs - countedMs,
          count: overNine[week],
          allowed: EXTENSIONS_PER_WEEK,
        },
        causes: drivingPeriodsBetween(timeline, shift.startMs, endMs),
        message: `${formatDuration(countedMs)} of driving in the shift starting ${new Date(shift.startMs).toISOString()}, limit ${formatDuration(limitMs)}${limitMs === DAILY_MS ? ' (both 10 h extensions of the week used)' : ''}`,
      }),
    );
  }

  const perWeek = drivingPerWeek(timeline.periods, firstWeekMs, weekCount);
  const weeks: WeekDriving[] = [];
  for (let w = 0; w < weekCount; w++) {
    const startMs = firstWeekMs + w * WEEK_MS;
    const drivingMs = perWeek[w] as number;
    const twoWeekDrivingMs = drivingMs + (w > 0 ? (perWeek[w - 1] as number) : 0);
    weeks.push({
      weekStartMs: startMs,
      drivingMs,
      twoWeekDrivingMs,
      extendedShifts: extensions[w] as number,
    });
    const weeklyOverMs = Math.max(0, drivingMs - WEEKLY_DRIVING.limitMs);
    let remainingOverMs = weeklyOverMs;
    for (const x of homeExceedancesPerWeek.get(w) ?? []) {
      const usedMs = Math.min(remainingOverMs, excusedDrivingMs(timeline, x));
      remainingOverMs -= usedMs;
      add(extensionUsedMs, x, usedMs);
    }
    const weeklyCounted = drivingMs - Math.min(weeklyOverMs, excusedPerWeek[w] as number);
    const weekly = classifyExcess(WEEKLY_DRIVING, weeklyCounted);
    if (weekly !== null) {
      findings.push(
        weekFinding(
          timeline,
          RuleId.WEEKLY_DRIVING,
          weekly,
          startMs,
          startMs + WEEK_MS,
          drivingMs,
          weeklyCounted,
          WEEKLY_DRIVING.limitMs,
        ),
      );
    }
    if (w === 0) continue;
    const pairSafety = (safetyPerWeek[w] as number) + (safetyPerWeek[w - 1] as number);
    const twoWeekCounted =
      twoWeekDrivingMs - Math.min(pairSafety, Math.max(0, twoWeekDrivingMs - TWO_WEEK_DRIVING.limitMs));
    const twoWeek = classifyExcess(TWO_WEEK_DRIVING, twoWeekCounted);
    if (twoWeek !== null) {
      findings.push(
        weekFinding(
          timeline,
          RuleId.TWO_WEEK_DRIVING,
          twoWeek,
          startMs - WEEK_MS,
          startMs + WEEK_MS,
          twoWeekDrivingMs,
          twoWeekCounted,
          TWO_WEEK_DRIVING.limitMs,
        ),
      );
    }
  }
  return { findings, perShift, weeks, extensionUsedMs };
}

function weekFinding(
  timeline: Timeline,
  rule: RuleId,
  classification: ReturnType<typeof classifyExcess>,
  fromMs: number,
  toMs: number,
  drivenMs: number,
  countedMs: number,
  limitMs: number,
): Finding {
  const what = rule === RuleId.WEEKLY_DRIVING ? 'in the week' : 'in the two consecutive weeks';
  return makeFinding({
    rule,
    classification,
    startMs: fromMs,
    endMs: toMs,
    figuresMs: {
      drivenMinutes: drivenMs,
      limitMinutes: limitMs,
      excessMinutes: countedMs - limitMs,
      excusedMinutes: drivenMs - countedMs,
    },
    causes: drivingPeriodsBetween(timeline, fromMs, toMs),
    message: `${formatDuration(countedMs)} of driving ${what} from ${new Date(fromMs).toISOString()}, limit ${formatDuration(limitMs)}`,
  });
}

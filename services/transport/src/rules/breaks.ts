/**
 * Breaks: Article 7. After a driving period of 4 h 30 the driver takes an uninterrupted break of
 * at least 45 min, or a break of at least 15 min followed by one of at least 30 min, in that
 * order, unless he takes a rest period.
 *
 * The driving period (Art. 4(q)) accumulates from the last qualifying break or rest. Only
 * BREAK_REST, UNKNOWN and unrecorded time count as break: other work and availability do not
 * (Art. 4(d)), nor do breaks under 15 min. A stretch of ≥ 45 min ends the driving period; so does
 * a stretch of ≥ 30 min after an earlier one of ≥ 15 min. A 30 min break followed by a 15 min
 * one is the wrong order: the 30 min counts as the first part, the 15 min completes nothing.
 * An infringement is graded on the whole driving period, up to the break that ends it.
 * Driving inside an applied Article 12 safety departure is left out of the count.
 */
import { formatDuration, makeFinding } from './findings.js';
import type { Exceedance, Period } from './model.js';
import { UNINTERRUPTED_DRIVING, classifyExcess } from './severity.js';
import type { Timeline } from './timeline.js';
import { hm } from './time.js';
import { RuleId, type Finding } from './types.js';

const FULL_BREAK_MS = hm(0, 45);
const FIRST_PART_MS = hm(0, 15);
const SECOND_PART_MS = hm(0, 30);

/** Driving of `period` outside the safety departures (sorted by start); `cursor` advances monotonically. */
function countedDrivingMs(period: Period, safety: readonly Exceedance[], cursor: { i: number }): number {
  while (cursor.i < safety.length && safety[cursor.i]!.endMs <= period.startMs) cursor.i++;
  let excusedMs = 0;
  for (let i = cursor.i; i < safety.length && safety[i]!.startMs < period.endMs; i++) {
    const x = safety[i]!;
    excusedMs += Math.max(0, Math.min(x.endMs, period.endMs) - Math.max(x.startMs, period.startMs));
  }
  return period.endMs - period.startMs - Math.min(excusedMs, period.endMs - period.startMs);
}

/** O(n) over periods. `safety`: applied Article 12 safety departures, sorted by start. */
export function analyseBreaks(timeline: Timeline, safety: readonly Exceedance[]): Finding[] {
  const findings: Finding[] = [];
  let drivenMs = 0;
  let firstPartTaken = false;
  let causes: number[] = [];
  let firstDrivingMs = 0;
  let lastDrivingEndMs = 0;
  const cursor = { i: 0 };

  const endDrivingPeriod = (): void => {
    const classification = classifyExcess(UNINTERRUPTED_DRIVING, drivenMs);
    if (classification !== null) {
      findings.push(
        makeFinding({
          rule: RuleId.BREAK,
          classification,
          startMs: firstDrivingMs,
          endMs: lastDrivingEndMs,
          figuresMs: {
            drivenMinutes: drivenMs,
            limitMinutes: UNINTERRUPTED_DRIVING.limitMs,
            excessMinutes: drivenMs - UNINTERRUPTED_DRIVING.limitMs,
          },
          causes,
          message: `${formatDuration(drivenMs)} of driving without a qualifying break (45 min, or 15 min then 30 min)`,
        }),
      );
    }
    drivenMs = 0;
    firstPartTaken = false;
    causes = [];
  };

  const restFor = (restMs: number): void => {
    if (restMs >= FULL_BREAK_MS || (firstPartTaken && restMs >= SECOND_PART_MS)) endDrivingPeriod();
    else if (restMs >= FIRST_PART_MS) firstPartTaken = true;
  };

  let restRunMs = 0;
  let previousEndMs = timeline.dataStartMs;
  for (const period of timeline.periods) {
    restRunMs += period.startMs - previousEndMs; // unrecorded time counts as break
    previousEndMs = period.endMs;
    if (period.isRest) {
      restRunMs += period.endMs - period.startMs;
      continue;
    }
    if (restRunMs > 0) restFor(restRunMs);
    restRunMs = 0;
    if (!period.isDriving) continue;
    const countedMs = countedDrivingMs(period, safety, cursor);
    if (countedMs === 0) continue;
    if (drivenMs === 0) firstDrivingMs = period.startMs;
    drivenMs += countedMs;
    lastDrivingEndMs = period.endMs;
    causes.push(period.index);
  }
  endDrivingPeriod();
  return findings;
}

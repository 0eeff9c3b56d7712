/**
 * Article 12: departures the driver may make, with the reason recorded.
 *
 * - First paragraph (SUITABLE_STOPPING_PLACE): to reach a suitable stopping place for the safety
 *   of persons, vehicle or load, depart from Articles 6 to 9 to the extent necessary. The
 *   engine excuses the driving inside the declared interval from every driving limit and break
 *   counter, and moves rest deadlines by the interval's length.
 * - Second paragraph (HOME_FOR_WEEKLY_REST): exceed daily and weekly driving by up to 1 h (and
 *   Art. 8(2)) to reach the operational centre or home for a weekly rest.
 * - Third paragraph (HOME_FOR_REGULAR_WEEKLY_REST): by up to 2 h, after an uninterrupted 30 min
 *   break immediately before, to reach base or home for a regular weekly rest.
 * - Fifth paragraph: any extension is compensated by equivalent rest en bloc with any rest, by
 *   the end of the third week after (the engine applies it to the second and third paragraphs,
 *   which are the "extensions"; see docs/transport-rules.md).
 */
import type { Exceedance } from './model.js';
import type { RestBlock, Timeline } from './timeline.js';
import { drivingBetween } from './timeline.js';
import { hm } from './time.js';
import { ExceedanceKind } from './types.js';

const CAP_MS: Readonly<Record<ExceedanceKind, number>> = {
  SUITABLE_STOPPING_PLACE: Number.POSITIVE_INFINITY,
  HOME_FOR_WEEKLY_REST: hm(1),
  HOME_FOR_REGULAR_WEEKLY_REST: hm(2),
};

const BREAK_BEFORE_MS = hm(0, 30);
const WEEKLY_MIN_MS = hm(24);
const REGULAR_WEEKLY_MS = hm(45);

/** How far the exceedance may move the daily rest deadline (Art. 8(2)). */
export function windowExtensionMs(x: Exceedance): number {
  return Math.min(CAP_MS[x.kind], x.endMs - x.startMs);
}

/** Driving inside the declared interval that the exceedance excuses, within its cap. */
export function excusedDrivingMs(timeline: Timeline, x: Exceedance): number {
  return Math.min(CAP_MS[x.kind], drivingBetween(timeline, x.startMs, x.endMs));
}

/** Whether the exceedance excuses more than daily/weekly driving and the daily rest deadline. */
export function isSafetyDeparture(x: Exceedance): boolean {
  return x.kind === ExceedanceKind.SUITABLE_STOPPING_PLACE;
}

/** Whether the extension must be compensated (Art. 12 fifth subparagraph). */
export function owesCompensation(x: Exceedance): boolean {
  return x.kind !== ExceedanceKind.SUITABLE_STOPPING_PLACE;
}

/**
 * Why the exceedance does not meet its paragraph's conditions, or null when it does.
 * `restAfter` is the rest that ended the shift (null while the record ends inside it).
 */
export function unmetCondition(
  timeline: Timeline,
  x: Exceedance,
  restAfter: RestBlock | null,
): string | null {
  if (x.kind === ExceedanceKind.SUITABLE_STOPPING_PLACE || restAfter === null) return null;
  if (x.kind === ExceedanceKind.HOME_FOR_WEEKLY_REST) {
    return restAfter.restMs >= WEEKLY_MIN_MS || restAfter.openEnd
      ? null
      : 'the rest that followed was not a weekly rest';
  }
  if (restAfter.restMs < REGULAR_WEEKLY_MS && !restAfter.openEnd) {
    return 'the rest that followed was not a regular weekly rest';
  }
  return breakBeforeMs(timeline, x.startMs) >= BREAK_BEFORE_MS
    ? null
    : 'no uninterrupted 30 min break immediately before the additional driving';
}

/** Length of the rest block that ends at `instantMs` or just before it with no driving since. */
function breakBeforeMs(timeline: Timeline, instantMs: number): number {
  let lo = 0;
  let hi = timeline.rawRests.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((timeline.rawRests[mid] as RestBlock).endMs <= instantMs) lo = mid + 1;
    else hi = mid;
  }
  const before = timeline.rawRests[lo - 1];
  if (before === undefined) return 0;
  return drivingBetween(timeline, before.endMs, instantMs) === 0 ? before.restMs : 0;
}

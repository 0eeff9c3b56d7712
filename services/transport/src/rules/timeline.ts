/**
 * The timeline: rest blocks and driving sums over the sorted periods.
 *
 * A rest block is a maximal stretch of BREAK_REST and UNKNOWN periods and of gaps between
 * records: a tachograph counts time without a card as rest, and so does the engine. Work
 * (DRIVING, OTHER_WORK, AVAILABILITY) separates blocks. Article 9(1) then joins blocks split by
 * at most two short interruptions aboard a ferry or train (joinFerryAndTrainRests).
 */
import type { Crossing, Period } from './model.js';
import { hm } from './time.js';
import { Berth } from './types.js';

export interface RestPart {
  readonly startMs: number;
  readonly endMs: number;
}

export interface RestBlock {
  readonly startMs: number;
  readonly endMs: number;
  /** Rest time: the parts' total, without Art. 9 interruptions. */
  readonly restMs: number;
  /** One part, or two or three joined under Art. 9. */
  readonly parts: readonly RestPart[];
  /** Periods inside [startMs, endMs): positions periodFrom ≤ p < periodTo. */
  readonly periodFrom: number;
  readonly periodTo: number;
  readonly inVehicleMs: number;
  /** The first recorded rest period of the block carried outsideHomeCountries. */
  readonly outsideHomeCountries: boolean;
  /** The record starts inside this rest: its true start (and length) is unknown. */
  readonly openStart: boolean;
  /** The record ends inside this rest: its true end (and length) is unknown. */
  readonly openEnd: boolean;
}

export interface Timeline {
  readonly periods: readonly Period[];
  readonly dataStartMs: number;
  readonly dataEndMs: number;
  /** Rest blocks as recorded (used for breaks, Art. 7). */
  readonly rawRests: readonly RestBlock[];
  /** Rest blocks after Art. 9 joins (used for daily and weekly rests). */
  readonly rests: readonly RestBlock[];
  /** drivingBeforeMs[p] = driving time of periods 0..p-1. */
  readonly drivingBeforeMs: Float64Array;
}

/** Builds rest blocks. O(n). */
export function buildRestBlocks(periods: readonly Period[]): RestBlock[] {
  const blocks: RestBlock[] = [];
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (first === undefined || last === undefined) return blocks;
  let open: { startMs: number; periodFrom: number; inVehicleMs: number; outside: boolean | null } | null =
    null;
  let cursorMs = first.startMs;
  const close = (endMs: number, periodTo: number): void => {
    if (open === null) return;
    blocks.push({
      startMs: open.startMs,
      endMs,
      restMs: endMs - open.startMs,
      parts: [{ startMs: open.startMs, endMs }],
      periodFrom: open.periodFrom,
      periodTo,
      inVehicleMs: open.inVehicleMs,
      outsideHomeCountries: open.outside ?? false,
      openStart: open.startMs === first.startMs,
      openEnd: endMs === last.endMs,
    });
    open = null;
  };
  for (let p = 0; p < periods.length; p++) {
    const period = periods[p] as Period;
    if (period.startMs > cursorMs && open === null) {
      // A gap between records is unknown time: rest.
      open = { startMs: cursorMs, periodFrom: p, inVehicleMs: 0, outside: null };
    }
    if (period.isRest) {
      open ??= { startMs: period.startMs, periodFrom: p, inVehicleMs: 0, outside: null };
      if (period.inVehicle) open.inVehicleMs += period.endMs - period.startMs;
      open.outside ??= period.outsideHomeCountries;
    } else {
      close(period.startMs, p);
    }
    cursorMs = period.endMs;
  }
  close(last.endMs, periods.length);
  return blocks;
}

/** Crossings examined backwards from the last one starting before an interruption. */
const CROSSING_LOOKBACK_MAX = 16;

/** The crossing with a berth that contains [fromMs, toMs), if any (crossings sorted by start). */
function crossingContaining(crossings: readonly Crossing[], fromMs: number, toMs: number): Crossing | null {
  let lo = 0;
  let hi = crossings.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((crossings[mid] as Crossing).startMs <= fromMs) lo = mid + 1;
    else hi = mid;
  }
  // Crossings do not overlap in practice; a few steps back covers any that do.
  for (let k = lo - 1; k >= 0 && k >= lo - CROSSING_LOOKBACK_MAX; k--) {
    const c = crossings[k] as Crossing;
    if (c.endMs >= toMs && c.berth !== Berth.NONE) return c;
  }
  return null;
}

const INTERRUPTIONS_MAX = 2;
const INTERRUPTION_TOTAL_MAX_MS = hm(1);
const REGULAR_DAILY_MS = hm(11);
const REGULAR_WEEKLY_MS = hm(45);
const REGULAR_WEEKLY_JOURNEY_MIN_MS = hm(8);

/**
 * Whether a rest of `restMs` joined across interruptions on `crossing` is one Art. 9(1) allows:
 * a regular daily rest or a reduced weekly rest; a regular weekly rest only on a journey
 * scheduled for 8 h or more with a sleeper cabin. A reduced daily rest may not be interrupted.
 */
function joinAllowed(restMs: number, crossing: Crossing): boolean {
  if (restMs < REGULAR_DAILY_MS) return false;
  if (restMs < REGULAR_WEEKLY_MS) return true;
  return crossing.scheduledMs >= REGULAR_WEEKLY_JOURNEY_MIN_MS && crossing.berth === Berth.SLEEPER_CABIN;
}

function joined(blocks: readonly RestBlock[]): RestBlock {
  const head = blocks[0] as RestBlock;
  const tail = blocks[blocks.length - 1] as RestBlock;
  let restMs = 0;
  let inVehicleMs = 0;
  for (const b of blocks) {
    restMs += b.restMs;
    inVehicleMs += b.inVehicleMs;
  }
  return {
    startMs: head.startMs,
    endMs: tail.endMs,
    restMs,
    parts: blocks.map((b) => ({ startMs: b.startMs, endMs: b.endMs })),
    periodFrom: head.periodFrom,
    periodTo: tail.periodTo,
    inVehicleMs,
    outsideHomeCountries: head.outsideHomeCountries,
    openStart: head.openStart,
    openEnd: tail.openEnd,
  };
}

/** Tries to join blocks[i..i+count) across interruptions inside one crossing (Art. 9(1)). */
function tryJoin(
  blocks: readonly RestBlock[],
  i: number,
  count: number,
  crossings: readonly Crossing[],
): RestBlock | null {
  if (i + count > blocks.length) return null;
  const group = blocks.slice(i, i + count);
  const head = group[0] as RestBlock;
  const tail = group[group.length - 1] as RestBlock;
  const crossing = crossingContaining(crossings, head.endMs, tail.startMs);
  if (crossing === null) return null;
  let interruptionMs = 0;
  for (let k = 1; k < group.length; k++)
    interruptionMs += (group[k] as RestBlock).startMs - (group[k - 1] as RestBlock).endMs;
  if (interruptionMs > INTERRUPTION_TOTAL_MAX_MS) return null;
  const candidate = joined(group);
  return joinAllowed(candidate.restMs, crossing) ? candidate : null;
}

/** Applies Art. 9(1) to the rest blocks. O(n log c). */
export function joinFerryAndTrainRests(
  blocks: readonly RestBlock[],
  crossings: readonly Crossing[],
): RestBlock[] {
  if (crossings.length === 0) return [...blocks];
  const out: RestBlock[] = [];
  let i = 0;
  while (i < blocks.length) {
    let merged: RestBlock | null = null;
    let used = 1;
    for (let count = INTERRUPTIONS_MAX + 1; count >= 2 && merged === null; count--) {
      merged = tryJoin(blocks, i, count, crossings);
      if (merged !== null) used = count;
    }
    out.push(merged ?? (blocks[i] as RestBlock));
    i += used;
  }
  return out;
}

export function buildTimeline(periods: readonly Period[], crossings: readonly Crossing[]): Timeline {
  const first = periods[0];
  const last = periods[periods.length - 1];
  if (first === undefined || last === undefined) throw new Error('timeline: at least one period expected');
  const drivingBeforeMs = new Float64Array(periods.length + 1);
  for (let p = 0; p < periods.length; p++) {
    const period = periods[p] as Period;
    drivingBeforeMs[p + 1] =
      (drivingBeforeMs[p] as number) + (period.isDriving ? period.endMs - period.startMs : 0);
  }
  const rawRests = buildRestBlocks(periods);
  return {
    periods,
    dataStartMs: first.startMs,
    dataEndMs: last.endMs,
    rawRests,
    rests: joinFerryAndTrainRests(rawRests, crossings),
    drivingBeforeMs,
  };
}

/** First period position whose end is after `instantMs` (binary search). */
function periodAtOrAfter(periods: readonly Period[], instantMs: number): number {
  let lo = 0;
  let hi = periods.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((periods[mid] as Period).endMs <= instantMs) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Driving time recorded before `instantMs`. O(log n). */
export function drivingBefore(timeline: Timeline, instantMs: number): number {
  const p = periodAtOrAfter(timeline.periods, instantMs);
  let total = timeline.drivingBeforeMs[p] as number;
  const period = timeline.periods[p];
  if (period !== undefined && period.isDriving && period.startMs < instantMs)
    total += instantMs - period.startMs;
  return total;
}

/** Driving time recorded in [fromMs, toMs). */
export function drivingBetween(timeline: Timeline, fromMs: number, toMs: number): number {
  return toMs <= fromMs ? 0 : drivingBefore(timeline, toMs) - drivingBefore(timeline, fromMs);
}

/** Positions of the driving periods that overlap [fromMs, toMs), for `causes`. */
export function drivingPeriodsBetween(timeline: Timeline, fromMs: number, toMs: number): number[] {
  const out: number[] = [];
  for (let p = periodAtOrAfter(timeline.periods, fromMs); p < timeline.periods.length; p++) {
    const period = timeline.periods[p] as Period;
    if (period.startMs >= toMs) break;
    if (period.isDriving) out.push(period.index);
  }
  return out;
}

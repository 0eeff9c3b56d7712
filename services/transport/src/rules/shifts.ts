/**
 * Shifts and daily rests: Article 8(2), (4) and (5), with Article 4(g), (k) and (o).
 *
 * A shift runs from the end of one daily or weekly rest to the start of the next (Art. 4(k)), so
 * daily driving is counted per shift, never per calendar day. Within 24 h after the end of the
 * previous rest (30 h in multi-manning) the driver must have taken a new daily rest; only the
 * part of it inside that window counts (Art. 8(2) second subparagraph, Commission Guidance
 * Note 7). How the engine picks the rest that ends a shift:
 *
 *  1. the first rest of at least 9 h that starts inside the window — the shortest rest that can
 *     be a daily rest (Art. 4(g)) — ends the shift, unless an earlier, shorter rest has more of
 *     itself inside the window (the first rest started too late): then the driver is credited
 *     with that earlier rest, the reading milder for him. In short: among the rests starting in
 *     the window up to the first of 9 h, the one with most rest inside the window (ties: later);
 *  2. if none of 9 h starts inside the window, the same: the rest with most of itself inside the
 *     window is the (insufficient) daily rest, and the next window starts at its end;
 *  3. if there is no rest inside the window at all, the first rest after it ends the shift.
 *
 * The rest is then judged on its part inside the window: regular (≥ 11 h), split (an earlier
 * rest of ≥ 3 h in the shift, then ≥ 9 h), reduced (9–11 h, at most three between two weekly
 * rests, Art. 8(4)), or insufficient, graded with the Annex III row most favourable to the driver.
 */
import { exceedanceEffects, type ExceedanceEffects } from './shift-exceedances.js';
import { makeFinding, formatDuration, periodRange } from './findings.js';
import type { Exceedance } from './model.js';
import {
  DAILY_REST_11H,
  MULTI_MANNING_DAILY_REST,
  REDUCED_DAILY_REST_9H,
  SPLIT_DAILY_REST,
  classifyShortfall,
  leastSevere,
  type Classification,
} from './severity.js';
import type { RestBlock, Timeline } from './timeline.js';
import { formatRfc3339, hm } from './time.js';
import { RestType, RuleId, type Finding } from './types.js';

const DAILY_WINDOW_MS = hm(24);
const MULTI_MANNING_WINDOW_MS = hm(30);
const MULTI_MANNING_OPTIONAL_MS = hm(1);
const REGULAR_DAILY_MS = hm(11);
const DAILY_MIN_MS = hm(9);
const SPLIT_FIRST_MIN_MS = hm(3);
const WEEKLY_MIN_MS = hm(24);
const REDUCED_DAILY_MAX = 3;

export interface Shift {
  /** End of the previous daily or weekly rest (or the start of the record). */
  readonly startMs: number;
  /** Driving counts from this period position (the previous rest's first period, for Art. 9 interruptions). */
  readonly drivingFromPos: number;
  /** The rest that ended the shift; null while the record ends inside the shift. */
  readonly rest: RestBlock | null;
  readonly windowEndMs: number;
  readonly multiManning: boolean;
  readonly drivingMs: number;
  /** Longest rest inside the shift (for the Annex III most-serious condition). */
  readonly longestRestMs: number;
  /** Rest inside the window (0 when there was none). */
  readonly inWindowMs: number;
  readonly splitFirst: RestBlock | null;
  /** Daily classification; weekly rests are typed by the weekly-rest module. */
  readonly restType: RestType | null;
  /** Article 12 exceedances applied to this shift. */
  readonly exceedances: readonly Exceedance[];
}

export interface ShiftAnalysis {
  readonly shifts: readonly Shift[];
  readonly findings: readonly Finding[];
  /** Exceedances whose paragraph's conditions were not met, with why. */
  readonly rejected: ReadonlyMap<Exceedance, string>;
}

type Selection =
  | { readonly kind: 'rest'; readonly j: number; readonly windowEndMs: number }
  | { readonly kind: 'open'; readonly windowEndMs: number }
  | { readonly kind: 'missing'; readonly windowEndMs: number };

/** Rest of `block` inside [.., windowEndMs); a rest still open at the end of the record runs on. */
export function inWindowRestMs(block: RestBlock, windowEndMs: number): number {
  let total = 0;
  const lastPart = block.parts.length - 1;
  block.parts.forEach((part, i) => {
    const endMs = block.openEnd && i === lastPart ? Number.POSITIVE_INFINITY : part.endMs;
    total += Math.max(0, Math.min(endMs, windowEndMs) - part.startMs);
  });
  return total;
}

/** Picks the rest that ends a shift starting at `startMs` (rules 1–3 above). O(rests in window). */
function selectRest(timeline: Timeline, startMs: number, k: number, windowMs: number): Selection {
  const rests = timeline.rests;
  const windowEndMs = startMs + windowMs;
  let longestPortionMs = -1;
  let longestJ = -1;
  let j = k;
  for (; j < rests.length && (rests[j] as RestBlock).startMs < windowEndMs; j++) {
    const block = rests[j] as RestBlock;
    const canEndShift = block.restMs >= DAILY_MIN_MS;
    if (block.openEnd && !canEndShift) return { kind: 'open', windowEndMs }; // still resting when the record ends
    const portionMs = inWindowRestMs(block, windowEndMs);
    if (portionMs >= longestPortionMs) {
      longestPortionMs = portionMs;
      longestJ = j;
    }
    if (canEndShift) return { kind: 'rest', j: longestJ, windowEndMs };
  }
  if (windowEndMs > timeline.dataEndMs) return { kind: 'open', windowEndMs };
  if (longestJ >= 0) return { kind: 'rest', j: longestJ, windowEndMs };
  if (j < rests.length) return { kind: 'rest', j, windowEndMs };
  return { kind: 'missing', windowEndMs };
}

/** All driving after the first hour of the shift carries the crew flag, and some driving does (Art. 4(o)). */
function isMultiManned(timeline: Timeline, startMs: number, endMs: number, fromPos: number): boolean {
  let flagged = false;
  for (let p = fromPos; p < timeline.periods.length; p++) {
    const period = timeline.periods[p]!;
    if (period.startMs >= endMs) break;
    if (!period.isDriving || period.endMs <= startMs) continue;
    if (period.multiManning) flagged = true;
    else if (period.startMs >= startMs + MULTI_MANNING_OPTIONAL_MS) return false;
  }
  return flagged;
}

interface Verdict {
  readonly type: RestType;
  readonly rule: RuleId | null;
  readonly classification: Classification | null;
  readonly requiredMs: number;
  readonly countsAsReduced: boolean;
}

/** Judges the rest that ended a shift on its part inside the window. */
function judgeDailyRest(
  portionMs: number,
  multiManning: boolean,
  hasSplitFirst: boolean,
  reducedUsed: number,
  isWeekly: boolean,
): Verdict {
  const ok = (type: RestType, countsAsReduced = false): Verdict => ({
    type,
    rule: null,
    classification: null,
    requiredMs: 0,
    countsAsReduced,
  });
  if (multiManning) {
    if (portionMs >= DAILY_MIN_MS) return ok(RestType.MULTI_MANNING_DAILY);
    return {
      type: RestType.INSUFFICIENT_DAILY,
      rule: RuleId.MULTI_MANNING_DAILY_REST,
      classification: classifyShortfall(MULTI_MANNING_DAILY_REST, portionMs),
      requiredMs: DAILY_MIN_MS,
      countsAsReduced: false,
    };
  }
  if (portionMs >= REGULAR_DAILY_MS) return ok(RestType.REGULAR_DAILY);
  if (portionMs >= DAILY_MIN_MS && hasSplitFirst) return ok(RestType.SPLIT_DAILY);
  const reductionAllowed = reducedUsed < REDUCED_DAILY_MAX;
  if (portionMs >= DAILY_MIN_MS) {
    // The daily part of a weekly rest is not a reduced daily rest: the count restarts there.
    if (reductionAllowed || isWeekly) return ok(RestType.REDUCED_DAILY, !isWeekly);
    return {
      type: RestType.REDUCED_DAILY,
      rule: RuleId.REDUCED_DAILY_REST_COUNT,
      classification: classifyShortfall(DAILY_REST_11H, portionMs),
      requiredMs: REGULAR_DAILY_MS,
      countsAsReduced: true,
    };
  }
  // The split row first: on equal classes the more specific row is cited.
  const readings = [
    hasSplitFirst ? classifyShortfall(SPLIT_DAILY_REST, portionMs) : null,
    reductionAllowed
      ? classifyShortfall(REDUCED_DAILY_REST_9H, portionMs)
      : classifyShortfall(DAILY_REST_11H, portionMs),
  ].filter((c): c is Classification => c !== null);
  const classification = leastSevere(readings);
  const requiredMs =
    reductionAllowed || classification?.annex.row === SPLIT_DAILY_REST.row ? DAILY_MIN_MS : REGULAR_DAILY_MS;
  return {
    type: RestType.INSUFFICIENT_DAILY,
    rule: RuleId.DAILY_REST,
    classification,
    requiredMs,
    countsAsReduced: false,
  };
}

/** Longest rest in rests[from, to), and the longest of at least 3 h (a split's first part). */
function restsInside(
  timeline: Timeline,
  from: number,
  to: number,
): { longestMs: number; splitFirst: RestBlock | null } {
  let longestMs = 0;
  let splitFirst: RestBlock | null = null;
  for (let i = from; i < to; i++) {
    const block = timeline.rests[i] as RestBlock;
    longestMs = Math.max(longestMs, block.restMs);
    if (block.restMs >= SPLIT_FIRST_MIN_MS && (splitFirst === null || block.restMs >= splitFirst.restMs)) {
      splitFirst = block;
    }
  }
  return { longestMs, splitFirst };
}

/** First period position at or after the start of the shift. */
function firstPositionFrom(timeline: Timeline, startMs: number, hint: number): number {
  let p = hint;
  while (p < timeline.periods.length && timeline.periods[p]!.endMs <= startMs) p++;
  return p;
}

interface Chosen {
  readonly selection: Selection;
  readonly multiManning: boolean;
  readonly effects: ExceedanceEffects;
}

/** Walks the record shift by shift. O(n) over periods and rests. */
export function analyseShifts(timeline: Timeline, exceedances: readonly Exceedance[]): ShiftAnalysis {
  const shifts: Shift[] = [];
  const findings: Finding[] = [];
  const rejected = new Map<Exceedance, string>();
  const rests = timeline.rests;
  const anyMultiManning = timeline.periods.some((p) => p.multiManning);
  let k = 0;
  let startMs = timeline.dataStartMs;
  let drivingFromPos = 0;
  const leading = rests[0];
  if (leading !== undefined && leading.openStart) {
    // The record opens inside a rest: treat it as the rest before the first shift.
    startMs = leading.endMs;
    drivingFromPos = leading.periodFrom;
    k = 1;
  }
  let reducedUsed = 0;
  let xi = 0; // next exceedance not yet assigned
  // Every iteration consumes at least one rest block or ends the loop.
  while (startMs < timeline.dataEndMs) {
    const firstPos = firstPositionFrom(timeline, startMs, drivingFromPos);
    const choose = (windowMs: number): Chosen => {
      const effects = exceedanceEffects(timeline, exceedances, xi, startMs, windowMs, (extensionMs) =>
        selectRest(timeline, startMs, k, windowMs + extensionMs),
      );
      const selection = effects.selection as Selection;
      return { selection, multiManning: false, effects };
    };
    let chosen: Chosen | null = null;
    if (anyMultiManning) {
      const trial = choose(MULTI_MANNING_WINDOW_MS);
      const endMs =
        trial.selection.kind === 'rest'
          ? (rests[trial.selection.j] as RestBlock).startMs
          : timeline.dataEndMs;
      if (isMultiManned(timeline, startMs, endMs, firstPos)) chosen = { ...trial, multiManning: true };
    }
    chosen ??= choose(DAILY_WINDOW_MS);
    for (const [x, why] of chosen.effects.rejected) rejected.set(x, why);
    const { selection, multiManning, effects } = chosen;
    const rest = selection.kind === 'rest' ? (rests[selection.j] as RestBlock) : null;
    const restIndex = selection.kind === 'rest' ? selection.j : rests.length;
    const endPos = rest === null ? timeline.periods.length : rest.periodFrom;
    const drivingMs =
      (timeline.drivingBeforeMs[endPos] as number) - (timeline.drivingBeforeMs[drivingFromPos] as number);
    const inside = restsInside(timeline, k, restIndex);
    const portionMs = rest === null ? 0 : inWindowRestMs(rest, selection.windowEndMs);
    let restType: RestType | null = null;
    if (rest !== null || selection.kind === 'missing') {
      const isWeekly = rest !== null && rest.restMs >= WEEKLY_MIN_MS;
      const verdict = judgeDailyRest(
        portionMs,
        multiManning,
        inside.splitFirst !== null,
        reducedUsed,
        isWeekly,
      );
      restType = isWeekly ? null : verdict.type;
      if (verdict.countsAsReduced) reducedUsed++;
      if (verdict.rule !== null) {
        findings.push(
          dailyRestFinding(
            verdict,
            startMs,
            selection.windowEndMs,
            portionMs,
            rest,
            reducedUsed,
            multiManning,
          ),
        );
      }
      if (isWeekly) reducedUsed = 0;
    }
    shifts.push({
      startMs,
      drivingFromPos,
      rest,
      windowEndMs: selection.windowEndMs,
      multiManning,
      drivingMs,
      longestRestMs: inside.longestMs,
      inWindowMs: portionMs,
      splitFirst: rest === null ? null : inside.splitFirst,
      restType,
      exceedances: effects.applied,
    });
    xi = effects.nextIndex;
    if (rest === null) break;
    startMs = rest.endMs;
    drivingFromPos = rest.periodFrom;
    k = restIndex + 1;
  }
  return { shifts, findings, rejected };
}

function dailyRestFinding(
  verdict: Verdict,
  shiftStartMs: number,
  windowEndMs: number,
  portionMs: number,
  rest: RestBlock | null,
  reducedUsed: number,
  multiManning: boolean,
): Finding {
  const window = `${formatRfc3339(shiftStartMs)} to ${formatRfc3339(windowEndMs)}`;
  const causes = rest === null ? [] : periodRange(rest.periodFrom, rest.periodTo);
  if (verdict.rule === RuleId.REDUCED_DAILY_REST_COUNT) {
    return makeFinding({
      rule: verdict.rule,
      classification: verdict.classification,
      startMs: rest!.startMs,
      endMs: Math.min(rest!.endMs, windowEndMs),
      figuresMs: {
        restedMinutes: portionMs,
        requiredMinutes: verdict.requiredMs,
        count: reducedUsed,
        allowed: REDUCED_DAILY_MAX,
      },
      causes,
      message: `reduced daily rest number ${reducedUsed} since the last weekly rest (${formatDuration(portionMs)}); at most ${REDUCED_DAILY_MAX} are allowed, so 11 h was required`,
    });
  }
  const within = multiManning ? '30 h (multi-manning)' : '24 h';
  return makeFinding({
    rule: verdict.rule!,
    classification: verdict.classification,
    startMs: shiftStartMs,
    endMs: windowEndMs,
    figuresMs: {
      restedMinutes: portionMs,
      requiredMinutes: verdict.requiredMs,
      shortfallMinutes: verdict.requiredMs - portionMs,
    },
    causes,
    message: `only ${formatDuration(portionMs)} of daily rest within ${within} after the previous rest (${window}); ${formatDuration(verdict.requiredMs)} required`,
  });
}

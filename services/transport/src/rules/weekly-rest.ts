/**
 * Weekly rests: Article 8(6), (6b), (8) and (9), with Article 4(h).
 *
 * A weekly rest is a rest block of at least 24 h (Art. 8(3): a daily rest extended); regular
 * from 45 h, reduced below. The engine walks the chain of weekly rests:
 *
 * - each must start by the end of six 24 h periods after the previous one ended (8(6) second
 *   subparagraph), graded on the delay; when no rest of 24 h started in time but a shorter rest
 *   did, that rest may instead be read as a too-short weekly rest (Annex III "less than 24 h" or
 *   "less than 45 h" rows); the engine takes whichever reading is milder for the driver;
 * - "in any two consecutive weeks" one regular weekly rest (8(6) first subparagraph) is read on
 *   fixed weeks (Art. 4(i)), each weekly rest counted in one of the weeks it falls in (8(9)): two
 *   reduced weekly rests in a row break it only when two consecutive fixed weeks are then left
 *   without a regular one (two reduced rests in the same week, between weeks with regular rests,
 *   do not). Unless the third subparagraph's derogation applies: goods, international transport,
 *   both rests begun outside the Member State of establishment and the country of residence, and
 *   in any four consecutive weekly rests at least two regular; then the next weekly rest must be
 *   preceded by the compensation for both (8(6b) second subparagraph);
 * - each reduction is owed back en bloc by the end of the third week after the week of the rest
 *   (8(6b)); a rest in two weeks counts in either (8(9)), so the later week is used;
 * - a regular weekly rest (and any rest over 45 h taken as compensation) is never in the vehicle (8(8)).
 *
 * The record is assumed to start just after a regular weekly rest: the most favourable reading
 * when the previous weekly rest is not in the record.
 */
import type { Debt } from './compensation.js';
import { formatDuration, makeFinding, periodRange } from './findings.js';
import type { Exceedance, ValidatedRequest } from './model.js';
import {
  REDUCED_WEEKLY_REST,
  WEEKLY_REST_45H,
  WEEKLY_REST_DELAY,
  classifyExcess,
  classifyShortfall,
  compareSeverity,
  type Classification,
} from './severity.js';
import type { Shift } from './shifts.js';
import type { RestBlock, Timeline } from './timeline.js';
import { WEEK_MS, formatRfc3339, hm, weekStartMs } from './time.js';
import { CompensationOrigin, RestType, RuleId, TransportKind, type Finding } from './types.js';

const WEEKLY_MIN_MS = hm(24);
const REGULAR_WEEKLY_MS = hm(45);
const SIX_PERIODS_MS = hm(6 * 24);
const WEEKS_TO_COMPENSATE = 3;
const FOUR_WEEKS = 4;
const REGULAR_IN_FOUR_MIN = 2;

type EntryType = 'REGULAR' | 'REDUCED' | 'INSUFFICIENT';

interface Entry {
  readonly block: RestBlock | null;
  readonly startMs: number;
  readonly endMs: number;
  readonly restMs: number;
  readonly type: EntryType;
  /** Not recorded: the weekly rest assumed before the record. */
  readonly assumed: boolean;
  readonly debt: Debt | null;
}

/** The fixed weeks (Monday 00:00, ms) in which a regular weekly rest is counted: first to last. */
interface Coverage {
  readonly first: number;
  readonly last: number;
}

export interface PairCheck {
  /** The weekly rest that must be preceded by the compensation. */
  readonly next: RestBlock;
  readonly debts: readonly Debt[];
}

export interface WeeklyRestAnalysis {
  readonly findings: readonly Finding[];
  readonly types: ReadonlyMap<RestBlock, RestType>;
  readonly debts: readonly Debt[];
  readonly pairChecks: readonly PairCheck[];
}

class WeeklyWalk {
  readonly findings: Finding[] = [];
  readonly chain: Entry[] = [];
  readonly debts: Debt[] = [];
  readonly pairChecks: PairCheck[] = [];
  /** Second of two consecutive reduced rests allowed by the Art. 8(6) third-subparagraph derogation. */
  readonly derogations = new Set<Entry>();
  /** Shift-ending rests under 24 h, candidates for a too-short weekly rest. */
  private readonly shortRests: readonly RestBlock[];

  constructor(
    private readonly timeline: Timeline,
    private readonly request: ValidatedRequest,
    shifts: readonly Shift[],
    private readonly safety: readonly Exceedance[],
  ) {
    this.shortRests = shifts.flatMap((s) =>
      s.rest !== null && s.rest.restMs < WEEKLY_MIN_MS ? [s.rest] : [],
    );
  }

  private get previous(): Entry {
    return this.chain[this.chain.length - 1]!;
  }

  /** End of the sixth 24 h period, moved by Article 12 safety departures inside it. */
  private deadlineAfter(endMs: number): number {
    let deadlineMs = endMs + SIX_PERIODS_MS;
    for (const x of this.safety) {
      if (x.startMs >= endMs && x.startMs < deadlineMs) deadlineMs += x.endMs - x.startMs;
    }
    return deadlineMs;
  }

  private reducedAllowedAfter(previous: Entry): boolean {
    return previous.type === 'REGULAR';
  }

  /** The longest shift-ending rest under 24 h starting in (fromMs, toMs]; ties go to the later. */
  private longestShortRest(fromMs: number, toMs: number): RestBlock | null {
    let best: RestBlock | null = null;
    for (const rest of this.shortRests) {
      if (rest.startMs > toMs) break;
      if (rest.startMs > fromMs && (best === null || rest.restMs >= best.restMs)) best = rest;
    }
    return best;
  }

  /**
   * The weekly rest started `delayMs` late (or has not started: `lowerBound`). Records the
   * milder reading and returns the too-short rest taken as weekly rest, if that reading won.
   */
  private late(deadlineMs: number, startedMs: number, lowerBound: boolean): RestBlock | null {
    const delayMs = startedMs - deadlineMs;
    const delay = classifyExcess(WEEKLY_REST_DELAY, delayMs)!;
    const previous = this.previous;
    const attempt = this.longestShortRest(previous.endMs, deadlineMs);
    const attemptTable = this.reducedAllowedAfter(previous) ? REDUCED_WEEKLY_REST : WEEKLY_REST_45H;
    const attemptClass = attempt === null ? null : classifyShortfall(attemptTable, attempt.restMs);
    if (
      attempt !== null &&
      attemptClass !== null &&
      compareSeverity(attemptClass.severity, delay.severity) < 0
    ) {
      this.tooShort(attempt, attemptClass, attemptTable.requiredMs);
      return attempt;
    }
    this.findings.push(
      makeFinding({
        rule: RuleId.WEEKLY_REST_START,
        classification: delay,
        startMs: previous.endMs,
        endMs: startedMs,
        figuresMs: { delayMinutes: delayMs },
        causes: [],
        message: `weekly rest started ${lowerBound ? 'at least ' : ''}${formatDuration(delayMs)} after the end of six 24 h periods from the previous weekly rest (${formatRfc3339(deadlineMs)})`,
      }),
    );
    return null;
  }

  private tooShort(rest: RestBlock, classification: Classification, requiredMs: number): void {
    this.findings.push(
      makeFinding({
        rule: RuleId.WEEKLY_REST_TOO_SHORT,
        classification,
        startMs: rest.startMs,
        endMs: rest.endMs,
        figuresMs: {
          restedMinutes: rest.restMs,
          requiredMinutes: requiredMs,
          shortfallMinutes: requiredMs - rest.restMs,
        },
        causes: periodRange(rest.periodFrom, rest.periodTo),
        message: `weekly rest of ${formatDuration(rest.restMs)}, less than ${formatDuration(requiredMs)}`,
      }),
    );
    this.chain.push(entry(rest, 'INSUFFICIENT', null));
  }

  /** Whether two consecutive reduced weekly rests are allowed (Art. 8(6) third subparagraph). */
  private derogationApplies(previous: Entry, rest: RestBlock): boolean {
    return (
      this.request.transport === TransportKind.GOODS &&
      this.request.international &&
      previous.type === 'REDUCED' &&
      !this.derogations.has(previous) &&
      previous.block !== null &&
      previous.block.outsideHomeCountries &&
      rest.outsideHomeCountries
    );
  }

  weekly(rest: RestBlock): void {
    // A rest still open at the end of the record may yet reach 45 h: judged as regular.
    const type: EntryType = rest.restMs >= REGULAR_WEEKLY_MS || rest.openEnd ? 'REGULAR' : 'REDUCED';
    let debt: Debt | null = null;
    if (type === 'REDUCED') {
      // The week in question: the later of the weeks the rest falls in (Art. 8(9)).
      const dueMs = weekStartMs(rest.endMs - 1) + (WEEKS_TO_COMPENSATE + 1) * WEEK_MS;
      debt = {
        origin: CompensationOrigin.REDUCED_WEEKLY_REST,
        originStartMs: rest.startMs,
        availableFromMs: rest.endMs,
        owedMs: REGULAR_WEEKLY_MS - rest.restMs,
        dueMs,
        key: rest,
      };
      this.debts.push(debt);
    }
    if (type === 'REGULAR' && rest.inVehicleMs > 0) this.inVehicle(rest);
    this.chain.push(entry(rest, type, debt));
  }

  /**
   * Art. 8(6) first subparagraph on fixed weeks: a reduced weekly rest right after another
   * non-regular one is an infringement when the regular rests around them leave two consecutive
   * fixed weeks without a regular weekly rest, unless the derogation of the third subparagraph
   * applies (then the next weekly rest must be preceded by the compensation for both).
   */
  private consecutiveReducedRests(): void {
    const coverage = regularCoverage(this.chain);
    for (let i = 1; i < this.chain.length; i++) {
      const current = this.chain[i]!;
      const previous = this.chain[i - 1]!;
      if (current.type !== 'REDUCED' || previous.type === 'REGULAR' || current.block === null) continue;
      if (!this.leavesTwoWeeksWithoutRegular(i, coverage)) continue;
      if (!this.derogationApplies(previous, current.block)) {
        this.consecutiveReduced(current.block);
        continue;
      }
      this.derogations.add(current);
      const next = this.chain[i + 1];
      if (next === undefined || next.block === null || next.type === 'INSUFFICIENT') continue;
      const debts = [previous.debt, current.debt].filter((d): d is Debt => d !== null);
      this.pairChecks.push({ next: next.block, debts });
    }
  }

  /** Whether the regular rests before and after chain[i] are three fixed weeks apart or more. */
  private leavesTwoWeeksWithoutRegular(i: number, coverage: ReadonlyMap<Entry, Coverage>): boolean {
    let before: Coverage | undefined;
    for (let k = i - 1; k >= 0 && before === undefined; k--) before = coverage.get(this.chain[k]!);
    let after: Coverage | undefined;
    for (let k = i + 1; k < this.chain.length && after === undefined; k++)
      after = coverage.get(this.chain[k]!);
    // Without a regular rest after it, the week in which the record ends may still get one.
    const nextCoveredMs = after?.first ?? weekStartMs(this.timeline.dataEndMs);
    return before !== undefined && nextCoveredMs - before.last >= 3 * WEEK_MS;
  }

  private consecutiveReduced(rest: RestBlock): void {
    const classification = classifyShortfall(WEEKLY_REST_45H, rest.restMs);
    this.findings.push(
      makeFinding({
        rule: RuleId.CONSECUTIVE_REDUCED_WEEKLY_REST,
        classification,
        startMs: rest.startMs,
        endMs: rest.endMs,
        figuresMs: {
          restedMinutes: rest.restMs,
          requiredMinutes: REGULAR_WEEKLY_MS,
          shortfallMinutes: REGULAR_WEEKLY_MS - rest.restMs,
        },
        causes: periodRange(rest.periodFrom, rest.periodTo),
        message: `reduced weekly rest of ${formatDuration(rest.restMs)} right after another reduced one: a regular weekly rest (45 h) was required`,
      }),
    );
  }

  private inVehicle(rest: RestBlock): void {
    this.findings.push(
      makeFinding({
        rule: RuleId.REGULAR_WEEKLY_REST_IN_VEHICLE,
        classification: null,
        startMs: rest.startMs,
        endMs: rest.endMs,
        figuresMs: { restedMinutes: rest.restMs, inVehicleMinutes: rest.inVehicleMs },
        causes: periodRange(rest.periodFrom, rest.periodTo).filter(
          (p) => this.timeline.periods[p]!.inVehicle,
        ),
        message: `regular weekly rest of ${formatDuration(rest.restMs)} with ${formatDuration(rest.inVehicleMs)} spent in the vehicle`,
      }),
    );
  }

  /** Processes the weekly rests in order, then the open end of the record. */
  run(weeklyRests: readonly RestBlock[]): void {
    for (const rest of weeklyRests) {
      // Each turn either records `rest` or moves the chain past a too-short rest before it.
      for (let guard = 0; guard <= this.shortRests.length; guard++) {
        const deadlineMs = this.deadlineAfter(this.previous.endMs);
        if (rest.startMs <= deadlineMs || this.late(deadlineMs, rest.startMs, false) === null) break;
      }
      this.weekly(rest);
    }
    this.openEnd();
    this.consecutiveReducedRests();
    this.fourWeeks();
  }

  /** After the last weekly rest: late already if the deadline passed inside the record. */
  private openEnd(): void {
    const deadlineMs = this.deadlineAfter(this.previous.endMs);
    if (deadlineMs >= this.timeline.dataEndMs) return;
    const last = this.timeline.rests[this.timeline.rests.length - 1];
    const trailing = last !== undefined && last.openEnd && last.startMs > this.previous.endMs ? last : null;
    if (trailing !== null && trailing.startMs <= deadlineMs) return; // may be the weekly rest, still going on
    this.late(deadlineMs, trailing?.startMs ?? this.timeline.dataEndMs, true);
  }

  /** Any four consecutive weekly rests around a derogation pair include at least two regular ones. */
  private fourWeeks(): void {
    const flagged = new Set<Entry>();
    for (let i = 0; i + FOUR_WEEKS <= this.chain.length; i++) {
      const window = this.chain.slice(i, i + FOUR_WEEKS);
      const pairEnd = window.findIndex((e, k) => k > 0 && this.derogations.has(e));
      if (pairEnd < 0) continue;
      const regular = window.filter((e) => e.type === 'REGULAR').length;
      const second = window[pairEnd]!;
      if (regular >= REGULAR_IN_FOUR_MIN || flagged.has(second) || second.block === null) continue;
      flagged.add(second);
      const rest = second.block;
      this.findings.push(
        makeFinding({
          rule: RuleId.FOUR_WEEK_WEEKLY_RESTS,
          classification: classifyShortfall(WEEKLY_REST_45H, rest.restMs),
          startMs: window[0]!.startMs,
          endMs: window[FOUR_WEEKS - 1]!.endMs,
          figuresMs: {
            restedMinutes: rest.restMs,
            requiredMinutes: REGULAR_WEEKLY_MS,
            count: regular,
            allowed: REGULAR_IN_FOUR_MIN,
          },
          causes: periodRange(rest.periodFrom, rest.periodTo),
          message: `two consecutive reduced weekly rests, but only ${regular} regular weekly rest(s) in four consecutive weekly rests (at least ${REGULAR_IN_FOUR_MIN} required)`,
        }),
      );
    }
  }
}

function entry(block: RestBlock, type: EntryType, debt: Debt | null): Entry {
  return {
    block,
    startMs: block.startMs,
    endMs: block.endMs,
    restMs: block.restMs,
    type,
    assumed: false,
    debt,
  };
}

/** Monday 00:00 of the first and last fixed weeks a weekly rest falls in; the assumed one counts for the record's first week. */
function weeksOf(e: Entry): Coverage {
  if (e.assumed) return { first: weekStartMs(e.endMs), last: weekStartMs(e.endMs) };
  return { first: weekStartMs(e.startMs), last: weekStartMs(e.endMs - 1) };
}

/**
 * The fixed weeks each regular weekly rest is counted in. A rest in two weeks counts in one of
 * them (Art. 8(9)); weeks lying wholly inside a rest count too. Greedy, in order: the later week
 * whenever that leaves no two consecutive weeks without a regular rest since the previous one,
 * which is the assignment most favourable to the driver.
 */
function regularCoverage(chain: readonly Entry[]): Map<Entry, Coverage> {
  const out = new Map<Entry, Coverage>();
  let lastMs = -Infinity;
  for (const e of chain) {
    if (e.type !== 'REGULAR') continue;
    const { first, last } = weeksOf(e);
    const inside = last - first >= 2 * WEEK_MS; // some week lies wholly inside the rest
    const later = { first: inside ? first + WEEK_MS : last, last };
    const earlier = { first, last: inside ? last - WEEK_MS : first };
    const chosen = later.first - lastMs <= 2 * WEEK_MS ? later : earlier;
    out.set(e, chosen);
    lastMs = Math.max(lastMs, chosen.last);
  }
  return out;
}

export function analyseWeeklyRests(
  timeline: Timeline,
  request: ValidatedRequest,
  shifts: readonly Shift[],
  safety: readonly Exceedance[],
): WeeklyRestAnalysis {
  const walk = new WeeklyWalk(timeline, request, shifts, safety);
  const leading = timeline.rests[0];
  const startsInRest = leading !== undefined && leading.openStart;
  const assumedEndMs = startsInRest ? leading.endMs : timeline.dataStartMs;
  walk.chain.push({
    block: startsInRest ? leading : null,
    startMs: assumedEndMs,
    endMs: assumedEndMs,
    restMs: REGULAR_WEEKLY_MS,
    type: 'REGULAR',
    assumed: true,
    debt: null,
  });
  const weeklyRests = timeline.rests.filter((r) => r.restMs >= WEEKLY_MIN_MS && !r.openStart);
  walk.run(weeklyRests);
  const types = new Map<RestBlock, RestType>();
  for (const e of walk.chain) {
    if (e.block === null || e.assumed) continue;
    types.set(
      e.block,
      e.type === 'REGULAR'
        ? RestType.REGULAR_WEEKLY
        : e.type === 'REDUCED'
          ? RestType.REDUCED_WEEKLY
          : RestType.INSUFFICIENT_WEEKLY,
    );
  }
  return { findings: walk.findings, types, debts: walk.debts, pairChecks: walk.pairChecks };
}

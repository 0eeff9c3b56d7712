/**
 * The de minimis ceiling check: pure, over the aid already counted for a single undertaking.
 *
 * The window is rolling (Art. 3(2) "any period of three years"; recital 10 of 2023/2831: for each
 * new grant, the aid granted in the previous three years). Aid counts by grant date (Art. 3(3)).
 * A window ending on day E covers the days after E minus three years up to and including E: a
 * grant made exactly three years before E no longer counts, one made a day later does.
 *
 * Grant dates normally arrive in order, and then the only window to check is the one ending on the
 * new grant's date. Two authorities' transactions can however commit in another order than their
 * times; so every window that contains the new grant date is checked (those ending on the new date
 * and on each later grant date less than three years after it). That keeps the invariant "no
 * window of three years exceeds a ceiling" whatever order decisions commit in.
 */
import { type AidKind, type CeilingRule, WINDOW_YEARS, ceilingRulesFor, CEILING_RULES } from './ceilings.js';
import { addYears, nextDay } from './dates.js';
import type { AidRegister, IsoDate } from './records.js';
import { RuleCode, type RuleViolation, euros } from './violations.js';

/** One de minimis grant as the ceiling counts it. */
export interface CountedAid {
  readonly kvk: string;
  readonly grantId: string;
  readonly grantDate: IsoDate;
  /** Granted minus withdrawn. */
  readonly countedCents: number;
  readonly aidKind: AidKind;
}

/** The de minimis entries of some registers, as the ceiling counts them (granted minus withdrawn). */
export function countedAidOf(registers: Iterable<AidRegister>): CountedAid[] {
  const aid: CountedAid[] = [];
  for (const register of registers) {
    for (const entry of register.entries) {
      if (entry.aidKind === null) continue;
      aid.push({
        kvk: register.kvk,
        grantId: entry.grantId,
        grantDate: entry.grantDate,
        countedCents: entry.grantedCents - entry.withdrawnCents,
        aidKind: entry.aidKind,
      });
    }
  }
  return aid;
}

/** Inclusive first and last day of the window that ends on `end`. */
export interface Window {
  readonly from: IsoDate;
  readonly to: IsoDate;
}

export function windowEndingOn(end: IsoDate): Window {
  return { from: nextDay(addYears(end, -WINDOW_YEARS)), to: end };
}

/** The counted aid of the given kinds granted in the window. */
export function sumInWindow(aid: readonly CountedAid[], window: Window, kinds: readonly AidKind[]): number {
  let total = 0;
  for (const entry of aid) {
    if (entry.grantDate >= window.from && entry.grantDate <= window.to && kinds.includes(entry.aidKind)) {
      total += entry.countedCents;
    }
  }
  return total;
}

export interface CeilingCheckInput {
  readonly aid: readonly CountedAid[];
  readonly kind: AidKind;
  readonly requestedCents: number;
  readonly grantDate: IsoDate;
  /** The KvK numbers counted as the single undertaking, for the refusal's figures. */
  readonly groupMembers: readonly string[];
}

/** Null when the new grant fits every ceiling rule of its kind; else the first rule it breaks. */
export function checkDeMinimisCeiling(input: CeilingCheckInput): RuleViolation | null {
  const windows = windowsContaining(input.grantDate, input.aid);
  for (const rule of ceilingRulesFor(input.kind)) {
    const worst = worstWindow(rule, windows, input.aid);
    if (worst.usedCents + input.requestedCents > rule.ceilingCents) return violation(rule, worst, input);
  }
  return null;
}

/** Room left for new aid of `kind` granted on `date`: the smallest room over its ceiling rules. */
export function roomLeft(aid: readonly CountedAid[], kind: AidKind, date: IsoDate): number {
  const windows = windowsContaining(date, aid);
  let room = Number.POSITIVE_INFINITY;
  for (const rule of ceilingRulesFor(kind)) {
    room = Math.min(room, rule.ceilingCents - worstWindow(rule, windows, aid).usedCents);
  }
  return Math.max(0, room);
}

/** The rules a view lists: every ceiling rule with its use in the window ending on `date`. */
export function ceilingUse(
  aid: readonly CountedAid[],
  date: IsoDate,
): readonly { rule: CeilingRule; usedCents: number; leftCents: number }[] {
  const window = windowEndingOn(date);
  return CEILING_RULES.map((rule) => {
    const usedCents = sumInWindow(aid, window, rule.counts);
    return { rule, usedCents, leftCents: Math.max(0, rule.ceilingCents - usedCents) };
  });
}

function windowsContaining(date: IsoDate, aid: readonly CountedAid[]): Window[] {
  const ends = new Set<IsoDate>([date]);
  for (const entry of aid) {
    if (entry.grantDate > date && addYears(entry.grantDate, -WINDOW_YEARS) < date) ends.add(entry.grantDate);
  }
  return [...ends].sort().map(windowEndingOn);
}

function worstWindow(
  rule: CeilingRule,
  windows: readonly Window[],
  aid: readonly CountedAid[],
): { window: Window; usedCents: number } {
  let worst = { window: windows[0]!, usedCents: -1 };
  for (const window of windows) {
    const usedCents = sumInWindow(aid, window, rule.counts);
    if (usedCents > worst.usedCents) worst = { window, usedCents };
  }
  return worst;
}

function violation(
  rule: CeilingRule,
  worst: { window: Window; usedCents: number },
  input: CeilingCheckInput,
): RuleViolation {
  const left = Math.max(0, rule.ceilingCents - worst.usedCents);
  return {
    rule: RuleCode.DE_MINIMIS_CEILING,
    article: rule.article,
    message:
      `de minimis ceiling ${euros(rule.ceilingCents)} (${rule.id}) would be exceeded: ` +
      `${euros(worst.usedCents)} already granted to the single undertaking from ${worst.window.from} ` +
      `to ${worst.window.to}, ${euros(input.requestedCents)} requested, ${euros(left)} left; ` +
      'aid that would exceed the ceiling is refused entirely (Art. 3(7))',
    figures: {
      ceilingCents: rule.ceilingCents,
      alreadyGrantedInWindowCents: worst.usedCents,
      requestedCents: input.requestedCents,
      leftCents: left,
      windowFrom: worst.window.from,
      windowTo: worst.window.to,
      groupMembers: [...input.groupMembers],
      ceilingRule: rule.id,
      countedKinds: [...rule.counts],
    },
  };
}

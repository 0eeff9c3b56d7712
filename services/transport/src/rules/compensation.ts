/**
 * The compensation ledger: rest owed for reduced weekly rests (Art. 8(6b)) and for Article 12
 * extensions (Art. 12 fifth subparagraph), and the rests that pay it back.
 *
 * A debt is paid by a later rest's surplus: the part of a rest block beyond the rest it is
 * attached to — beyond 45 h for a regular weekly rest; beyond 9 h for a daily rest, since Art. 8(7)
 * asks only that compensation be "attached to another rest period of at least nine hours" (the
 * literal reading, and the one favourable to the driver); a reduced weekly rest has none (a rest of
 * 24 h or more is a weekly rest, Art. 8(3)). Each debt is paid en bloc (whole, by one rest),
 * earliest deadline first, and must fit before its deadline counted from the start of the rest.
 */
import type { RestBlock } from './timeline.js';
import { hm } from './time.js';
import { CompensationStatus, type CompensationOrigin } from './types.js';

const DAILY_MIN_MS = hm(9);
const WEEKLY_MIN_MS = hm(24);
const REGULAR_WEEKLY_MS = hm(45);

export interface Debt {
  readonly origin: CompensationOrigin;
  readonly originStartMs: number;
  /** Only rests starting at or after this can pay (the end of the reduced rest or exceedance). */
  readonly availableFromMs: number;
  readonly owedMs: number;
  readonly dueMs: number;
  /** The rule to cite when it is not paid in time. */
  readonly key: object;
}

export interface Settlement {
  readonly debt: Debt;
  readonly settledWith: RestBlock | null;
  readonly status: CompensationStatus;
}

/** The part of a rest that can serve as compensation. */
export function surplusMs(block: RestBlock): number {
  if (block.restMs >= REGULAR_WEEKLY_MS) return block.restMs - REGULAR_WEEKLY_MS;
  if (block.restMs >= WEEKLY_MIN_MS) return 0;
  if (block.restMs >= DAILY_MIN_MS) return block.restMs - DAILY_MIN_MS;
  return 0;
}

/** Pays debts from rest surpluses. O(rests × open debts); open debts are few (one per week at most). */
export function settleDebts(
  debts: readonly Debt[],
  rests: readonly RestBlock[],
  dataEndMs: number,
): Settlement[] {
  const open = [...debts].sort((a, b) => a.dueMs - b.dueMs || a.originStartMs - b.originStartMs);
  const paidBy = new Map<Debt, RestBlock>();
  for (const rest of rests) {
    let remainingMs = surplusMs(rest);
    let usedMs = 0;
    for (let i = 0; i < open.length && remainingMs > 0; i++) {
      const debt = open[i]!;
      const fits = debt.owedMs <= remainingMs && rest.startMs + usedMs + debt.owedMs <= debt.dueMs;
      if (debt.availableFromMs > rest.startMs || !fits) continue;
      paidBy.set(debt, rest);
      remainingMs -= debt.owedMs;
      usedMs += debt.owedMs;
      open.splice(i, 1);
      i--;
    }
  }
  // A rest still going on when the record ends may yet be long enough: its debts stay pending.
  const last = rests[rests.length - 1];
  const openRest = last !== undefined && last.openEnd && last.endMs === dataEndMs ? last : null;
  const mayStillBePaid = (debt: Debt): boolean =>
    openRest !== null &&
    openRest.startMs >= debt.availableFromMs &&
    openRest.startMs + debt.owedMs <= debt.dueMs;
  return debts.map((debt) => {
    const settledWith = paidBy.get(debt) ?? null;
    const status =
      settledWith !== null
        ? CompensationStatus.SETTLED
        : debt.dueMs <= dataEndMs && !mayStillBePaid(debt)
          ? CompensationStatus.OVERDUE
          : CompensationStatus.OWED;
    return { debt, settledWith, status };
  });
}

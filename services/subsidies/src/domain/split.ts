/**
 * recordSplit, Art. 3(9) of Regulation (EU) 2023/2831: when one undertaking separates into two or
 * more, the de minimis aid granted before the split is allocated to the undertaking that benefited
 * from it, in principle the one taking over the activities it was used for (`byGrant`); when that
 * is not possible, proportionally to the book value of the equity capital of the new undertakings
 * at the effective date of the split (`byEquity`, in basis points).
 *
 * The source's register entries move into the successors' registers (marked `splitFrom`), so each
 * successor's ceiling counts its share from then on. The source continues when it is itself one of
 * the successors; otherwise it ceases (`splitInto`) and its control links end.
 */
import type { TxContext } from '@civic/gateway';
import { SubsidiesEvent } from './actions.js';
import { InvalidFieldError } from './errors.js';
import { keys } from './keys.js';
import { MAX_REGISTER_ENTRIES } from './limits.js';
import { type AidEntry, type AidRegister, type UndertakingRecord, ceasedReason } from './records.js';
import { endLinksOf } from './undertakings.js';
import * as v from './validate.js';
import { BASIS_POINTS_100_PERCENT } from './validate.js';
import { type Outcome, RuleCode, accept, refuse } from './violations.js';

/** Successors of one split: at least two, and no more than a bounded handful. */
const MAX_SUCCESSORS = 16;

export interface RecordSplitInput {
  readonly sourceKvk: string;
  /** The undertakings after the split, registered first; the source itself when it continues. */
  readonly successors: readonly string[];
  readonly effectiveDate: string;
  /** Each grant of the source to the successor that took over the activities it was used for. */
  readonly byGrant: readonly { readonly grantId: string; readonly kvk: string }[] | null;
  /** Otherwise: each successor's share of the equity's book value, in basis points (sum 10000). */
  readonly byEquity: readonly { readonly kvk: string; readonly basisPoints: number }[] | null;
}

export function parseRecordSplitInput(raw: unknown): RecordSplitInput {
  const input = v.object(raw, 'input');
  const byGrant =
    input.byGrant == null
      ? null
      : v.list(input.byGrant, 'input.byGrant', 0, MAX_REGISTER_ENTRIES).map((item, i) => {
          const allocation = v.object(item, `input.byGrant[${i}]`);
          return {
            grantId: v.grantId(allocation.grantId, `input.byGrant[${i}].grantId`),
            kvk: v.kvkNumber(allocation.kvk, `input.byGrant[${i}].kvk`),
          };
        });
  const byEquity =
    input.byEquity == null
      ? null
      : v.list(input.byEquity, 'input.byEquity', 2, MAX_SUCCESSORS).map((item, i) => {
          const share = v.object(item, `input.byEquity[${i}]`);
          return {
            kvk: v.kvkNumber(share.kvk, `input.byEquity[${i}].kvk`),
            basisPoints: v.shareBasisPoints(share.basisPoints, `input.byEquity[${i}].basisPoints`),
          };
        });
  if ((byGrant === null) === (byEquity === null)) {
    throw new InvalidFieldError(
      { field: 'input.byGrant', value: input.byGrant },
      'give exactly one of byGrant and byEquity',
    );
  }
  if (byEquity !== null && byEquity.reduce((sum, s) => sum + s.basisPoints, 0) !== BASIS_POINTS_100_PERCENT) {
    throw new InvalidFieldError(
      { field: 'input.byEquity', value: input.byEquity },
      'shares must add up to 10000 basis points',
    );
  }
  return {
    sourceKvk: v.kvkNumber(input.sourceKvk, 'input.sourceKvk'),
    successors: v
      .list(input.successors, 'input.successors', 2, MAX_SUCCESSORS)
      .map((kvk, i) => v.kvkNumber(kvk, `input.successors[${i}]`)),
    effectiveDate: v.isoDate(input.effectiveDate, 'input.effectiveDate'),
    byGrant,
    byEquity,
  };
}

export async function recordSplit(ctx: TxContext, raw: unknown): Promise<Outcome<readonly AidRegister[]>> {
  const input = parseRecordSplitInput(raw);
  v.rfc3339(ctx.txTime, 'ctx.txTime');
  if (new Set(input.successors).size !== input.successors.length) {
    return refuse(
      RuleCode.INVALID_MERGER,
      `a split names each successor once (${input.successors.join(', ')})`,
    );
  }
  const records = new Map<string, UndertakingRecord>();
  for (const kvk of [input.sourceKvk, ...input.successors.filter((s) => s !== input.sourceKvk)]) {
    const record = await ctx.get<UndertakingRecord>(keys.undertaking(kvk));
    if (record === undefined) {
      return refuse(RuleCode.UNDERTAKING_NOT_FOUND, `undertaking ${kvk} is not registered`, {
        key: keys.undertaking(kvk),
      });
    }
    const ceased = ceasedReason(record);
    if (ceased !== null) return refuse(RuleCode.INVALID_MERGER, `undertaking ${kvk} already ${ceased}`);
    records.set(kvk, record);
  }
  const registers = new Map<string, AidRegister>();
  for (const kvk of records.keys()) {
    registers.set(kvk, (await ctx.get<AidRegister>(keys.aidRegister(kvk))) ?? { kvk, entries: [] });
  }
  const source = registers.get(input.sourceKvk)!;
  const allocated = allocate(input, source.entries);
  if (!allocated.ok) return allocated;

  const continues = input.successors.includes(input.sourceKvk);
  const after: AidRegister[] = input.successors.map((kvk) => ({
    kvk,
    entries: [
      ...(kvk === input.sourceKvk ? [] : registers.get(kvk)!.entries),
      ...(allocated.value.get(kvk) ?? []),
    ],
  }));
  const full = after.find((r) => r.entries.length > MAX_REGISTER_ENTRIES);
  if (full) {
    return refuse(
      RuleCode.LIMIT_EXCEEDED,
      `aid register of ${full.kvk} would hold more than ${MAX_REGISTER_ENTRIES} grants`,
      {
        bound: 'MAX_REGISTER_ENTRIES',
        limit: MAX_REGISTER_ENTRIES,
      },
    );
  }
  if (!continues) {
    after.push({ kvk: input.sourceKvk, entries: [] });
    const ended = await endLinksOf(ctx, [input.sourceKvk], records);
    for (const [kvk, record] of [...ended.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const updated =
        kvk === input.sourceKvk
          ? { ...record, controls: [], controlledBy: [], splitInto: [...input.successors] }
          : record;
      if (updated !== records.get(kvk)) ctx.put(keys.undertaking(kvk), updated);
    }
  }
  for (const register of after) ctx.put(keys.aidRegister(register.kvk), register);
  ctx.emit(SubsidiesEvent.SPLIT_RECORDED, {
    sourceKvk: input.sourceKvk,
    successors: input.successors,
    effectiveDate: input.effectiveDate,
    basis: input.byGrant !== null ? 'BY_GRANT' : 'BY_EQUITY',
  });
  return accept(after);
}

/** The source's entries per successor. */
function allocate(input: RecordSplitInput, entries: readonly AidEntry[]): Outcome<Map<string, AidEntry[]>> {
  const result = new Map<string, AidEntry[]>(input.successors.map((kvk) => [kvk, []]));
  const mark = (entry: AidEntry, grantedCents: number, withdrawnCents: number): AidEntry => ({
    ...entry,
    grantedCents,
    withdrawnCents,
    splitFrom: input.sourceKvk,
  });
  if (input.byGrant !== null) {
    const to = new Map(input.byGrant.map((a) => [a.grantId, a.kvk]));
    const ids = entries.map((e) => e.grantId);
    if (to.size !== input.byGrant.length || ids.some((id) => !to.has(id)) || to.size !== ids.length) {
      return refuse(
        RuleCode.INVALID_MERGER,
        `byGrant must allocate each grant of ${input.sourceKvk} once: ${ids.join(', ')}`,
      );
    }
    for (const entry of entries) {
      const kvk = to.get(entry.grantId)!;
      if (!result.has(kvk))
        return refuse(RuleCode.INVALID_MERGER, `${kvk} is not a successor of ${input.sourceKvk}`);
      result.get(kvk)!.push(mark(entry, entry.grantedCents, entry.withdrawnCents));
    }
    return accept(result);
  }
  const shares = input.byEquity!;
  if (shares.length !== input.successors.length || shares.some((s) => !result.has(s.kvk))) {
    return refuse(RuleCode.INVALID_MERGER, `byEquity must give a share to each successor once`);
  }
  for (const entry of entries) {
    // Counted and withdrawn parts are split separately, so the counted parts add up exactly.
    const counted = splitCents(entry.grantedCents - entry.withdrawnCents, shares);
    const withdrawn = splitCents(entry.withdrawnCents, shares);
    shares.forEach((share, i) => {
      const granted = counted[i]! + withdrawn[i]!;
      if (granted > 0) result.get(share.kvk)!.push(mark(entry, granted, withdrawn[i]!));
    });
  }
  return accept(result);
}

/** `cents` in proportion to the shares, rounded down; the remainder to the largest share (first on ties). */
function splitCents(cents: number, shares: readonly { basisPoints: number }[]): number[] {
  const parts = shares.map((s) =>
    Number((BigInt(cents) * BigInt(s.basisPoints)) / BigInt(BASIS_POINTS_100_PERCENT)),
  );
  const largest = shares.reduce((best, s, i) => (s.basisPoints > shares[best]!.basisPoints ? i : best), 0);
  parts[largest]! += cents - parts.reduce((sum, p) => sum + p, 0);
  return parts;
}

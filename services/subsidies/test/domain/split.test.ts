/** Splits (Regulation (EU) 2023/2831 Art. 3(9)): prior aid goes with the activities, or by equity. */
import { describe, expect, it } from 'vitest';
import {
  type AidRegister,
  InvalidFieldError,
  type UndertakingRecord,
  keys,
  recordPayment,
  recordRecovery,
  recordSplit,
} from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, at, eur } from './fixtures.js';

const A = '12345678';
const B = '23456789';
const C = '34567890';
const PARENT = '45678901';

/** A received EUR 160,000 (RVO, activity X) and EUR 80,000 (Utrecht, activity Y): EUR 240,000. */
async function world(): Promise<{ w: World; x: string; y: string }> {
  const w = await World.withThreeAuthorities([A, B, C, PARENT]);
  const x = await w.grant(RVO, 'rvo-innovatie', A, eur(160_000), '2024-04-01');
  const y = await w.grant(UTRECHT, 'utrecht-mkb', A, eur(80_000), '2024-05-01');
  return { w, x, y };
}

/** A splits into B (activity X, grant x) and C (activity Y, grant y). */
async function splitByActivity(w: World, x: string, y: string): Promise<void> {
  await w.must(RVO, at('2025-01-01'), (ctx) =>
    recordSplit(ctx, {
      sourceKvk: A,
      successors: [B, C],
      effectiveDate: '2025-01-01',
      byGrant: [
        { grantId: x, kvk: B },
        { grantId: y, kvk: C },
      ],
    }),
  );
}

describe('recordSplit', () => {
  it('allocates each grant to the successor that took over its activities', async () => {
    const { w, x, y } = await world();
    await splitByActivity(w, x, y);
    expect((await w.decide(AMSTERDAM, 'amsterdam-mkb', B, eur(140_001), '2025-02-01')).outcome.ok).toBe(
      false,
    );
    await w.grant(AMSTERDAM, 'amsterdam-mkb', B, eur(140_000), '2025-02-01');
    await w.grant(AMSTERDAM, 'amsterdam-mkb', C, eur(220_000), '2025-02-01');
    const ceased = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(1), '2025-02-02');
    expect(ceased.outcome.ok || ceased.outcome.violation.rule).toBe('UNDERTAKING_CEASED');
    expect(w.value<UndertakingRecord>(keys.undertaking(A))!.splitInto).toEqual([B, C]);
    expect(w.value<AidRegister>(keys.aidRegister(A))!.entries).toEqual([]);
  });

  it('otherwise allocates in proportion to the equity: 60 % / 40 % of EUR 240,000', async () => {
    const { w } = await world();
    await w.link(PARENT, A);
    await w.must(RVO, at('2025-01-01'), (ctx) =>
      recordSplit(ctx, {
        sourceKvk: A,
        successors: [B, C],
        effectiveDate: '2025-01-01',
        byEquity: [
          { kvk: B, basisPoints: 6_000 },
          { kvk: C, basisPoints: 4_000 },
        ],
      }),
    );
    const counted = (kvk: string) =>
      w
        .value<AidRegister>(keys.aidRegister(kvk))!
        .entries.reduce((s, e) => s + e.grantedCents - e.withdrawnCents, 0);
    expect([counted(B), counted(C)]).toEqual([eur(144_000), eur(96_000)]);
    await w.grant(AMSTERDAM, 'amsterdam-mkb', B, eur(156_000), '2025-02-01');
    expect((await w.decide(AMSTERDAM, 'amsterdam-mkb', C, eur(204_001), '2025-02-01')).outcome.ok).toBe(
      false,
    );
    // The split undertaking's control links ended with it.
    expect(w.value<UndertakingRecord>(keys.undertaking(PARENT))!.controls).toEqual([]);
  });

  it('keeps the source when it continues as one of the successors, and splits odd cents exactly', async () => {
    const { w } = await world();
    await w.must(RVO, at('2025-01-01'), (ctx) =>
      recordSplit(ctx, {
        sourceKvk: A,
        successors: [A, B, C],
        effectiveDate: '2025-01-01',
        byEquity: [
          { kvk: A, basisPoints: 3_334 },
          { kvk: B, basisPoints: 3_333 },
          { kvk: C, basisPoints: 3_333 },
        ],
      }),
    );
    const totals = [A, B, C].map((kvk) =>
      w.value<AidRegister>(keys.aidRegister(kvk))!.entries.reduce((s, e) => s + e.grantedCents, 0),
    );
    expect(totals.reduce((a, b) => a + b, 0)).toBe(eur(240_000));
    expect(totals[0]).toBe(
      eur(240_000) -
        2 * Math.floor((eur(160_000) * 3333) / 10_000) -
        2 * Math.floor((eur(80_000) * 3333) / 10_000),
    );
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000) - totals[0]!, '2025-02-01');
  });

  it('refuses incomplete allocations and a withdrawal of the right after the split', async () => {
    const { w, x, y } = await world();
    await w.must(RVO, at('2024-06-01'), (ctx) =>
      recordPayment(ctx, { grantId: x, amountCents: eur(160_000) }),
    );
    const partial = await w.ledger.run(RVO, at('2025-01-01'), (ctx) =>
      recordSplit(ctx, {
        sourceKvk: A,
        successors: [B, C],
        effectiveDate: '2025-01-01',
        byGrant: [{ grantId: x, kvk: B }],
      }),
    );
    expect(partial.outcome.ok || partial.outcome.violation.rule).toBe('INVALID_MERGER');
    await expect(
      recordSplit(w.ledger.begin(RVO, at('2025-01-01')), {
        sourceKvk: A,
        successors: [B, C],
        effectiveDate: '2025-01-01',
        byEquity: [
          { kvk: B, basisPoints: 6_000 },
          { kvk: C, basisPoints: 3_000 },
        ],
      }),
    ).rejects.toBeInstanceOf(InvalidFieldError);
    await splitByActivity(w, x, y);
    const withdraw = await w.ledger.run(RVO, at('2025-02-01'), (ctx) =>
      recordRecovery(ctx, { grantId: x, amountCents: eur(10_000), rightWithdrawn: true, reason: 'revoked' }),
    );
    expect(withdraw.outcome.ok || withdraw.outcome.violation).toMatchObject({ rule: 'UNDERTAKING_CEASED' });
    expect(withdraw.tx.writes.size).toBe(0);
  });
});

/**
 * Decisions built on the same snapshot, then committed in one order: the peer's MVCC check (as the
 * MemoryLedger emulates it) lets exactly one through; the other, re-run on the new state, is refused.
 */
import { describe, expect, it } from 'vitest';
import { type AidRegister, decideGrant, keys, linkUndertakings } from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, at, eur } from './fixtures.js';

const A = '12345678';
const B = '23456789';

async function nearCeiling(): Promise<World> {
  const w = await World.withThreeAuthorities([A, B]);
  await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(250_000), '2025-01-10');
  return w;
}

const decision = (schemeId: string, kvk: string, amountCents: number) => ({
  schemeId,
  kvk,
  amountCents,
  eligibleCostCents: amountCents,
});

describe('two authorities deciding at the same moment near the ceiling', () => {
  it('exactly one succeeds; the other conflicts, is re-run and refused with the figures', async () => {
    const w = await nearCeiling();
    const time = at('2025-03-01');
    const rvo = w.ledger.begin(RVO, time);
    const utrecht = w.ledger.begin(UTRECHT, time);
    // Each alone fits: 250k + 40k <= 300k. Together they would make 330k.
    expect((await decideGrant(rvo, decision('rvo-innovatie', A, eur(40_000)))).ok).toBe(true);
    expect((await decideGrant(utrecht, decision('utrecht-mkb', A, eur(40_000)))).ok).toBe(true);
    // Both read and write aid/<A>: the common key.
    expect(rvo.reads.has(keys.aidRegister(A)) && utrecht.writes.has(keys.aidRegister(A))).toBe(true);

    expect(w.ledger.commit(rvo, utrecht)).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
    expect(w.value<AidRegister>(keys.aidRegister(A))!.entries.map((e) => e.grantedCents)).toEqual([
      eur(250_000),
      eur(40_000),
    ]);

    const retry = await w.ledger.run(UTRECHT, time, (ctx) =>
      decideGrant(ctx, decision('utrecht-mkb', A, eur(40_000))),
    );
    expect(retry.code).toBeNull();
    expect(retry.outcome.ok || retry.outcome.violation).toMatchObject({
      rule: 'DE_MINIMIS_CEILING',
      figures: {
        ceilingCents: eur(300_000),
        alreadyGrantedInWindowCents: eur(290_000),
        requestedCents: eur(40_000),
      },
    });
  });

  it('also when they grant to two different members of one single undertaking', async () => {
    const w = await nearCeiling();
    await w.link(A, B);
    const time = at('2025-03-01');
    const rvo = w.ledger.begin(RVO, time);
    const utrecht = w.ledger.begin(UTRECHT, time);
    expect((await decideGrant(rvo, decision('rvo-innovatie', A, eur(40_000)))).ok).toBe(true);
    expect((await decideGrant(utrecht, decision('utrecht-mkb', B, eur(40_000)))).ok).toBe(true);
    // Different keys written (aid/A, aid/B), but each read the other's register.
    expect(w.ledger.commit(utrecht, rvo)).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
    const retry = await w.ledger.run(RVO, time, (ctx) =>
      decideGrant(ctx, decision('rvo-innovatie', A, eur(40_000))),
    );
    expect(retry.outcome.ok || retry.outcome.violation.figures.groupMembers).toEqual([A, B]);
  });

  it('a control link recorded at the same moment invalidates a decision that did not count it', async () => {
    const w = await nearCeiling();
    await w.grant(RVO, 'rvo-innovatie', B, eur(100_000), '2025-02-01');
    const time = at('2025-03-01');
    const grant = w.ledger.begin(UTRECHT, time);
    const link = w.ledger.begin(RVO, time);
    expect((await decideGrant(grant, decision('utrecht-mkb', A, eur(40_000)))).ok).toBe(true);
    expect(
      (
        await linkUndertakings(link, {
          parentKvk: B,
          childKvk: A,
          basis: 'BOARD_MAJORITY',
          since: '2025-02-15',
        })
      ).ok,
    ).toBe(true);
    expect(w.ledger.commit(link, grant)).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
    const retry = await w.ledger.run(UTRECHT, time, (ctx) =>
      decideGrant(ctx, decision('utrecht-mkb', A, eur(40_000))),
    );
    expect(retry.outcome.ok || retry.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(
      eur(350_000),
    );
  });
});

describe('a scheme budget under concurrent decisions', () => {
  it('two decisions of the same authority at once on the last of the budget: one commits', async () => {
    const w = new World();
    await w.scheme(UTRECHT, 'utrecht-klein', { budgetCents: eur(10_000), deMinimis: null });
    await w.undertaking(A);
    await w.undertaking(B);
    const time = at('2025-03-01');
    const first = w.ledger.begin(UTRECHT, time);
    const second = w.ledger.begin(UTRECHT, time);
    expect((await decideGrant(first, decision('utrecht-klein', A, eur(6_000)))).ok).toBe(true);
    expect((await decideGrant(second, decision('utrecht-klein', B, eur(6_000)))).ok).toBe(true);
    expect(w.ledger.commit(first, second)).toEqual(['VALID', 'MVCC_READ_CONFLICT']);
    const retry = await w.ledger.run(UTRECHT, time, (ctx) =>
      decideGrant(ctx, decision('utrecht-klein', B, eur(6_000))),
    );
    expect(retry.outcome.ok || retry.outcome.violation).toMatchObject({
      rule: 'SCHEME_BUDGET',
      figures: { leftCents: eur(4_000) },
    });
  });
});

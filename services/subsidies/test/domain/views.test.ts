/** The read side: the aid register over the window with chain references, and the scheme budget. */
import { describe, expect, it } from 'vitest';
import { keys, readAidRegisterView, readSchemeBudgetView } from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, eur } from './fixtures.js';

const A = '12345678';
const B = '23456789';

describe('aid register view', () => {
  it('lists every grant to the single undertaking in the window, who granted it, when, and where on the chain', async () => {
    const w = new World();
    await w.deMinimisScheme(RVO, 'rvo-innovatie');
    await w.deMinimisScheme(UTRECHT, 'utrecht-mkb');
    await w.scheme(AMSTERDAM, 'amsterdam-cultuur', { deMinimis: null });
    await w.undertaking(A);
    await w.undertaking(B);
    await w.link(A, B);
    await w.grant(RVO, 'rvo-innovatie', A, eur(50_000), '2021-05-01'); // out of the window
    const g1 = await w.grant(RVO, 'rvo-innovatie', A, eur(120_000), '2024-05-01');
    const g2 = await w.grant(UTRECHT, 'utrecht-mkb', B, eur(30_000), '2025-01-15');
    const g3 = await w.grant(AMSTERDAM, 'amsterdam-cultuur', B, eur(10_000), '2025-02-01');

    const refOf = (grantId: string) => {
      const first = w.ledger.historyOf(keys.grant(grantId))[0];
      return first ? { block: first.block, tx: first.tx, txId: `tx-${grantId}` } : null;
    };
    const result = await readAidRegisterView(w.ledger.reader(), B, '2025-03-01', refOf);
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const view = result.value;
    expect(view.members).toEqual([A, B]);
    expect(view.window).toEqual({ from: '2022-03-02', to: '2025-03-01' });
    expect(
      view.entries.map((e) => [e.grantId, e.kvk, e.authority, e.grantDate, e.countedCents, e.aidKind]),
    ).toEqual([
      [g1, A, RVO, '2024-05-01', eur(120_000), 'GENERAL'],
      [g2, B, UTRECHT, '2025-01-15', eur(30_000), 'GENERAL'],
      [g3, B, AMSTERDAM, '2025-02-01', eur(10_000), null],
    ]);
    expect(view.entries[0]!.ref).toEqual({ ...refOf(g1), txId: `tx-${g1}` });
    expect(view.entries[0]!.ref!.block).toBeGreaterThan(0);
    expect(view.totalsCents.GENERAL).toBe(eur(150_000));
    expect(view.roomLeftCents.GENERAL).toBe(eur(150_000));
    expect(view.roomLeftCents.AGRICULTURE).toBe(eur(50_000));
    expect(view.ceilings.find((c) => c.id === 'GENERAL')).toMatchObject({
      usedCents: eur(150_000),
      leftCents: eur(150_000),
    });
  });

  it('refuses an unregistered undertaking', async () => {
    const w = new World();
    const result = await readAidRegisterView(w.ledger.reader(), A, '2025-03-01');
    expect(result.ok || result.violation.rule).toBe('UNDERTAKING_NOT_FOUND');
  });
});

describe('scheme budget view', () => {
  it('shows the budget used and left', async () => {
    const w = new World();
    await w.scheme(UTRECHT, 'utrecht-zon', { budgetCents: eur(12_000), deMinimis: null });
    await w.undertaking(A);
    await w.grant(UTRECHT, 'utrecht-zon', A, eur(5_000), '2025-01-10');
    const view = await readSchemeBudgetView(w.ledger.reader(), 'utrecht-zon');
    expect(view.ok && view.value).toMatchObject({
      budgetCents: eur(12_000),
      usedCents: eur(5_000),
      leftCents: eur(7_000),
      grantCount: 1,
      authority: UTRECHT,
    });
    const missing = await readSchemeBudgetView(w.ledger.reader(), 'nope');
    expect(missing.ok || missing.violation.rule).toBe('SCHEME_NOT_FOUND');
  });
});

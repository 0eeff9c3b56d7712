/** The scheme's own terms, with figures: share of cost, maximum per grant and per applicant, budget, owner. */
import { describe, expect, it } from 'vitest';
import {
  type ApplicationRecord,
  type SchemeRecord,
  applyForGrant,
  decideGrant,
  keys,
  maxByShareCents,
  refuseGrant,
  registerScheme,
} from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, at, eur, expectOk, schemeInput } from './fixtures.js';

const A = '12345678';
const B = '23456789';

/** Utrecht's scheme: 50 % of the price, at most EUR 5,000 a grant, EUR 8,000 per applicant, budget EUR 12,000. */
async function world(): Promise<World> {
  const w = new World();
  await w.scheme(UTRECHT, 'utrecht-zon', {
    shareBasisPoints: 5_000,
    maxPerGrantCents: eur(5_000),
    maxPerApplicantCents: eur(8_000),
    budgetCents: eur(12_000),
    deMinimis: null,
  });
  await w.undertaking(A);
  await w.undertaking(B);
  return w;
}

describe('share of the eligible cost and maximum per grant (50 % of the price up to EUR 5,000)', () => {
  it('pays half of an EUR 8,000 price: EUR 4,000.00 is allowed, EUR 4,000.01 refused', async () => {
    const w = await world();
    const over = await w.decide(UTRECHT, 'utrecht-zon', A, eur(4_000) + 1, '2025-01-10', eur(8_000));
    expect(over.outcome.ok).toBe(false);
    if (!over.outcome.ok) {
      expect(over.outcome.violation).toMatchObject({
        rule: 'SHARE_OF_COST',
        figures: { eligibleCostCents: eur(8_000), shareBasisPoints: 5_000, maxAllowedCents: eur(4_000) },
      });
      expect(over.outcome.violation.message).toContain('50.00 % of the eligible cost EUR 8,000.00');
    }
    expect((await w.decide(UTRECHT, 'utrecht-zon', A, eur(4_000), '2025-01-10', eur(8_000))).code).toBe(
      'VALID',
    );
  });

  it('caps at EUR 5,000 even when half the price is more', async () => {
    const w = await world();
    const over = await w.decide(UTRECHT, 'utrecht-zon', A, eur(5_000) + 1, '2025-01-10', eur(12_000));
    expect(over.outcome.ok || over.outcome.violation).toMatchObject({
      rule: 'MAX_PER_GRANT',
      figures: { limitCents: eur(5_000), requestedCents: eur(5_000) + 1 },
    });
    expect((await w.decide(UTRECHT, 'utrecht-zon', A, eur(5_000), '2025-01-10', eur(12_000))).code).toBe(
      'VALID',
    );
  });

  it('rounds the share down to the cent and stays exact for large costs', () => {
    expect(maxByShareCents(333, 5_000)).toBe(166);
    expect(maxByShareCents(Number.MAX_SAFE_INTEGER, 10_000)).toBe(Number.MAX_SAFE_INTEGER);
    expect(maxByShareCents(Number.MAX_SAFE_INTEGER, 3_333)).toBe(
      Number((BigInt(Number.MAX_SAFE_INTEGER) * 3333n) / 10000n),
    );
  });
});

describe('maximum per applicant and budget', () => {
  it('refuses an applicant past EUR 8,000 under the scheme', async () => {
    const w = await world();
    await w.grant(UTRECHT, 'utrecht-zon', A, eur(5_000), '2025-01-10');
    const over = await w.decide(UTRECHT, 'utrecht-zon', A, eur(3_000) + 1, '2025-02-10');
    expect(over.outcome.ok || over.outcome.violation).toMatchObject({
      rule: 'MAX_PER_APPLICANT',
      figures: { limitCents: eur(8_000), usedCents: eur(5_000), leftCents: eur(3_000) },
    });
    await w.grant(UTRECHT, 'utrecht-zon', A, eur(3_000), '2025-02-10');
  });

  it('never exceeds the budget of EUR 12,000', async () => {
    const w = await world();
    await w.grant(UTRECHT, 'utrecht-zon', A, eur(5_000), '2025-01-10');
    await w.grant(UTRECHT, 'utrecht-zon', B, eur(5_000), '2025-01-10');
    await w.grant(UTRECHT, 'utrecht-zon', A, eur(1_000), '2025-01-11');
    const over = await w.decide(UTRECHT, 'utrecht-zon', B, eur(1_000) + 1, '2025-01-11');
    expect(over.outcome.ok || over.outcome.violation).toMatchObject({
      rule: 'SCHEME_BUDGET',
      figures: { limitCents: eur(12_000), usedCents: eur(11_000), leftCents: eur(1_000) },
    });
    await w.grant(UTRECHT, 'utrecht-zon', B, eur(1_000), '2025-01-11');
    expect(w.value<SchemeRecord>(keys.scheme('utrecht-zon'))).toMatchObject({
      grantedCents: eur(12_000),
      grantCount: 4,
    });
  });

  it('only the scheme authority decides: a member of another municipality cannot', async () => {
    const w = await world();
    const other = await w.decide(AMSTERDAM, 'utrecht-zon', A, eur(100), '2025-01-10');
    expect(other.outcome.ok || other.outcome.violation).toMatchObject({
      rule: 'NOT_SCHEME_OWNER',
      figures: { expectedMspId: UTRECHT, actualMspId: AMSTERDAM },
    });
  });

  it('refuses unknown schemes and unregistered undertakings', async () => {
    const w = await world();
    const noScheme = await w.decide(UTRECHT, 'nope', A, eur(1), '2025-01-10');
    expect(noScheme.outcome.ok || noScheme.outcome.violation.rule).toBe('SCHEME_NOT_FOUND');
    const noUndertaking = await w.decide(UTRECHT, 'utrecht-zon', '99999999', eur(1), '2025-01-10');
    expect(noUndertaking.outcome.ok || noUndertaking.outcome.violation.rule).toBe('UNDERTAKING_NOT_FOUND');
  });
});

describe('applications', () => {
  it('an application is granted once, or refused with its rule', async () => {
    const w = await world();
    const apply = (id: string, kvk: string) =>
      w.must(UTRECHT, at('2025-01-05'), (ctx) =>
        applyForGrant(ctx, {
          applicationId: id,
          schemeId: 'utrecht-zon',
          kvk,
          requestedCents: eur(4_000),
          eligibleCostCents: eur(8_000),
        }),
      );
    await apply('app-1', A);
    await apply('app-2', B);
    const decision = await w.must(UTRECHT, at('2025-01-10'), (ctx) =>
      decideGrant(ctx, {
        schemeId: 'utrecht-zon',
        kvk: A,
        amountCents: eur(4_000),
        eligibleCostCents: eur(8_000),
        applicationId: 'app-1',
      }),
    );
    expect(decision.application).toMatchObject({ status: 'GRANTED', grantId: 'utrecht-zon/1' });
    const again = await w.decide(UTRECHT, 'utrecht-zon', A, eur(1), '2025-01-11');
    expect(again.code).toBe('VALID');
    const twice = await w.ledger.run(UTRECHT, at('2025-01-12'), (ctx) =>
      decideGrant(ctx, {
        schemeId: 'utrecht-zon',
        kvk: A,
        amountCents: eur(1),
        eligibleCostCents: eur(2),
        applicationId: 'app-1',
      }),
    );
    expect(twice.outcome.ok || twice.outcome.violation.rule).toBe('APPLICATION_MISMATCH');
    const wrongKvk = await w.ledger.run(UTRECHT, at('2025-01-12'), (ctx) =>
      decideGrant(ctx, {
        schemeId: 'utrecht-zon',
        kvk: A,
        amountCents: eur(1),
        eligibleCostCents: eur(2),
        applicationId: 'app-2',
      }),
    );
    expect(wrongKvk.outcome.ok || wrongKvk.outcome.violation.rule).toBe('APPLICATION_MISMATCH');
    await w.must(UTRECHT, at('2025-01-13'), (ctx) =>
      refuseGrant(ctx, {
        schemeId: 'utrecht-zon',
        applicationId: 'app-2',
        rule: 'DISCRETIONARY',
        message: 'not a solar installation',
      }),
    );
    expect(w.value<ApplicationRecord>(keys.application('utrecht-zon', 'app-2'))).toMatchObject({
      status: 'REFUSED',
      refusal: { rule: 'DISCRETIONARY', message: 'not a solar installation' },
    });
  });

  it('registers a scheme once, owned by its caller', async () => {
    const w = new World();
    const first = await w.must(RVO, at('2025-01-01'), (ctx) => registerScheme(ctx, schemeInput('rvo-x')));
    expect(first).toMatchObject({
      authority: RVO,
      grantedCents: 0,
      grantCount: 0,
      registeredAt: at('2025-01-01'),
    });
    const again = await w.ledger.run(UTRECHT, at('2025-01-02'), (ctx) =>
      registerScheme(ctx, schemeInput('rvo-x')),
    );
    expect(again.outcome.ok || again.outcome.violation.rule).toBe('ALREADY_EXISTS');
    expect(expectOk({ ok: true, value: 1 })).toBe(1);
  });
});

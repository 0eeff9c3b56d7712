/**
 * The de minimis ceilings with figures: EUR 300,000 per single undertaking over any rolling period
 * of three years, by grant date, across all authorities (Regulation (EU) 2023/2831 Art. 3).
 */
import { describe, expect, it } from 'vitest';
import {
  type AidRegister,
  type GrantRecord,
  keys,
  recordPayment,
  recordRecovery,
} from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, eur, expectOk } from './fixtures.js';

const A = '12345678';
const B = '23456789';
const C = '34567890';

const world = (): Promise<World> => World.withThreeAuthorities([A, B, C]);

describe('general ceiling EUR 300,000 (Art. 3(2), 3(7))', () => {
  it('allows a grant that reaches the ceiling exactly', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(200_000), '2025-01-10');
    const { outcome, code } = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(100_000), '2025-06-01');
    expect(expectOk(outcome).deMinimisLeftCents).toBe(0);
    expect(code).toBe('VALID');
  });

  it('refuses one cent over, entirely, naming the rule and the figures, and writes nothing', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(200_000), '2025-01-10');
    const before = w.ledger.version(keys.aidRegister(A));
    const { outcome, code } = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(100_000) + 1, '2025-06-01');
    expect(code).toBeNull();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.violation.rule).toBe('DE_MINIMIS_CEILING');
    expect(outcome.violation.article).toContain('2023/2831 Art. 3(2)');
    expect(outcome.violation.figures).toMatchObject({
      ceilingCents: eur(300_000),
      alreadyGrantedInWindowCents: eur(200_000),
      requestedCents: eur(100_000) + 1,
      leftCents: eur(100_000),
      windowFrom: '2022-06-02',
      windowTo: '2025-06-01',
      groupMembers: [A],
      ceilingRule: 'GENERAL',
    });
    expect(outcome.violation.message).toContain('EUR 300,000.00');
    expect(w.ledger.version(keys.aidRegister(A))).toBe(before);
    expect(w.value<GrantRecord>(keys.grant('utrecht-mkb/1'))).toBeUndefined();
  });

  it('adds up grants from three authorities', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(120_000), '2024-03-01');
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(90_000), '2024-09-01');
    const refused = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(90_001), '2025-02-01');
    expect(refused.outcome.ok || refused.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(
      eur(210_000),
    );
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(90_000), '2025-02-01');
  });

  it('counts other undertakings separately', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2025-01-10');
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(300_000), '2025-01-10');
  });
});

describe('rolling three-year window by grant date (Art. 3(2), 3(3))', () => {
  it('a grant exactly three years old no longer counts; one a day younger does', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2024-03-15');
    // The window ending 2027-03-14 runs from 2024-03-15: the old grant fills it.
    const dayBefore = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(1), '2027-03-14');
    expect(dayBefore.outcome.ok).toBe(false);
    // The window ending 2027-03-15 runs from 2024-03-16: three years to the day, the grant is out.
    const exactly = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(300_000), '2027-03-15');
    expect(exactly.code).toBe('VALID');
  });

  it('a grant three years and one day old does not count', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2024-03-15');
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(300_000), '2027-03-16')).code).toBe('VALID');
  });

  it('handles 29 February: the window ending 2027-02-28 still holds a grant of 2024-02-29', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2024-02-29');
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(1), '2027-02-28')).outcome.ok).toBe(false);
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(300_000), '2027-03-01')).code).toBe('VALID');
  });

  it('counts by grant date, not payment date: a late payment does not move the grant into the window', async () => {
    const w = await world();
    const old = await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2022-01-10');
    await w.must(RVO, '2025-02-01T09:00:00.000Z', (ctx) =>
      recordPayment(ctx, { grantId: old, amountCents: eur(300_000) }),
    );
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(300_000), '2025-02-01')).code).toBe('VALID');
  });

  it('a grant decided with an earlier time than one already committed is checked against every window it falls in', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(200_000), '2022-06-01');
    // The window ending 2025-06-05 starts 2022-06-06: the 2022 grant is out, 250k fits.
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(250_000), '2025-06-05');
    // A decision dated 2025-05-25 (committed later): the window ending on its own date holds 200k,
    // so 60k would fit there, but the window ending 2025-06-05 would hold 250k + 60k.
    const late = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(60_000), '2025-05-25');
    expect(late.outcome.ok).toBe(false);
    if (late.outcome.ok) return;
    expect(late.outcome.violation.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(250_000),
      windowFrom: '2022-06-06',
      windowTo: '2025-06-05',
    });
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(50_000), '2025-05-25')).code).toBe('VALID');
  });
});

describe('single undertaking (Art. 2(2))', () => {
  it('a parent and its subsidiary add up, from either side', async () => {
    const w = await world();
    await w.link(A, B);
    await w.grant(RVO, 'rvo-innovatie', A, eur(250_000), '2025-01-10');
    const child = await w.decide(UTRECHT, 'utrecht-mkb', B, eur(50_001), '2025-02-10');
    expect(child.outcome.ok).toBe(false);
    if (!child.outcome.ok) expect(child.outcome.violation.figures.groupMembers).toEqual([A, B]);
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(50_000), '2025-02-10');
    expect((await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(1), '2025-03-10')).outcome.ok).toBe(false);
  });

  it.each(['VOTING_MAJORITY', 'BOARD_MAJORITY', 'DOMINANT_INFLUENCE', 'VOTING_AGREEMENT'] as const)(
    'links through %s',
    async (basis) => {
      const w = await world();
      await w.link(A, B, basis);
      await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2025-01-10');
      expect((await w.decide(UTRECHT, 'utrecht-mkb', B, eur(1), '2025-01-11')).outcome.ok).toBe(false);
    },
  );

  it('sister companies under one parent are one single undertaking (through another undertaking)', async () => {
    const w = await world();
    await w.link(A, B);
    await w.link(A, C);
    await w.grant(RVO, 'rvo-innovatie', B, eur(200_000), '2025-01-10');
    const sister = await w.decide(UTRECHT, 'utrecht-mkb', C, eur(100_001), '2025-01-11');
    expect(sister.outcome.ok).toBe(false);
    if (!sister.outcome.ok) expect(sister.outcome.violation.figures.groupMembers).toEqual([A, B, C]);
  });

  it('undertakings linked only through a public body stay separate (recital 4)', async () => {
    const w = await world();
    const municipality = '45678901';
    await w.undertaking(municipality, { publicBody: true });
    await w.link(municipality, A);
    await w.link(municipality, B);
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2025-01-10');
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(300_000), '2025-01-10');
  });

  it('after a merger the histories add up (Art. 3(8)); the merged undertaking receives nothing new', async () => {
    const w = await world();
    const { recordMerger } = await import('../../src/domain/index.js');
    await w.grant(RVO, 'rvo-innovatie', A, eur(180_000), '2024-05-01');
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(100_000), '2024-06-01');
    await w.must(RVO, '2025-01-01T08:00:00.000Z', (ctx) =>
      recordMerger(ctx, { survivingKvk: A, mergedKvks: [B], effectiveDate: '2025-01-01' }),
    );
    const after = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(20_001), '2025-03-01');
    expect(after.outcome.ok).toBe(false);
    if (!after.outcome.ok)
      expect(after.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(eur(280_000));
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(20_000), '2025-03-01');
    const ceased = await w.decide(AMSTERDAM, 'amsterdam-mkb', B, eur(1), '2025-03-02');
    expect(ceased.outcome.ok || ceased.outcome.violation.rule).toBe('UNDERTAKING_CEASED');
  });

  it('once control ends, the former parent no longer counts', async () => {
    const w = await world();
    const { unlinkUndertakings } = await import('../../src/domain/index.js');
    await w.link(A, B);
    await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2025-01-10');
    await w.must(RVO, '2025-02-01T08:00:00.000Z', (ctx) =>
      unlinkUndertakings(ctx, { parentKvk: A, childKvk: B, until: '2025-01-31' }),
    );
    expect((await w.decide(UTRECHT, 'utrecht-mkb', B, eur(300_000), '2025-02-02')).code).toBe('VALID');
  });
});

describe('sector and SGEI ceilings and cumulation (Art. 5)', () => {
  async function sectors(): Promise<World> {
    const w = await world();
    await w.deMinimisScheme(RVO, 'rvo-sgei', 'SGEI');
    await w.deMinimisScheme(RVO, 'rvo-landbouw', 'AGRICULTURE');
    await w.deMinimisScheme(RVO, 'rvo-visserij', 'FISHERIES');
    return w;
  }

  it('SGEI aid goes up to EUR 750,000, counting the general aid with it', async () => {
    const w = await sectors();
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(200_000), '2025-01-10');
    await w.grant(RVO, 'rvo-sgei', A, eur(550_000), '2025-02-10');
    const over = await w.decide(RVO, 'rvo-sgei', A, eur(1), '2025-02-11');
    expect(over.outcome.ok || over.outcome.violation.figures).toMatchObject({
      ceilingCents: eur(750_000),
      alreadyGrantedInWindowCents: eur(750_000),
      ceilingRule: 'SGEI',
    });
  });

  it('the general EUR 300,000 stays binding for general aid next to SGEI aid', async () => {
    const w = await sectors();
    await w.grant(RVO, 'rvo-sgei', A, eur(400_000), '2025-01-10');
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(300_000), '2025-01-11');
    const general = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(1), '2025-01-12');
    expect(general.outcome.ok || general.outcome.violation.figures.ceilingRule).toBe('GENERAL');
    // And the total: 700k of 750k used, so 50k of SGEI aid is left, not more.
    expect((await w.decide(RVO, 'rvo-sgei', A, eur(50_001), '2025-01-12')).outcome.ok).toBe(false);
    await w.grant(RVO, 'rvo-sgei', A, eur(50_000), '2025-01-12');
  });

  it('general aid after SGEI aid is bounded by the SGEI ceiling for the total', async () => {
    const w = await sectors();
    await w.grant(RVO, 'rvo-sgei', A, eur(700_000), '2025-01-10');
    const general = await w.decide(UTRECHT, 'utrecht-mkb', A, eur(50_001), '2025-01-11');
    expect(general.outcome.ok || general.outcome.violation.figures.ceilingRule).toBe('GENERAL_WITH_SGEI');
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(50_000), '2025-01-11');
  });

  it('agriculture: EUR 50,000 of its own, and the general ceiling binds the total', async () => {
    const w = await sectors();
    await w.grant(RVO, 'rvo-landbouw', A, eur(50_000), '2025-01-10');
    const agri = await w.decide(RVO, 'rvo-landbouw', A, eur(1), '2025-01-11');
    expect(agri.outcome.ok || agri.outcome.violation.figures).toMatchObject({
      ceilingCents: eur(50_000),
      ceilingRule: 'AGRICULTURE',
    });
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(250_000), '2025-01-11');
    const general = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(1), '2025-01-12');
    expect(general.outcome.ok || general.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(
      eur(300_000),
    );
  });

  it('agriculture aid is refused when general aid leaves less than its own ceiling under EUR 300,000', async () => {
    const w = await sectors();
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(280_000), '2025-01-10');
    const agri = await w.decide(RVO, 'rvo-landbouw', A, eur(20_001), '2025-01-11');
    expect(agri.outcome.ok || agri.outcome.violation.figures.ceilingRule).toBe('AGRICULTURE_WITH_GENERAL');
    await w.grant(RVO, 'rvo-landbouw', A, eur(20_000), '2025-01-11');
  });

  it('fisheries: EUR 40,000, counting agriculture aid with it', async () => {
    const w = await sectors();
    await w.grant(RVO, 'rvo-visserij', A, eur(40_000), '2025-01-10');
    expect((await w.decide(RVO, 'rvo-visserij', A, eur(1), '2025-01-11')).outcome.ok).toBe(false);
    await w.grant(RVO, 'rvo-landbouw', B, eur(30_000), '2025-01-10');
    const fish = await w.decide(RVO, 'rvo-visserij', B, eur(10_001), '2025-01-11');
    expect(fish.outcome.ok || fish.outcome.violation.figures).toMatchObject({
      ceilingRule: 'FISHERIES_WITH_AGRICULTURE',
      alreadyGrantedInWindowCents: eur(30_000),
    });
    await w.grant(RVO, 'rvo-visserij', B, eur(10_000), '2025-01-11');
  });
});

describe('recoveries', () => {
  it('a recovery that withdraws the right frees ceiling room and budget; a plain repayment does not', async () => {
    const w = await world();
    const id = await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2025-01-10');
    await w.must(RVO, '2025-02-01T08:00:00.000Z', (ctx) =>
      recordPayment(ctx, { grantId: id, amountCents: eur(300_000) }),
    );
    await w.must(RVO, '2025-03-01T08:00:00.000Z', (ctx) =>
      recordRecovery(ctx, {
        grantId: id,
        amountCents: eur(50_000),
        rightWithdrawn: false,
        reason: 'set-off',
      }),
    );
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(1), '2025-03-02')).outcome.ok).toBe(false);
    await w.must(RVO, '2025-04-01T08:00:00.000Z', (ctx) =>
      recordRecovery(ctx, {
        grantId: id,
        amountCents: eur(100_000),
        rightWithdrawn: true,
        reason: 'lower final determination',
      }),
    );
    const register = w.value<AidRegister>(keys.aidRegister(A))!;
    expect(register.entries[0]).toMatchObject({ grantedCents: eur(300_000), withdrawnCents: eur(100_000) });
    expect(w.value<{ grantedCents: number }>(keys.scheme('rvo-innovatie'))!.grantedCents).toBe(eur(200_000));
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(100_000), '2025-04-02');
    expect((await w.decide(UTRECHT, 'utrecht-mkb', A, eur(1), '2025-04-03')).outcome.ok).toBe(false);
  });
});

/**
 * Worked cases from public de minimis guidance, run against the pure rules (`checkDeMinimisCeiling`,
 * `roomLeft`, `windowEndingOn`) and, where the case needs a single undertaking, a merger or a split,
 * against `decideGrant` over the MemoryLedger. Each case names its source; the figures and dates
 * are ours, built to show the point the source makes. Where a source predates Regulation (EU)
 * 2023/2831 (fiscal years, EUR 200,000) or gives an outdated sector figure, the case says what the
 * 2023 rules make of it; docs/subsidies.md, "Reading of the regulations", gives the readings.
 */
import { describe, expect, it } from 'vitest';
import {
  type AidKind,
  type CountedAid,
  type RuleViolation,
  checkDeMinimisCeiling,
  recordMerger,
  recordSplit,
  roomLeft,
  windowEndingOn,
} from '../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, at, eur } from './domain/fixtures.js';

const A = '12345678';
const B = '23456789';
const C = '34567890';
const H = '45678901';

/** A counted de minimis grant to `kvk` (A by default) for the pure check. */
function aid(grantDate: string, euros: number, aidKind: AidKind = 'GENERAL', kvk = A): CountedAid {
  return { kvk, grantId: `s/${grantDate}/${euros}`, grantDate, countedCents: eur(euros), aidKind };
}

function check(
  prior: readonly CountedAid[],
  grantDate: string,
  euros: number,
  kind: AidKind = 'GENERAL',
): RuleViolation | null {
  return checkDeMinimisCeiling({
    aid: prior,
    kind,
    requestedCents: eur(euros),
    grantDate,
    groupMembers: [A],
  });
}

async function world(): Promise<World> {
  const w = await World.withThreeAuthorities([A, B, C, H]);
  await w.deMinimisScheme(RVO, 'rvo-sgei', 'SGEI');
  await w.deMinimisScheme(RVO, 'rvo-landbouw', 'AGRICULTURE');
  await w.deMinimisScheme(RVO, 'rvo-visserij', 'FISHERIES');
  return w;
}

describe('rolling three-year window by grant date (2023/2831 Art. 3(2), 3(3))', () => {
  // https://www.upphandlingsmyndigheten.se/frageportalen/2927014/stod-av-mindre-betydelse-berakning-av-tre-ar/
  // (Swedish Public Procurement Agency, Q&A of 11 January 2024): under 2023/2831 the period is no
  // longer three fiscal years; it runs from the moment the legal right to the aid is conferred.
  // Case: EUR 300,000 granted on 5 January 2022. Under fiscal years a decision on 3 January 2025
  // would look at 2023-2025 only and find room; under the rolling window the 2022 grant still
  // counts (window 2022-01-04 to 2025-01-03): refused. On 6 January 2025 it has dropped out.
  it('Upphandlingsmyndigheten: three years back from the decision, not three fiscal years', () => {
    const prior = [aid('2022-01-05', 300_000)];
    expect(check(prior, '2025-01-03', 1)?.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(300_000),
      windowFrom: '2022-01-04',
      windowTo: '2025-01-03',
      leftCents: 0,
    });
    expect(check(prior, '2025-01-06', 300_000)).toBeNull();
  });

  // https://academy.epmconsultancy.eu/product/de-minimis-aid-explained/ (EPM de minimis quiz, Q7):
  // EUR 10,000 granted in October 2019 and EUR 150,000 in January 2022, a new decision on
  // 1 February 2022, fiscal year = calendar year. Under 1407/2013's fiscal years only the 2022 aid
  // (and 2020-2021) counts: EUR 150,000. Under 2023/2831's rolling window (from 2019-02-02) both
  // count: EUR 160,000, leaving EUR 140,000 of the EUR 300,000.
  it('EPM quiz: October 2019 aid still counts for a decision of 1 February 2022 on the rolling window', () => {
    const prior = [aid('2019-10-15', 10_000), aid('2022-01-20', 150_000)];
    expect(roomLeft(prior, 'GENERAL', '2022-02-01')).toBe(eur(140_000));
    expect(check(prior, '2022-02-01', 140_000)).toBeNull();
    expect(check(prior, '2022-02-01', 140_000.01)?.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(160_000),
      requestedCents: eur(140_000.01),
      leftCents: eur(140_000),
      windowFrom: '2019-02-02',
    });
  });

  // https://vlaio.be/nl/begeleiding-advies/financiering/overheidsmaatregelen/veelgestelde-vragen-de-minimis
  // (Flanders Innovation & Entrepreneurship FAQ): the undertaking declares that it received no
  // more than EUR 300,000 of de minimis aid over the last three years "at the moment the new aid
  // is granted". Case: EUR 200,000 granted on 1 March 2022. A grant of EUR 150,000 decided on
  // 28 February 2025 (window from 2022-03-01) is refused; decided on 1 March 2025, three years to
  // the day later (window from 2022-03-02), the 2022 aid is out and it fits.
  it('VLAIO: the last three years at the moment of the new grant, to the day', () => {
    const prior = [aid('2022-03-01', 200_000)];
    expect(windowEndingOn('2025-02-28')).toEqual({ from: '2022-03-01', to: '2025-02-28' });
    expect(check(prior, '2025-02-28', 150_000)?.rule).toBe('DE_MINIMIS_CEILING');
    expect(windowEndingOn('2025-03-01')).toEqual({ from: '2022-03-02', to: '2025-03-01' });
    expect(check(prior, '2025-03-01', 150_000)).toBeNull();
  });

  // Same VLAIO FAQ, with a leap day. Aid of 29 February 2024 counts in every window that ends
  // on or before 28 February 2027 (the three-year period from 29 February ends on the last day of
  // February, Regulation 1182/71 Art. 3(2)(c)), and no longer from 1 March 2027.
  it('VLAIO with a leap day: aid of 29 February 2024 counts up to and including 28 February 2027', () => {
    const prior = [aid('2024-02-29', 300_000)];
    expect(windowEndingOn('2027-02-28').from).toBe('2024-02-29');
    expect(check(prior, '2027-02-28', 0.01)?.figures.alreadyGrantedInWindowCents).toBe(eur(300_000));
    expect(windowEndingOn('2027-03-01').from).toBe('2024-03-02');
    expect(check(prior, '2027-03-01', 300_000)).toBeNull();
    // And a window ending on a leap day is one of three years of days as well: 2025-03-01 .. 2028-02-29.
    expect(windowEndingOn('2028-02-29')).toEqual({ from: '2025-03-01', to: '2028-02-29' });
    expect(check([aid('2025-02-28', 300_000)], '2028-02-29', 300_000)).toBeNull();
    expect(check([aid('2025-03-01', 300_000)], '2028-02-29', 0.01)).not.toBeNull();
  });

  // https://www.mdcstiakakis.gr/en/ask-for-our-help-87/questions-answers-548/subsidised-programs-634/de-minimis-regulation-635/what-are-the-characteristics-of-de-minimis-636
  // (Greek consultancy Q&A, item 2): the three years are determined by the date of approval of the
  // aid, not by the date the money is disbursed. Case: EUR 300,000 approved on 10 January 2022 and
  // paid in full on 1 February 2025: a new EUR 300,000 on 1 February 2025 fits (the payment does not
  // bring the 2022 approval into the window); a grant approved on 1 February 2025 and not yet paid
  // fills the ceiling for the rest of the window.
  it('Stiakakis Q&A: the approval date counts, not the payment date', async () => {
    const w = await world();
    const { recordPayment } = await import('../src/domain/index.js');
    const old = await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2022-01-10');
    await w.must(RVO, at('2025-02-01'), (ctx) =>
      recordPayment(ctx, { grantId: old, amountCents: eur(300_000) }),
    );
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(300_000), '2025-02-01'); // approved, nothing paid
    const next = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(1), '2027-12-31');
    expect(next.outcome.ok || next.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(eur(300_000));
  });

  // https://www.economy-ni.gov.uk/articles/de-minimis-aid (Department for the Economy, Northern
  // Ireland): before granting, ensure the award does not breach the ceiling "over any period of 3
  // years" (Art. 3(2)). Case: EUR 200,000 on 1 June 2022 and EUR 250,000 on 5 June 2025 (by then
  // the 2022 grant was out). A decision dated 25 May 2025 but committed after the June grant would
  // fit the window ending on its own date (EUR 100,000 left), yet the three-year period ending
  // 5 June 2025 would hold 250,000 + 60,000: refused, naming that period.
  it('DfE NI: any period of three years, also one ending on a later grant', () => {
    const prior = [aid('2022-06-01', 200_000), aid('2025-06-05', 250_000)];
    expect(check(prior, '2025-05-25', 60_000)?.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(250_000),
      leftCents: eur(50_000),
      windowFrom: '2022-06-06',
      windowTo: '2025-06-05',
    });
    expect(check(prior, '2025-05-25', 50_000)).toBeNull();
  });
});

describe('a grant that would exceed is refused entirely (2023/2831 Art. 3(7))', () => {
  // https://www.legislation.gov.uk/eur/2006/1998/article/2 (Art. 2(2) of the former Regulation
  // 1998/2006, kept as Art. 3(7) of 2023/2831): aid that would exceed the ceiling cannot benefit
  // even for the fraction within it. Case (the figures of docs/subsidies.md): EUR 250,000 granted
  // by two authorities, EUR 60,000 asked of a third: the whole EUR 60,000 is refused (not cut to
  // EUR 50,000), the refusal names the rule, the article and the figures; EUR 50,000 then fits.
  it('legislation.gov.uk 1998/2006 Art. 2(2): no fraction of an over-ceiling grant', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(150_000), '2024-09-01');
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(100_000), '2025-01-15');
    const { outcome, code } = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(60_000), '2025-06-01');
    expect(code).toBeNull();
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.violation.rule).toBe('DE_MINIMIS_CEILING');
    expect(outcome.violation.article).toContain('2023/2831 Art. 3(2)');
    expect(outcome.violation.figures).toMatchObject({
      ceilingCents: eur(300_000),
      alreadyGrantedInWindowCents: eur(250_000),
      requestedCents: eur(60_000),
      leftCents: eur(50_000),
      ceilingRule: 'GENERAL',
    });
    expect(outcome.violation.message).toContain('refused entirely (Art. 3(7))');
    expect(outcome.violation.message).toContain('EUR 50,000.00 left');
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(50_000), '2025-06-01');
  });
});

describe('single undertaking (2023/2831 Art. 2(2))', () => {
  // https://crossbordertradehub.intertradeireland.com/de-minimis-aid-for-businesses-in-ireland-and-northern-ireland-understanding-your-obligations
  // (InterTradeIreland): EUR 300,000 per single undertaking over any rolling three-year period,
  // whoever grants it. Case: a parent with a voting majority in its subsidiary; RVO grants the
  // parent EUR 120,000, Utrecht the subsidiary EUR 100,000; Amsterdam can grant either of them at
  // most EUR 80,000 more.
  it('InterTradeIreland: parent and subsidiary (voting majority) share one ceiling across authorities', async () => {
    const w = await world();
    await w.link(A, B, 'VOTING_MAJORITY');
    await w.grant(RVO, 'rvo-innovatie', A, eur(120_000), '2024-10-01');
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(100_000), '2025-01-10');
    const over = await w.decide(AMSTERDAM, 'amsterdam-mkb', B, eur(80_001), '2025-02-01');
    expect(over.outcome.ok || over.outcome.violation.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(220_000),
      leftCents: eur(80_000),
      groupMembers: [A, B],
    });
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(80_000), '2025-02-01');
  });

  // https://docest.com/questions-on-deminimis-aid-and-the-application-of-regulation-eu-no1407-2013
  // (Commission (COMP) answers to Member States on 1407/2013, whose Art. 2(2) 2023/2831 repeats):
  // undertakings linked through a holding company are one single undertaking even when the holding
  // has no economic activity of its own. Case: holding H appoints the board majority of A and holds
  // the voting majority of B; A received EUR 250,000, so B (a sister, linked only through H) has
  // EUR 50,000 left.
  it('COMP Q&A: sisters under a holding without activity of its own (board majority, voting majority)', async () => {
    const w = await world();
    await w.link(H, A, 'BOARD_MAJORITY');
    await w.link(H, B, 'VOTING_MAJORITY');
    await w.grant(RVO, 'rvo-innovatie', A, eur(250_000), '2025-01-10');
    const sister = await w.decide(UTRECHT, 'utrecht-mkb', B, eur(50_001), '2025-02-01');
    expect(sister.outcome.ok || sister.outcome.violation.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(250_000),
      groupMembers: [A, B, H],
    });
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(50_000), '2025-02-01');
  });
});

describe('mergers and splits (2023/2831 Art. 3(8), 3(9))', () => {
  // https://www.irde.it/news-e-circolari/aiuti-ldquo-de-minimis-rdquo-come-gestire-il-plafond
  // (Italian advisers' circular): in a merger or acquisition all de minimis aid of the undertakings
  // involved is added up for new aid to the new or acquiring undertaking. Case: A (EUR 180,000)
  // absorbs B (EUR 100,000); new aid to A: EUR 20,000 fits, one cent more does not; B, merged away,
  // receives nothing new.
  it('IRDE: the acquiring undertaking carries the merged histories', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(180_000), '2024-05-01');
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(100_000), '2024-06-01');
    await w.must(RVO, at('2025-01-01'), (ctx) =>
      recordMerger(ctx, { survivingKvk: A, mergedKvks: [B], effectiveDate: '2025-01-01' }),
    );
    const over = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(20_000) + 1, '2025-03-01');
    expect(over.outcome.ok || over.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(eur(280_000));
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(20_000), '2025-03-01');
    const ceased = await w.decide(AMSTERDAM, 'amsterdam-mkb', B, eur(1), '2025-03-02');
    expect(ceased.outcome.ok || ceased.outcome.violation.rule).toBe('UNDERTAKING_CEASED');
  });

  // https://ntplusfisco.ilsole24ore.com/art/autodichiarazione-aiuti-covid-modelli-moltiplicati-la-riorganizzazione-AE94t2HC
  // (Il Sole 24 Ore on the Italian revenue agency's FAQ, citing Art. 3(8) of 1407/2013): A and B
  // merge into a new company C; C's ceiling counts the aid of both. Case: A EUR 120,000, B
  // EUR 150,000, C newly registered: C has EUR 30,000 left; aid lawfully granted before stays.
  it('Il Sole 24 Ore: a merger into a new undertaking adds both histories', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(120_000), '2024-03-01');
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(150_000), '2024-04-01');
    await w.must(RVO, at('2025-01-01'), (ctx) =>
      recordMerger(ctx, { survivingKvk: C, mergedKvks: [A, B], effectiveDate: '2025-01-01' }),
    );
    const over = await w.decide(AMSTERDAM, 'amsterdam-mkb', C, eur(30_001), '2025-02-01');
    expect(over.outcome.ok || over.outcome.violation.figures).toMatchObject({
      alreadyGrantedInWindowCents: eur(270_000),
      groupMembers: [A, B, C],
    });
    await w.grant(AMSTERDAM, 'amsterdam-mkb', C, eur(30_000), '2025-02-01');
  });

  // Same IRDE circular, and Art. 3(9): on a split, aid goes to the undertaking that took over the
  // activities it was used for, or else in proportion to the book value of the new undertakings'
  // equity. Case: A (EUR 200,000 in one grant, activity not separable) splits into B and C with
  // equity 70 % / 30 %: B counts EUR 140,000, C EUR 60,000; A ceases.
  it('IRDE: a split by equity 70/30 allocates EUR 140,000 and EUR 60,000', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-innovatie', A, eur(200_000), '2024-05-01');
    await w.must(RVO, at('2025-01-01'), (ctx) =>
      recordSplit(ctx, {
        sourceKvk: A,
        successors: [B, C],
        effectiveDate: '2025-01-01',
        byEquity: [
          { kvk: B, basisPoints: 7_000 },
          { kvk: C, basisPoints: 3_000 },
        ],
      }),
    );
    const toB = await w.decide(UTRECHT, 'utrecht-mkb', B, eur(160_001), '2025-02-01');
    expect(toB.outcome.ok || toB.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(eur(140_000));
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(160_000), '2025-02-01');
    const toC = await w.decide(UTRECHT, 'utrecht-mkb', C, eur(240_001), '2025-02-01');
    expect(toC.outcome.ok || toC.outcome.violation.figures.alreadyGrantedInWindowCents).toBe(eur(60_000));
    await w.grant(UTRECHT, 'utrecht-mkb', C, eur(240_000), '2025-02-01');
    const ceased = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(1), '2025-02-02');
    expect(ceased.outcome.ok || ceased.outcome.violation.rule).toBe('UNDERTAKING_CEASED');
  });

  // https://docest.com/questions-on-deminimis-aid-and-the-application-of-regulation-eu-no1407-2013
  // (COMP answer 1): aid allocated on a split is registered to the new undertaking as of its
  // original granting date, not the date of the split. Case: A received EUR 300,000 on 1 April
  // 2022 for activity X and splits on 1 January 2025, X going to B. B is full until 31 March 2025
  // and gets its room back three years after the original grant, not three years after the split.
  it("COMP Q&A: split aid keeps its original grant date in the successor's window", async () => {
    const w = await world();
    const x = await w.grant(RVO, 'rvo-innovatie', A, eur(300_000), '2022-04-01');
    await w.must(RVO, at('2025-01-01'), (ctx) =>
      recordSplit(ctx, {
        sourceKvk: A,
        successors: [B, C],
        effectiveDate: '2025-01-01',
        byGrant: [{ grantId: x, kvk: B }],
      }),
    );
    expect((await w.decide(UTRECHT, 'utrecht-mkb', B, eur(1), '2025-03-31')).outcome.ok).toBe(false);
    await w.grant(UTRECHT, 'utrecht-mkb', B, eur(300_000), '2025-04-01');
    await w.grant(UTRECHT, 'utrecht-mkb', C, eur(300_000), '2025-01-02');
  });
});

describe('SGEI and sector ceilings (2023/2832; 1408/2013; 717/2014)', () => {
  // https://europadecentraal.nl/praktijkvraag/mag-een-onderneming-bovenop-daeb-de-minimissteun-reguliere-de-minimissteun-ontvangen/
  // (Europa decentraal, the Dutch government's knowledge centre for decentralised authorities):
  // general de minimis aid may be granted on top of SGEI de minimis aid as long as the SGEI ceiling
  // is respected (the page predates 2024 and used EUR 500,000; now EUR 750,000). Case: SGEI aid
  // EUR 500,000, then general aid EUR 250,000 fits (total EUR 750,000); one cent more is refused on
  // the SGEI ceiling for the total. Pels Rijcken reads the 2024 rules as allowing EUR 1,050,000
  // together; we keep the combined reading (docs/subsidies.md, point 1).
  it('Europa decentraal: general aid on top of SGEI aid up to EUR 750,000 together', async () => {
    const w = await world();
    await w.grant(RVO, 'rvo-sgei', A, eur(500_000), '2025-01-10');
    await w.grant(UTRECHT, 'utrecht-mkb', A, eur(250_000), '2025-02-10');
    const over = await w.decide(AMSTERDAM, 'amsterdam-mkb', A, eur(0.01), '2025-02-11');
    expect(over.outcome.ok || over.outcome.violation.figures).toMatchObject({
      ceilingRule: 'GENERAL_WITH_SGEI',
      ceilingCents: eur(750_000),
      alreadyGrantedInWindowCents: eur(750_000),
      countedKinds: ['GENERAL', 'SGEI', 'AGRICULTURE', 'FISHERIES'],
    });
  });

  // Same source, the other way round: SGEI aid counts the general aid, and general aid alone stays
  // within EUR 300,000. Case: general EUR 300,000, then SGEI EUR 450,000 fits, SGEI one cent more
  // does not; general aid one cent more is refused on the general ceiling.
  it('Europa decentraal: SGEI aid after general aid; the general ceiling still binds general aid', () => {
    const prior = [aid('2024-06-01', 300_000)];
    expect(check(prior, '2025-01-10', 450_000, 'SGEI')).toBeNull();
    const withSgei = [...prior, aid('2025-01-10', 450_000, 'SGEI')];
    expect(check(withSgei, '2025-01-11', 0.01, 'SGEI')?.figures.ceilingRule).toBe('SGEI');
    expect(check(prior, '2025-01-11', 0.01, 'GENERAL')?.figures.ceilingRule).toBe('GENERAL');
  });

  // https://crossbordertradehub.intertradeireland.com/de-minimis-aid-for-businesses-in-ireland-and-northern-ireland-understanding-your-obligations
  // (InterTradeIreland): agriculture EUR 50,000 (1408/2013 as amended by 2024/3118), within the
  // general EUR 300,000. Case: a farm that also runs a shop: agriculture aid EUR 50,000, then
  // agriculture one cent more is refused on its own ceiling; general aid EUR 250,000 fits, general
  // one cent more is refused with all EUR 300,000 counted.
  it('InterTradeIreland: agriculture EUR 50,000 of its own inside the general EUR 300,000', () => {
    const prior = [aid('2025-01-10', 50_000, 'AGRICULTURE')];
    expect(check(prior, '2025-01-11', 0.01, 'AGRICULTURE')?.figures).toMatchObject({
      ceilingRule: 'AGRICULTURE',
      ceilingCents: eur(50_000),
    });
    expect(check(prior, '2025-01-11', 250_000, 'GENERAL')).toBeNull();
    const both = [...prior, aid('2025-01-11', 250_000)];
    expect(check(both, '2025-01-12', 0.01, 'GENERAL')?.figures).toMatchObject({
      ceilingRule: 'GENERAL',
      alreadyGrantedInWindowCents: eur(300_000),
    });
  });

  // Same InterTradeIreland page gives fisheries and aquaculture EUR 30,000: that was 717/2014
  // before Regulation (EU) 2023/2391 raised it to EUR 40,000 (in force since 2024). Case: fisheries
  // aid EUR 30,000, then EUR 10,000 more fits (the page's figure would refuse it); one cent beyond
  // EUR 40,000 is refused on the fisheries ceiling.
  it('InterTradeIreland (outdated EUR 30,000): fisheries up to EUR 40,000 under 717/2014 as amended', () => {
    const prior = [aid('2024-11-01', 30_000, 'FISHERIES')];
    expect(check(prior, '2025-01-10', 10_000, 'FISHERIES')).toBeNull();
    const full = [...prior, aid('2025-01-10', 10_000, 'FISHERIES')];
    expect(check(full, '2025-01-11', 0.01, 'FISHERIES')?.figures).toMatchObject({
      ceilingRule: 'FISHERIES',
      ceilingCents: eur(40_000),
      alreadyGrantedInWindowCents: eur(40_000),
    });
  });
});

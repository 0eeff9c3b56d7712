/**
 * Property tests: whatever decisions are attempted, in whatever order and with whatever overlap,
 * no three-year window of a single undertaking exceeds a ceiling and no scheme exceeds its budget.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type AidKind,
  type AidRegister,
  type SchemeRecord,
  addYears,
  decideGrant,
  keys,
  nextDay,
} from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, at, eur } from './fixtures.js';

const MEMBERS = ['10000001', '10000002', '10000003'];
const OUTSIDER = '20000001';
const SCHEMES: { id: string; authority: string; kind: AidKind | null }[] = [
  { id: 'rvo-general', authority: RVO, kind: 'GENERAL' },
  { id: 'utrecht-general', authority: UTRECHT, kind: 'GENERAL' },
  { id: 'rvo-sgei', authority: RVO, kind: 'SGEI' },
  { id: 'amsterdam-agri', authority: AMSTERDAM, kind: 'AGRICULTURE' },
  { id: 'rvo-fish', authority: RVO, kind: 'FISHERIES' },
  { id: 'utrecht-small', authority: UTRECHT, kind: null },
];
const SMALL_BUDGET = eur(400_000);

/** Invariants in every window of three years, per the cumulation table as read in docs/subsidies.md. */
const INVARIANTS: { kinds: AidKind[]; ceilingCents: number }[] = [
  { kinds: ['GENERAL', 'AGRICULTURE', 'FISHERIES'], ceilingCents: eur(300_000) },
  { kinds: ['GENERAL', 'SGEI', 'AGRICULTURE', 'FISHERIES'], ceilingCents: eur(750_000) },
  { kinds: ['AGRICULTURE', 'FISHERIES'], ceilingCents: eur(50_000) },
  { kinds: ['FISHERIES'], ceilingCents: eur(40_000) },
];

async function setUp(): Promise<World> {
  const w = new World();
  for (const s of SCHEMES) {
    await w.scheme(s.authority, s.id, {
      deMinimis: s.kind,
      budgetCents: s.kind === null ? SMALL_BUDGET : eur(100_000_000),
      maxPerApplicantCents: eur(100_000_000),
      maxPerGrantCents: eur(100_000_000),
    });
  }
  for (const kvk of [...MEMBERS, OUTSIDER]) await w.undertaking(kvk);
  await w.link(MEMBERS[0]!, MEMBERS[1]!);
  await w.link(MEMBERS[1]!, MEMBERS[2]!, 'DOMINANT_INFLUENCE');
  return w;
}

const START = '2024-01-01';
function dayAfter(start: string, days: number): string {
  let date = start;
  for (let i = 0; i < days; i++) date = nextDay(date);
  return date;
}

const attempt = fc.record({
  scheme: fc.integer({ min: 0, max: SCHEMES.length - 1 }),
  member: fc.integer({ min: 0, max: MEMBERS.length }),
  // Amounts around the ceilings: from one cent to EUR 400,000.
  amountCents: fc.oneof(
    fc.integer({ min: 1, max: eur(400_000) }),
    fc.constantFrom(eur(10_000), eur(40_000), eur(100_000)),
  ),
  // Days after 2024-01-01, not sorted: decisions commit in any order of their grant dates.
  day: fc.integer({ min: 0, max: 2_500 }),
});

function checkInvariants(w: World): void {
  const registers = MEMBERS.map((kvk) => w.value<AidRegister>(keys.aidRegister(kvk)) ?? { kvk, entries: [] });
  const entries = registers.flatMap((r) => r.entries).filter((e) => e.aidKind !== null);
  for (const end of new Set(entries.map((e) => e.grantDate))) {
    const from = nextDay(addYears(end, -3));
    for (const invariant of INVARIANTS) {
      const total = entries
        .filter((e) => e.grantDate >= from && e.grantDate <= end && invariant.kinds.includes(e.aidKind!))
        .reduce((sum, e) => sum + e.grantedCents - e.withdrawnCents, 0);
      expect(total, `${invariant.kinds.join('+')} in ${from}..${end}`).toBeLessThanOrEqual(
        invariant.ceilingCents,
      );
    }
  }
  for (const s of SCHEMES) {
    const scheme = w.value<SchemeRecord>(keys.scheme(s.id))!;
    expect(scheme.grantedCents).toBeLessThanOrEqual(scheme.budgetCents);
    const granted = [
      ...registers,
      w.value<AidRegister>(keys.aidRegister(OUTSIDER)) ?? { kvk: OUTSIDER, entries: [] },
    ]
      .flatMap((r) => r.entries)
      .filter((e) => e.schemeId === s.id)
      .reduce((sum, e) => sum + e.grantedCents, 0);
    expect(granted).toBe(scheme.grantedCents);
  }
}

type Attempt = { scheme: number; member: number; amountCents: number; day: number };

function inputOf(a: Attempt) {
  const kvk = a.member < MEMBERS.length ? MEMBERS[a.member]! : OUTSIDER;
  return {
    schemeId: SCHEMES[a.scheme]!.id,
    kvk,
    amountCents: a.amountCents,
    eligibleCostCents: a.amountCents,
  };
}

describe('ceiling and budget invariants', () => {
  it('hold for any sequence of decisions, committed one by one in any date order', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(attempt, { minLength: 1, maxLength: 25 }), async (attempts) => {
        const w = await setUp();
        for (const a of attempts) {
          const s = SCHEMES[a.scheme]!;
          await w.ledger.run(s.authority, at(dayAfter(START, a.day)), (ctx) => decideGrant(ctx, inputOf(a)));
        }
        checkInvariants(w);
      }),
      { numRuns: 60 },
    );
  });

  it('hold when decisions are built on the same snapshot and committed together in any order', async () => {
    const batch = fc.array(attempt, { minLength: 2, maxLength: 4 });
    await fc.assert(
      fc.asyncProperty(fc.array(batch, { minLength: 1, maxLength: 8 }), async (batches) => {
        const w = await setUp();
        for (const attempts of batches) {
          const txs = [];
          for (const a of attempts) {
            const tx = w.ledger.begin(SCHEMES[a.scheme]!.authority, at(dayAfter(START, a.day)));
            if ((await decideGrant(tx, inputOf(a))).ok) txs.push(tx);
          }
          w.ledger.commit(...txs);
        }
        checkInvariants(w);
      }),
      { numRuns: 60 },
    );
  });
});

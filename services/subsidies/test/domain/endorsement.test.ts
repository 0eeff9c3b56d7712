/** Grants above a scheme's threshold need the second authority's endorser, which re-checks on its own state. */
import { describe, expect, it } from 'vitest';
import {
  type SchemeRecord,
  decideGrant,
  endorseGrant,
  keys,
  requiredEndorsement,
} from '../../src/domain/index.js';
import { AMSTERDAM, RVO, UTRECHT, World, at, eur } from './fixtures.js';

const A = '12345678';

async function world(): Promise<World> {
  const w = new World();
  await w.scheme(RVO, 'rvo-groot', { endorsement: { thresholdCents: eur(100_000), coEndorser: UTRECHT } });
  await w.deMinimisScheme(AMSTERDAM, 'amsterdam-mkb');
  await w.undertaking(A);
  return w;
}

const input = (amountCents: number) => ({
  schemeId: 'rvo-groot',
  kvk: A,
  amountCents,
  eligibleCostCents: amountCents,
});

describe('requiredEndorsement', () => {
  it('asks the co-endorser strictly above the threshold', async () => {
    const w = await world();
    const scheme = w.value<SchemeRecord>(keys.scheme('rvo-groot'))!;
    expect(requiredEndorsement(scheme, eur(100_000))).toEqual({ action: 'grant', coEndorser: null });
    expect(requiredEndorsement(scheme, eur(100_000) + 1)).toEqual({
      action: 'grant-endorsed',
      coEndorser: UTRECHT,
    });
    expect(requiredEndorsement({ ...scheme, endorsement: null }, eur(1_000_000))).toEqual({
      action: 'grant',
      coEndorser: null,
    });
  });
});

describe('endorseGrant', () => {
  it('agrees with the creator on the same state: same decision, same writes', async () => {
    const w = await world();
    const time = at('2025-03-01');
    const creator = w.ledger.begin(RVO, time);
    const decided = await decideGrant(creator, input(eur(150_000)));
    expect(decided.ok && decided.value.endorsement).toEqual({
      action: 'grant-endorsed',
      coEndorser: UTRECHT,
    });
    // On every endorser the context carries the creator's organisation (TxContext.mspId).
    const endorser = w.ledger.begin(RVO, time);
    const endorsed = await endorseGrant(endorser, input(eur(150_000)), {
      endorserMspId: UTRECHT,
      action: 'grant-endorsed',
    });
    expect(endorsed.ok).toBe(true);
    expect([...endorser.writes.entries()]).toEqual([...creator.writes.entries()]);
    expect([...endorser.reads.entries()]).toEqual([...creator.reads.entries()]);
    expect(endorser.event).toEqual(creator.event);
  });

  it("refuses, with the reason, a grant that breaks the ceiling on the endorser's own state", async () => {
    const w = await world();
    const time = at('2025-03-01');
    // The creator's peer has not seen Amsterdam's grant yet: it built on an older snapshot.
    const creator = w.ledger.begin(RVO, time);
    expect((await decideGrant(creator, input(eur(150_000)))).ok).toBe(true);
    await w.grant(AMSTERDAM, 'amsterdam-mkb', A, eur(200_000), '2025-02-20');
    const endorser = w.ledger.begin(RVO, time);
    const endorsed = await endorseGrant(endorser, input(eur(150_000)), {
      endorserMspId: UTRECHT,
      action: 'grant-endorsed',
    });
    expect(endorsed.ok).toBe(false);
    if (endorsed.ok) return;
    expect(endorsed.violation).toMatchObject({
      rule: 'DE_MINIMIS_CEILING',
      figures: {
        ceilingCents: eur(300_000),
        alreadyGrantedInWindowCents: eur(200_000),
        requestedCents: eur(150_000),
      },
    });
    expect(endorser.writes.size).toBe(0);
  });

  it('refuses when it is not the named co-endorser, and a proposal under the wrong action', async () => {
    const w = await world();
    const time = at('2025-03-01');
    const stranger = await endorseGrant(w.ledger.begin(RVO, time), input(eur(150_000)), {
      endorserMspId: AMSTERDAM,
      action: 'grant-endorsed',
    });
    expect(stranger.ok || stranger.violation).toMatchObject({
      rule: 'NOT_CO_ENDORSER',
      figures: { expectedMspId: UTRECHT, actualMspId: AMSTERDAM },
    });
    const wrongAction = await endorseGrant(w.ledger.begin(RVO, time), input(eur(150_000)), {
      endorserMspId: UTRECHT,
      action: 'grant',
    });
    expect(wrongAction.ok || wrongAction.violation).toMatchObject({
      rule: 'WRONG_ACTION',
      figures: { expectedAction: 'grant-endorsed', actualAction: 'grant' },
    });
  });

  it("checks the creator's ownership, not the endorser's", async () => {
    const w = await world();
    const forged = await endorseGrant(w.ledger.begin(AMSTERDAM, at('2025-03-01')), input(eur(150_000)), {
      endorserMspId: UTRECHT,
      action: 'grant-endorsed',
    });
    expect(forged.ok || forged.violation.rule).toBe('NOT_SCHEME_OWNER');
  });
});

/**
 * Grants above a scheme's threshold need its co-endorser (AND of the two organisations), and two
 * authorities deciding at once near the ceiling: exactly one commits.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eur, expectStatus, grant, scheme, undertaking } from './support/fixtures.js';
import { startRestNet, type RestNet } from './support/rest-net.js';

let net: RestNet;
beforeAll(async () => {
  net = await startRestNet();
}, 120_000);
afterAll(async () => net?.close());

const coFinanced = { endorsement: { thresholdCents: eur(50_000), coEndorser: 'Utrecht' } };

describe('co-endorsed grants', () => {
  it("at or under the threshold RVO decides alone; above it the envelope carries Utrecht's endorsement", async () => {
    const schemeId = await scheme(net, 'RVO', 'co', coFinanced);
    const kvk = await undertaking(net, 'RVO');
    const alone = expectStatus(await grant(net, 'RVO', schemeId, kvk, eur(50_000)), 201);
    expect(alone.body.tx).toMatchObject({ action: 'grant', endorsedBy: [] });
    const endorsed = expectStatus(await grant(net, 'RVO', schemeId, kvk, eur(50_000.01)), 201);
    expect(endorsed.body.tx).toMatchObject({ action: 'grant-endorsed', endorsedBy: ['Utrecht'] });
    expect(endorsed.body.decision.grant.coEndorser).toBe('Utrecht');
    const block = net.orderer.blocks.find((b) => b.header.number === endorsed.body.tx.block)!;
    const envelope = block.envelopes.find((e) => e.payload.action === 'grant-endorsed')!;
    expect(envelope.endorsements.map((e) => e.mspId)).toEqual(['Utrecht']);
    const metrics = expectStatus(await net.request('Utrecht', 'GET', '/metrics', { user: null }), 200)
      .body as string;
    expect(metrics).toMatch(
      /civic_subsidies_endorsements_total\{action="grant-endorsed",result="ENDORSED"[^}]*\} 1/,
    );
  });

  it("Utrecht's endorser refuses a grant that breaks the ceiling on its own state; the caller gets its reason and figures", async () => {
    const rvoScheme = await scheme(net, 'RVO', 'co-ceiling', coFinanced);
    const amsterdamScheme = await scheme(net, 'Amsterdam', 'ams');
    const kvk = await undertaking(net, 'RVO');
    // RVO's peer falls behind: Amsterdam's grant (read and committed through utrecht-peer) is
    // not yet on it when RVO decides, so RVO's own check passes and Utrecht's endorser, whose
    // peer has the grant, finds the ceiling exceeded.
    net.setCommitDelay('rvo-peer', 2_000);
    try {
      expectStatus(await grant(net, 'Amsterdam', amsterdamScheme, kvk, eur(250_000)), 201);
      const refused = expectStatus(
        await net.request('RVO', 'POST', `/schemes/${rvoScheme}/grants`, {
          settle: false,
          body: { kvk, amountCents: eur(60_000), eligibleCostCents: eur(60_000) },
        }),
        409,
      );
      expect(refused.body.error).toMatchObject({
        code: 'DE_MINIMIS_CEILING',
        refusedBy: 'Utrecht',
        figures: {
          ceilingCents: eur(300_000),
          alreadyGrantedInWindowCents: eur(250_000),
          requestedCents: eur(60_000),
          leftCents: eur(50_000),
        },
      });
      expect(refused.body.error.message).toMatch(
        /^Utrecht's endorser refused: de minimis ceiling EUR 300,000.00/,
      );
    } finally {
      net.setCommitDelay('rvo-peer', 0);
    }
    const view = expectStatus(await net.request('RVO', 'GET', `/schemes/${rvoScheme}`), 200);
    expect(view.body.budget.usedCents).toBe(0);
  });

  it('a scheme cannot name its own authority as co-endorser (400)', async () => {
    const reply = await net.request('RVO', 'POST', '/schemes', {
      body: {
        id: 'self-co',
        title: 'x',
        budgetCents: 100,
        maxPerApplicantCents: 100,
        shareBasisPoints: 100,
        maxPerGrantCents: 100,
        endorsement: { thresholdCents: 0, coEndorser: 'RVO' },
      },
    });
    expect(expectStatus(reply, 400).body.error).toMatchObject({
      code: 'INVALID_INPUT',
      field: 'input.endorsement.coEndorser',
    });
  });
});

describe('two authorities at the same moment near the ceiling', () => {
  it('exactly one grant commits; the other is rebuilt after MVCC_READ_CONFLICT and refused with DE_MINIMIS_CEILING', async () => {
    const rvoScheme = await scheme(net, 'RVO', 'race-rvo');
    const utrechtScheme = await scheme(net, 'Utrecht', 'race-utr');
    const kvk = await undertaking(net, 'Utrecht');
    expectStatus(await grant(net, 'Utrecht', utrechtScheme, kvk, eur(250_000)), 201);
    net.orderer.holdFor = 2; // both decisions, built on the same state, land in one block
    const replies = await Promise.all([
      net.request('RVO', 'POST', `/schemes/${rvoScheme}/grants`, {
        body: { kvk, amountCents: eur(40_000), eligibleCostCents: eur(40_000) },
      }),
      net.request('Utrecht', 'POST', `/schemes/${utrechtScheme}/grants`, {
        body: { kvk, amountCents: eur(40_000), eligibleCostCents: eur(40_000) },
      }),
    ]).finally(() => (net.orderer.holdFor = null));
    expect(replies.map((r) => r.status).sort()).toEqual([201, 409]);
    const refused = replies.find((r) => r.status === 409)!;
    expect(refused.body.error).toMatchObject({
      code: 'DE_MINIMIS_CEILING',
      figures: {
        ceilingCents: eur(300_000),
        alreadyGrantedInWindowCents: eur(290_000),
        requestedCents: eur(40_000),
        leftCents: eur(10_000),
      },
    });
    const rebuilds = await Promise.all(
      (['RVO', 'Utrecht'] as const).map(async (org) => {
        const text = (await net.request(org, 'GET', '/metrics', { user: null })).body as string;
        return Number(/^civic_subsidies_transaction_rebuilds_total\{[^}]*\} (\d+)/m.exec(text)?.[1] ?? 0);
      }),
    );
    expect(rebuilds[0]! + rebuilds[1]!).toBe(1);
    const aid = expectStatus(await net.request('RVO', 'GET', `/undertakings/${kvk}/aid`), 200);
    expect(aid.body.totalsCents.GENERAL).toBe(eur(290_000));
    expect(aid.body.entries).toHaveLength(2);
  });
});

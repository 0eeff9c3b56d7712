/**
 * The main rules through the REST API, with figures: each request is a real transaction through
 * the gateway, ordered and committed by peers that validate it (stand-in orderer, libs/ledger
 * peers on PostgreSQL, the real NATS).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eur, expectStatus, grant, newKvk, scheme, undertaking } from './support/fixtures.js';
import { startRestNet, type RestNet } from './support/rest-net.js';

let net: RestNet;
beforeAll(async () => {
  net = await startRestNet();
}, 120_000);
afterAll(async () => net?.close());

describe('grants through REST', () => {
  it('a grant commits and answers with its block and transaction; the scheme shows budget used and left', async () => {
    const schemeId = await scheme(net, 'Utrecht', 'budget', { budgetCents: eur(100_000) });
    const kvk = await undertaking(net, 'Utrecht');
    const reply = expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(30_000)), 201);
    expect(reply.body.decision.grant).toMatchObject({
      id: `${schemeId}/1`,
      authority: 'Utrecht',
      kvk,
      grantedCents: eur(30_000),
    });
    expect(reply.body.tx).toMatchObject({ action: 'grant', endorsedBy: [], attempts: 1 });
    expect(reply.body.tx.txId).toMatch(/^[0-9a-f]{64}$/);
    const view = expectStatus(await net.request('RVO', 'GET', `/schemes/${schemeId}`), 200);
    expect(view.body.budget).toMatchObject({
      budgetCents: eur(100_000),
      usedCents: eur(30_000),
      leftCents: eur(70_000),
      grantCount: 1,
    });
    expect(view.body.lastChange).toMatchObject({
      block: reply.body.tx.block,
      txId: reply.body.tx.txId,
      creatorMspId: 'Utrecht',
    });
  });

  it('refuses above the maximum per grant and above the share of the eligible cost (409 with figures)', async () => {
    const schemeId = await scheme(net, 'Utrecht', 'terms', {
      maxPerGrantCents: eur(5_000),
      shareBasisPoints: 5_000,
    });
    const kvk = await undertaking(net, 'Utrecht');
    const tooMuch = expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(5_000.01), eur(20_000)), 409);
    expect(tooMuch.body.error).toMatchObject({
      code: 'MAX_PER_GRANT',
      figures: { limitCents: eur(5_000), requestedCents: 500_001 },
    });
    const share = expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(4_000), eur(6_000)), 409);
    expect(share.body.error).toMatchObject({
      code: 'SHARE_OF_COST',
      rule: 'SHARE_OF_COST',
      figures: {
        requestedCents: eur(4_000),
        eligibleCostCents: eur(6_000),
        shareBasisPoints: 5_000,
        maxAllowedCents: eur(3_000),
      },
    });
    expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(3_000), eur(6_000)), 201);
  });

  it('refuses past the budget and past the maximum per applicant', async () => {
    const schemeId = await scheme(net, 'RVO', 'limits', {
      budgetCents: eur(50_000),
      maxPerApplicantCents: eur(30_000),
    });
    const [a, b] = [await undertaking(net, 'RVO'), await undertaking(net, 'RVO')];
    expectStatus(await grant(net, 'RVO', schemeId, a, eur(25_000)), 201);
    const applicant = expectStatus(await grant(net, 'RVO', schemeId, a, eur(10_000)), 409);
    expect(applicant.body.error).toMatchObject({
      code: 'MAX_PER_APPLICANT',
      figures: {
        limitCents: eur(30_000),
        usedCents: eur(25_000),
        leftCents: eur(5_000),
        requestedCents: eur(10_000),
      },
    });
    const budget = expectStatus(await grant(net, 'RVO', schemeId, b, eur(26_000)), 409);
    expect(budget.body.error).toMatchObject({
      code: 'SCHEME_BUDGET',
      figures: {
        limitCents: eur(50_000),
        usedCents: eur(25_000),
        leftCents: eur(25_000),
        requestedCents: eur(26_000),
      },
    });
  });

  it('counts every authority and the whole single undertaking against the EUR 300,000 ceiling', async () => {
    const rvoScheme = await scheme(net, 'RVO', 'dm-rvo');
    const utrechtScheme = await scheme(net, 'Utrecht', 'dm-utr');
    const amsterdamScheme = await scheme(net, 'Amsterdam', 'dm-ams');
    const parent = await undertaking(net, 'RVO', 'Holding BV');
    const child = await undertaking(net, 'Utrecht', 'Werkmaatschappij BV');
    expectStatus(
      await net.request('RVO', 'POST', `/undertakings/${parent}/controls`, {
        body: { childKvk: child, basis: 'VOTING_MAJORITY', since: '2020-01-01' },
      }),
      201,
    );
    expectStatus(await grant(net, 'RVO', rvoScheme, parent, eur(200_000)), 201);
    expectStatus(await grant(net, 'Utrecht', utrechtScheme, child, eur(100_000)), 201);
    const refused = expectStatus(await grant(net, 'Amsterdam', amsterdamScheme, child, 1), 409);
    expect(refused.body.error).toMatchObject({
      code: 'DE_MINIMIS_CEILING',
      article: expect.stringContaining('2023/2831'),
      figures: {
        ceilingCents: eur(300_000),
        alreadyGrantedInWindowCents: eur(300_000),
        requestedCents: 1,
        leftCents: 0,
        groupMembers: [parent, child].sort(),
      },
    });
    expect(refused.body.error.message).toContain('EUR 300,000.00');

    const aid = expectStatus(await net.request('Amsterdam', 'GET', `/undertakings/${child}/aid`), 200);
    expect(aid.body.members).toEqual([parent, child].sort());
    expect(aid.body.totalsCents.GENERAL).toBe(eur(300_000));
    expect(aid.body.roomLeftCents.GENERAL).toBe(0);
    expect(aid.body.entries.map((e: { authority: string }) => e.authority).sort()).toEqual([
      'RVO',
      'Utrecht',
    ]);
    for (const entry of aid.body.entries) {
      expect(entry.ref).toMatchObject({
        block: expect.any(Number),
        tx: expect.any(Number),
        txId: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      expect(entry.decidedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
      const found = expectStatus(
        await net.request('RVO', 'GET', `/schemes/${entry.schemeId}/grants/${entry.grantId.split('/')[1]}`),
        200,
      );
      expect(found.body.decision).toMatchObject({
        block: entry.ref.block,
        tx: entry.ref.tx,
        txId: entry.ref.txId,
        creatorMspId: entry.authority,
      });
    }
  });

  it('payments never exceed the grant; a recovery that withdraws the right frees ceiling room', async () => {
    const schemeId = await scheme(net, 'Utrecht', 'pay');
    const kvk = await undertaking(net, 'Utrecht');
    const decided = expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(300_000)), 201);
    const seq = decided.body.decision.grant.id.split('/')[1];
    expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/grants/${seq}/payments`, {
        body: { amountCents: eur(250_000) },
      }),
      201,
    );
    const over = expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/grants/${seq}/payments`, {
        body: { amountCents: eur(60_000) },
      }),
      409,
    );
    expect(over.body.error).toMatchObject({
      code: 'PAYMENT_EXCEEDS_GRANT',
      figures: { limitCents: eur(300_000), usedCents: eur(250_000), leftCents: eur(50_000) },
    });
    expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(1)), 409);
    const recovered = expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/grants/${seq}/recoveries`, {
        body: { amountCents: eur(50_000), rightWithdrawn: true, reason: 'final determination lower' },
      }),
      201,
    );
    expect(recovered.body.grant).toMatchObject({ withdrawnCents: eur(50_000), recoveredCents: eur(50_000) });
    expectStatus(await grant(net, 'Utrecht', schemeId, kvk, eur(50_000)), 201);
  });

  it('applications: apply, grant on the application, refuse another with the rule', async () => {
    const schemeId = await scheme(net, 'Utrecht', 'apps');
    const kvk = await undertaking(net, 'Utrecht');
    expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/applications`, {
        body: { applicationId: 'A-1', kvk, requestedCents: eur(1_000), eligibleCostCents: eur(1_000) },
      }),
      201,
    );
    expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/applications`, {
        body: { applicationId: 'A-2', kvk, requestedCents: eur(1_000), eligibleCostCents: eur(1_000) },
      }),
      201,
    );
    const granted = expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/grants`, {
        body: { kvk, amountCents: eur(1_000), eligibleCostCents: eur(1_000), applicationId: 'A-1' },
      }),
      201,
    );
    expect(granted.body.decision.application).toMatchObject({ id: 'A-1', status: 'GRANTED' });
    const refused = expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/applications/A-2/refusal`, {
        body: { rule: 'DISCRETIONARY', message: 'not eligible activity' },
      }),
      201,
    );
    expect(refused.body.application).toMatchObject({ status: 'REFUSED', refusal: { rule: 'DISCRETIONARY' } });
    const again = expectStatus(
      await net.request('Utrecht', 'POST', `/schemes/${schemeId}/grants`, {
        body: { kvk, amountCents: eur(1_000), eligibleCostCents: eur(1_000), applicationId: 'A-2' },
      }),
      409,
    );
    expect(again.body.error.code).toBe('APPLICATION_MISMATCH');
  });
});

describe('input and lookups', () => {
  it('400 names the malformed field and changes nothing', async () => {
    const schemeId = await scheme(net, 'RVO', 'input');
    const before = net.orderer.submissions.length;
    const bad = expectStatus(
      await net.request('RVO', 'POST', `/schemes/${schemeId}/grants`, {
        body: { kvk: '123', amountCents: 100, eligibleCostCents: 100 },
      }),
      400,
    );
    expect(bad.body.error).toMatchObject({ code: 'INVALID_INPUT', field: 'input.kvk' });
    const negative = expectStatus(
      await net.request('RVO', 'POST', `/schemes/${schemeId}/grants`, {
        body: { kvk: newKvk(), amountCents: -5, eligibleCostCents: 100 },
      }),
      400,
    );
    expect(negative.body.error).toMatchObject({
      field: 'input.amountCents',
      message: expect.stringContaining('must be positive'),
    });
    const conflicting = expectStatus(
      await net.request('RVO', 'POST', `/schemes/${schemeId}/grants`, {
        body: { schemeId: 'other', kvk: newKvk(), amountCents: 5, eligibleCostCents: 5 },
      }),
      400,
    );
    expect(conflicting.body.error.field).toBe('input.schemeId');
    expectStatus(await net.request('RVO', 'POST', '/schemes', { rawBody: '{"id": ' }), 400);
    expect(net.orderer.submissions.length).toBe(before);
  });

  it('404 for unknown schemes, undertakings and grants; 409 for a record that exists', async () => {
    expect(expectStatus(await net.request('RVO', 'GET', '/schemes/nope'), 404).body.error.code).toBe(
      'SCHEME_NOT_FOUND',
    );
    expect(
      expectStatus(await net.request('RVO', 'GET', `/undertakings/${newKvk()}/aid`), 404).body.error.code,
    ).toBe('UNDERTAKING_NOT_FOUND');
    expect(expectStatus(await net.request('RVO', 'GET', '/schemes/nope/grants/1'), 404).body.error.code).toBe(
      'GRANT_NOT_FOUND',
    );
    const schemeId = await scheme(net, 'RVO', 'exists');
    expect(expectStatus(await grant(net, 'RVO', schemeId, newKvk(), 100), 404).body.error.code).toBe(
      'UNDERTAKING_NOT_FOUND',
    );
    const again = expectStatus(
      await net.request('RVO', 'POST', '/schemes', {
        body: {
          id: schemeId,
          title: 'x',
          budgetCents: 1,
          maxPerApplicantCents: 1,
          shareBasisPoints: 1,
          maxPerGrantCents: 1,
        },
      }),
      409,
    );
    expect(again.body.error).toMatchObject({
      code: 'ALREADY_EXISTS',
      figures: { key: `scheme/${schemeId}` },
    });
  });

  it('413 for a body over the limit', async () => {
    const big = expectStatus(
      await net.request('RVO', 'POST', '/schemes', {
        rawBody: JSON.stringify({ title: 'x'.repeat(70_000) }),
      }),
      413,
    );
    expect(big.body.error.code).toBe('PAYLOAD_TOO_LARGE');
  });

  it('keeps the name off the chain: the registering organisation reads it back, others see only the hash', async () => {
    const kvk = await undertaking(net, 'Utrecht', 'J. Jansen Loodgieter');
    const own = expectStatus(await net.request('Utrecht', 'GET', `/undertakings/${kvk}`), 200);
    expect(own.body.name).toBe('J. Jansen Loodgieter');
    expect(own.body.undertaking.privateDataHash).toMatch(/^[0-9a-f]{64}$/);
    const other = expectStatus(await net.request('RVO', 'GET', `/undertakings/${kvk}`), 200);
    expect(other.body.name).toBeNull();
    const chain = JSON.stringify(net.orderer.blocks);
    expect(chain).not.toContain('Jansen');
    expectStatus(await net.request('Utrecht', 'DELETE', `/undertakings/${kvk}/private-data`), 200);
    expect(
      expectStatus(await net.request('Utrecht', 'GET', `/undertakings/${kvk}`), 200).body.name,
    ).toBeNull();
  });
});
